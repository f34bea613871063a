"""The province map: every data centre placed by its coordinates, coloured by its cloud, with the
same-city (sync) and remote DR (async) links and the backup-partner arrows, each labelled with its
distance. Laid out by Graphviz's neato from the given positions (`neato -n`), which only nudges nodes
apart where centres stand a few kilometres from each other."""

from __future__ import annotations

from math import cos, radians

from govcloud.model.topology import CloudKind
from govcloud.plan import Plan
from govcloud.render.graph.dot import Graph, html
from govcloud.render.graph.mermaid import node_id, text
from govcloud.render.graph.style import CLOUD_COLOUR, CLOUD_FILL, LINK_STYLE, ROLE_SHAPE

POINTS_PER_DEGREE = 150.0  # ~1.5 inches per degree of latitude: Jiangxi's 5.5 degrees fit a page
ENGINE = ("neato", "-n")


def _xy(plan: Plan, lat: float, lon: float) -> tuple[float, float]:
    """Equirectangular projection around the province's capital (fine at a province's size)."""
    origin = plan.topology.province.location
    x = (lon - origin.lon) * cos(radians(origin.lat)) * POINTS_PER_DEGREE
    y = (lat - origin.lat) * POINTS_PER_DEGREE
    return round(x, 1), round(y, 1)


def link_label(mode: str, km: float) -> str:
    return f"{mode} {km:.0f} km"


def _formula(plan: Plan) -> str:
    return "+".join(str(sum(c.kind == k for c in plan.topology.clouds)) for k in CloudKind)


def province_dot(plan: Plan) -> str:
    t = plan.topology
    g = Graph(
        f"{t.metadata.name}-province",
        {
            "label": f"{t.province.title}: {_formula(plan)} clouds, {len(plan.clusters)} data centres",
            "labelloc": "t",
            "fontname": "WenQuanYi Micro Hei",
            "fontsize": 18,
            "overlap": "false",
            "splines": "true",
            "outputorder": "edgesfirst",
            "pad": 0.3,
        },
        {"style": "filled", "margin": "0.08,0.04"},
    )
    for cloud in t.clouds:
        for dc in cloud.centres:
            x, y = _xy(plan, dc.location.lat, dc.location.lon)
            g.node(
                dc.name,
                {
                    "label": f"{dc.title or dc.name}\n{dc.name} · {dc.role.value}",
                    "pos": f"{x},{y}",
                    "shape": ROLE_SHAPE[dc.role],
                    "color": CLOUD_COLOUR[cloud.kind],
                    "fillcolor": CLOUD_FILL[cloud.kind],
                },
            )
    for lk in plan.links:
        style = LINK_STYLE[lk.kind]
        g.edge(lk.a, lk.b, {**style, "label": link_label(lk.mode, lk.km), "fontcolor": style["color"]})
    _legend(g, plan)
    return g.text()


def _legend(g: Graph, plan: Plan) -> None:
    xs, ys = zip(
        *(_xy(plan, dc.location.lat, dc.location.lon) for c in plan.topology.clouds for dc in c.centres), strict=True
    )
    rows = "".join(
        f'<TR><TD BGCOLOR="{CLOUD_FILL[k]}" WIDTH="18"> </TD><TD ALIGN="LEFT">{html(k.value)} cloud</TD></TR>'
        for k in CloudKind
    )
    for kind, mode in (("same-city", "sync"), ("remote-dr", "async"), ("backup-partner", "backup")):
        rows += (
            f'<TR><TD><FONT COLOR="{LINK_STYLE[kind]["color"]}">━━</FONT></TD>'
            f'<TD ALIGN="LEFT">{html(kind)} ({mode}), km great circle</TD></TR>'
        )
    label = f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2">{rows}</TABLE>>'
    g.node("legend", {"shape": "plaintext", "style": "", "label": label, "pos": f"{max(xs) + 40},{min(ys)}"})


def province_mermaid(plan: Plan) -> str:
    """The same map as a Mermaid flowchart (Mermaid cannot place nodes by coordinates: grouped by cloud kind)."""
    t = plan.topology
    lines = ["flowchart LR"]
    for kind in CloudKind:
        clouds = [c for c in t.clouds if c.kind == kind]
        if not clouds:
            continue
        lines.append(f'  subgraph {kind.value}["{kind.value} clouds"]')
        for c in clouds:
            for dc in c.centres:
                lines.append(f'    {node_id(dc.name)}["{text(dc.title or dc.name)}<br/>{dc.name} · {dc.role.value}"]')
        lines.append("  end")
    for lk in plan.links:
        arrow = "-.->" if lk.kind == "backup-partner" else "==>" if lk.kind == "same-city" else "-->"
        lines.append(f'  {node_id(lk.a)} {arrow}|"{link_label(lk.mode, lk.km)}"| {node_id(lk.b)}')
    for kind in CloudKind:
        lines.append(f"  classDef {kind.value}c fill:{CLOUD_FILL[kind]},stroke:{CLOUD_COLOUR[kind]}")
        names = [node_id(dc.name) for c in t.clouds if c.kind == kind for dc in c.centres]
        if names:
            lines.append(f"  class {','.join(names)} {kind.value}c")
    return "\n".join(lines) + "\n"
