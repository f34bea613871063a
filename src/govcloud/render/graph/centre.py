"""One diagram per data centre: its lab cluster (nodes, pod and service ranges), the cloud's zones with
their subnets, tenants and platform services, the declared boundaries between zones (device and ports),
and the centre's lab hosts with the replication and backup links that leave them."""

from __future__ import annotations

from govcloud.model.topology import Centre, Cloud, Zone
from govcloud.plan import ClusterPlan, Plan
from govcloud.render.graph.dot import Graph
from govcloud.render.graph.mermaid import node_id, text
from govcloud.render.graph.style import CLOUD_COLOUR, HOST_SHAPE, ZONE_FILL

ENGINE = ("dot",)


def _zone_label(z: Zone) -> str:
    flags = ", isolated" if z.isolated else ""
    nets = "\n".join(str(n) for n in (z.ipv4, z.ipv6) if n is not None)
    return f"zone {z.name} ({z.kind.value}{flags})\n{nets}"


def _members(plan: Plan, cloud: Cloud, zone: str) -> list[tuple[str, str]]:
    """(node name, label) of the tenants and platform services in one zone of the cloud."""
    systems: dict[str, int] = {}
    for s in plan.topology.systems:
        if s.tenant:
            systems[s.tenant] = systems.get(s.tenant, 0) + 1
    out = [
        (f"t/{t.name}", f"{t.name}\n{t.department} · MLPS {t.mlps_level}\n{systems.get(t.name, 0)} systems")
        for t in plan.topology.tenants
        if t.cloud == cloud.name and t.zone == zone
    ]
    out += [
        (f"p/{p.name}", f"{p.title}\n{p.name} ({p.kind.value})")
        for p in plan.topology.platform_services
        if p.cloud == cloud.name and p.zone == zone
    ]
    return out


def _cluster_label(k: ClusterPlan, dc: Centre) -> str:
    ranges = " · ".join(str(n) for n in (k.pod_ipv4, k.pod_ipv6) if n is not None)
    services = " · ".join(str(n) for n in (k.service_ipv4, k.service_ipv6) if n is not None)
    return f"cluster {k.name}: {k.nodes} nodes, region {k.region}\npods {ranges}\nservices {services}"


def centre_dot(plan: Plan, centre: str) -> str:
    cloud, dc = plan.index.centres[centre]
    k = plan.cluster(f"gc-{centre}")
    g = Graph(
        f"centre-{centre}",
        {
            "label": f"{dc.title or dc.name} — {dc.name} ({dc.role.value}) of {cloud.title}",
            "labelloc": "t",
            "fontname": "WenQuanYi Micro Hei",
            "fontsize": 16,
            "rankdir": "LR",
            "compound": "true",
            "newrank": "true",
            "pad": 0.3,
        },
        {"shape": "box", "style": "rounded,filled", "fillcolor": "white"},
    )
    g.open_cluster(k.name, {"label": _cluster_label(k, dc), "color": CLOUD_COLOUR[cloud.kind], "penwidth": 2})
    for z in cloud.zones:
        g.open_cluster(
            f"zone-{z.name}", {"label": "", "style": "filled", "fillcolor": ZONE_FILL[z.kind], "color": "#9fb3c8"}
        )
        g.node(f"z/{z.name}", {"label": _zone_label(z), "shape": "plaintext", "style": ""})
        for name, label in _members(plan, cloud, z.name):
            g.node(name, {"label": label})
        g.close()
    g.close()
    for b in cloud.boundaries:
        ports = ", ".join(str(p) for p in b.ports)
        g.edge(
            f"z/{b.from_zone}", f"z/{b.to}", {"label": f"{b.via}: {ports}", "color": "#b42318", "fontcolor": "#b42318"}
        )
    _hosts(g, plan, centre)
    return g.text()


def _hosts(g: Graph, plan: Plan, centre: str) -> None:
    hosts = [h for h in plan.lab.hosts if h.centre == centre]
    if not hosts:
        return
    net = next(n for n in plan.lab.networks if n.centre == centre)
    nets = " · ".join(str(n) for n in (net.ipv4, net.ipv6) if n is not None)
    g.open_cluster("lab-hosts", {"label": f"lab hosts on {net.name}\n{nets}", "style": "dashed", "color": "#52606d"})
    for h in hosts:
        g.node(
            f"h/{h.name}",
            {"label": f"{h.name}\n{h.ipv4}", "shape": HOST_SHAPE[h.role], "style": "filled", "fillcolor": "#f5f7fa"},
        )
    g.close()
    mine = {h.name for h in hosts}
    peers: dict[str, str] = {}
    links = [(r.primary, r.standby, f"PostgreSQL {r.mode}") for r in plan.lab.replication]
    links += [(b.source, b.target, "base backups + WAL") for b in plan.lab.backups]
    for a, b, label in links:
        if a in mine or b in mine:
            for name in (a, b):
                if name not in mine and name not in peers:
                    peers[name] = name
                    g.node(f"h/{name}", {"label": f"{name}\n(another centre)", "shape": "plaintext", "style": ""})
            g.edge(f"h/{a}", f"h/{b}", {"label": label, "style": "dashed" if "WAL" in label else "solid"})


def centre_mermaid(plan: Plan, centre: str) -> str:
    cloud, dc = plan.index.centres[centre]
    k = plan.cluster(f"gc-{centre}")
    lines = ["flowchart LR", f'  subgraph {node_id(k.name)}["{text(_cluster_label(k, dc)).replace(chr(10), "<br/>")}"]']
    for z in cloud.zones:
        lines.append(f'    subgraph {node_id("zone-" + z.name)}["{text(_zone_label(z)).replace(chr(10), "<br/>")}"]')
        lines.append(f'      {node_id("z/" + z.name)}(("{z.name}"))')
        for name, label in _members(plan, cloud, z.name):
            lines.append(f'      {node_id(name)}["{text(label).replace(chr(10), "<br/>")}"]')
        lines.append("    end")
    lines.append("  end")
    for b in cloud.boundaries:
        ports = ", ".join(str(p) for p in b.ports)
        lines.append(f'  {node_id("z/" + b.from_zone)} -->|"{b.via}: {ports}"| {node_id("z/" + b.to)}')
    hosts = [h for h in plan.lab.hosts if h.centre == centre]
    if hosts:
        lines.append(f'  subgraph lab_hosts["lab hosts on gc-{centre}"]')
        lines += [f'    {node_id("h/" + h.name)}[("{h.name}<br/>{h.ipv4}")]' for h in hosts]
        lines.append("  end")
    return "\n".join(lines) + "\n"
