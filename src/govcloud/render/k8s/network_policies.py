"""NetworkPolicies: default deny in every namespace govcloud creates, then only what the design allows.

Tenant namespaces: DNS; everything within the same network zone; the shared platform and exchange
services (in this cluster by namespace, in the provincial clusters by their pod ranges); across zones
only the cloud's declared boundaries (from zone → to zone, on their ports); and the backup jobs' egress
to their backup host. Platform and exchange namespaces take calls from tenants and from the other
clusters' pod ranges on the service ports; exchange instances also reach their peers (归集 / 回流).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from govcloud.model.topology import CloudKind
from govcloud.plan import Plan
from govcloud.plan.clusters import ClusterPlan
from govcloud.render.k8s import backups, exchange, scope
from govcloud.render.k8s import labels as L

API = "networking.k8s.io/v1"
DEFAULT_DENY = "default-deny"
DNS = [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}]
DNS_PEER = {
    "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
    "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}},
}


def _ports(ports: list[int]) -> list[dict[str, Any]]:
    return [{"port": p, "protocol": "TCP"} for p in sorted(set(ports))]


def _policy(cluster: ClusterPlan, namespace: str, name: str, spec: dict[str, Any]) -> dict[str, Any]:
    labels = L.common(cluster, name, "network-policy")
    return L.obj(API, "NetworkPolicy", L.metadata(name, labels, namespace), spec=spec)


def _blocks(clusters: list[ClusterPlan]) -> list[dict[str, Any]]:
    out = []
    for c in clusters:
        for net in (c.pod_ipv4, c.pod_ipv6):
            if net is not None:
                out.append({"ipBlock": {"cidr": str(net)}})
    return out


def _zone_peer(zone: str) -> dict[str, Any]:
    return {"namespaceSelector": {"matchLabels": {L.ROLE: "tenant", L.NET_ZONE: zone}}}


def baseline(cluster: ClusterPlan, namespace: str) -> list[dict[str, Any]]:
    """Default deny (ingress and egress) plus DNS: the floor of every namespace."""
    return [
        _policy(cluster, namespace, DEFAULT_DENY, {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}),
        _policy(
            cluster,
            namespace,
            "allow-dns",
            {"podSelector": {}, "policyTypes": ["Egress"], "egress": [{"to": [DNS_PEER], "ports": DNS}]},
        ),
    ]


def _within_namespace(cluster: ClusterPlan, namespace: str) -> dict[str, Any]:
    return _policy(
        cluster,
        namespace,
        "allow-same-namespace",
        {
            "podSelector": {},
            "policyTypes": ["Ingress", "Egress"],
            "ingress": [{"from": [{"podSelector": {}}]}],
            "egress": [{"to": [{"podSelector": {}}]}],
        },
    )


def tenant_policies(plan: Plan, cluster: ClusterPlan) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    cloud = plan.index.clouds.get(cluster.cloud)
    crossings: dict[tuple[str, str], list[int]] = defaultdict(list)
    for b in cloud.boundaries if cloud else []:
        crossings[(b.from_zone, b.to)] += b.ports
    local_shared = [
        ns
        for ns, svcs in (
            (scope.PLATFORM_NS, scope.platform_services(plan, cluster)),
            (scope.EXCHANGE_NS, scope.exchange_services(plan, cluster)),
        )
        if svcs
    ]
    remote_shared = [] if cluster.cloud_kind == CloudKind.PROVINCIAL else scope.provincial_clusters(plan)
    shared_ports = scope.platform_ports(plan)
    backup_target = backups.target(plan, cluster)
    backup_tenants = {s.tenant for s in backups.backed_up(plan, cluster)}
    for t in scope.tenants(plan, cluster):
        ns = t.name
        out += baseline(cluster, ns)
        out.append(
            _policy(
                cluster,
                ns,
                "allow-same-zone",
                {
                    "podSelector": {},
                    "policyTypes": ["Ingress", "Egress"],
                    "ingress": [{"from": [_zone_peer(t.zone)]}],
                    "egress": [{"to": [_zone_peer(t.zone)]}],
                },
            )
        )
        peers = [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": n}}} for n in local_shared]
        peers += _blocks(remote_shared)
        if peers and shared_ports:
            out.append(
                _policy(
                    cluster,
                    ns,
                    "allow-platform-services",
                    {
                        "podSelector": {},
                        "policyTypes": ["Egress"],
                        "egress": [{"to": peers, "ports": _ports(shared_ports)}],
                    },
                )
            )
        for (src, dst), ports in sorted(crossings.items()):
            if dst == t.zone and src != t.zone:
                out.append(
                    _policy(
                        cluster,
                        ns,
                        f"allow-boundary-from-{src}",
                        {
                            "podSelector": {},
                            "policyTypes": ["Ingress"],
                            "ingress": [{"from": [_zone_peer(src)], "ports": _ports(ports)}],
                        },
                    )
                )
            if src == t.zone and dst != t.zone:
                out.append(
                    _policy(
                        cluster,
                        ns,
                        f"allow-boundary-to-{dst}",
                        {
                            "podSelector": {},
                            "policyTypes": ["Egress"],
                            "egress": [{"to": [_zone_peer(dst)], "ports": _ports(ports)}],
                        },
                    )
                )
        if ns in backup_tenants and backup_target is not None and backup_target.addresses:
            out.append(
                _policy(
                    cluster,
                    ns,
                    "allow-backup-egress",
                    {
                        "podSelector": {"matchLabels": {L.APP_COMPONENT: backups.COMPONENT}},
                        "policyTypes": ["Egress"],
                        "egress": [
                            {
                                "to": [{"ipBlock": {"cidr": f"{a}/32"}} for a in sorted(set(backup_target.addresses))],
                                "ports": _ports([backups.SSH_PORT]),
                            }
                        ],
                    },
                )
            )
    return out


def _tenant_callers() -> dict[str, Any]:
    return {"namespaceSelector": {"matchLabels": {L.ROLE: "tenant"}}}


def platform_policies(plan: Plan, cluster: ClusterPlan) -> list[dict[str, Any]]:
    services = scope.platform_services(plan, cluster)
    if not services:
        return []
    ns = scope.PLATFORM_NS
    others = [c for c in plan.clusters if c.name != cluster.name]
    callers = [_tenant_callers(), {"namespaceSelector": {"matchLabels": {L.ROLE: "exchange"}}}, *_blocks(others)]
    return [
        *baseline(cluster, ns),
        _within_namespace(cluster, ns),
        _policy(
            cluster,
            ns,
            "allow-callers",
            {
                "podSelector": {},
                "policyTypes": ["Ingress"],
                "ingress": [{"from": callers, "ports": _ports([p.port for p in services])}],
            },
        ),
    ]


def exchange_policies(plan: Plan, cluster: ClusterPlan) -> list[dict[str, Any]]:
    services = scope.exchange_services(plan, cluster)
    if not services:
        return []
    ns = scope.EXCHANGE_NS
    out = [
        *baseline(cluster, ns),
        _within_namespace(cluster, ns),
        _policy(
            cluster,
            ns,
            "allow-callers",
            {
                "podSelector": {},
                "policyTypes": ["Ingress"],
                "ingress": [{"from": [_tenant_callers()], "ports": _ports([p.port for p in services])}],
            },
        ),
    ]
    for p in services:
        blocks = _blocks(exchange.peers(plan, cluster, p).all())
        if not blocks:
            continue
        sel = {"matchLabels": L.selector(p.name, exchange.COMPONENT)}
        out.append(
            _policy(
                cluster,
                ns,
                f"{p.name}-peers",
                {
                    "podSelector": sel,
                    "policyTypes": ["Ingress", "Egress"],
                    "ingress": [{"from": blocks, "ports": _ports([p.port])}],
                    "egress": [{"to": blocks, "ports": _ports([p.port])}],
                },
            )
        )
    return out


def render(plan: Plan, cluster: ClusterPlan) -> list[dict[str, Any]]:
    return [*tenant_policies(plan, cluster), *platform_policies(plan, cluster), *exchange_policies(plan, cluster)]
