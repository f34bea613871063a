"""Plan stage: the topology expanded — extranet nodes with addresses, distances, lab clusters and hosts.

Building a plan never fails on a semantic problem: what does not resolve or fit is left out, and the
rules (which run on the plan) say why.
"""

from __future__ import annotations

from functools import cached_property

from govcloud.model.topology import CloudKind, Tier, Topology
from govcloud.plan.clusters import ClusterPlan, cluster_capacity, map_clusters
from govcloud.plan.distances import Link, measure
from govcloud.plan.extranet import TIERS, ExtranetNode, TierUse, expand, tier_usage
from govcloud.plan.ha import HaCluster, plan_clusters
from govcloud.plan.hosts import LabLayout, lay_out
from govcloud.plan.index import Index
from govcloud.plan.kpis import KpiValue, compute

__all__ = ["ClusterPlan", "ExtranetNode", "Index", "KpiValue", "LabLayout", "Link", "Plan", "build_plan"]


class Plan:
    """Everything downstream stages need, derived once from a topology. Parts are computed on use."""

    def __init__(self, topology: Topology) -> None:
        self.topology = topology
        self.index = Index.build(topology)

    @cached_property
    def extranet(self) -> list[ExtranetNode]:
        """Every extranet node with its prefixes (~21,000 for the province): built on first use."""
        return expand(self.topology)

    @cached_property
    def tier_use(self) -> dict[Tier, TierUse]:
        return tier_usage(self.topology)

    @cached_property
    def clusters(self) -> list[ClusterPlan]:
        return map_clusters(self.index)

    @cached_property
    def cluster_capacity(self) -> int:
        return cluster_capacity(self.topology)

    @cached_property
    def links(self) -> list[Link]:
        return measure(self.index)

    @cached_property
    def lab(self) -> LabLayout:
        return lay_out(self.index)

    @cached_property
    def ha(self) -> list[HaCluster]:
        """The HA database clusters (Patroni) and their proxied inter-centre routes."""
        return plan_clusters(self.index, self.lab)

    @cached_property
    def kpis(self) -> list[KpiValue]:
        return compute(self.index)

    def cluster(self, name: str) -> ClusterPlan:
        return next(c for c in self.clusters if c.name == name)

    def summary(self) -> dict[str, object]:
        """A machine-readable digest: what `govcloud plan --output json` prints."""
        t = self.topology
        kinds = {k.value: sum(c.kind == k for c in t.clouds) for k in CloudKind}
        return {
            "name": t.metadata.name,
            "clouds": {**kinds, "total": len(t.clouds)},
            "formula": f"{kinds['provincial']}+{kinds['city']}+{kinds['industry']}",
            "centres": [
                {"cloud": c.name, "centre": dc.name, "role": dc.role.value, "city": self.index.city_name(dc.city)}
                for c in t.clouds
                for dc in c.centres
            ],
            "clusters": [
                {
                    "name": c.name,
                    "cloud": c.cloud,
                    "centre": c.centre,
                    "role": c.role.value,
                    "region": c.region,
                    "nodes": c.nodes,
                    "pod_ipv4": str(c.pod_ipv4) if c.pod_ipv4 else None,
                    "service_ipv4": str(c.service_ipv4) if c.service_ipv4 else None,
                    "pod_ipv6": str(c.pod_ipv6) if c.pod_ipv6 else None,
                    "service_ipv6": str(c.service_ipv6) if c.service_ipv6 else None,
                }
                for c in self.clusters
            ],
            "extranet": {
                tier.value: {
                    "nodes": u.nodes,
                    "ipv4_capacity": u.ipv4_capacity,
                    "ipv6_capacity": u.ipv6_capacity,
                    "ipv4_used": round(u.nodes / u.ipv4_capacity, 4) if u.ipv4_capacity else None,
                }
                for tier, u in ((t_, self.tier_use[t_]) for t_ in TIERS)
            },
            "links": [
                {
                    "kind": lk.kind,
                    "cloud": lk.cloud,
                    "from": lk.a,
                    "to": lk.b,
                    "km": round(lk.km, 1),
                    "route_km": round(lk.route_km, 1),
                    "rtt_ms": round(lk.rtt_ms, 3),
                }
                for lk in self.links
            ],
            "lab": {
                "networks": [{"name": n.name, "ipv4": str(n.ipv4)} for n in self.lab.networks],
                "hosts": len(self.lab.hosts),
                "replication": [
                    {"primary": r.primary, "standby": r.standby, "mode": r.mode} for r in self.lab.replication
                ],
                "backups": [{"source": b.source, "target": b.target} for b in self.lab.backups],
            },
            "systems": {
                "total": len(t.systems),
                "tenants": len(t.tenants),
                "platform_services": len(t.platform_services),
            },
            "kpis": [
                {
                    "metric": k.metric.value,
                    "title": k.title,
                    "value": None if k.value is None else round(k.value, 4),
                    "target": k.target,
                    "met": k.met,
                    "numerator": k.numerator,
                    "denominator": k.denominator,
                }
                for k in self.kpis
            ],
        }


def build_plan(topology: Topology) -> Plan:
    return Plan(topology)
