"""Plan stage: the topology expanded — extranet nodes with addresses, distances, lab clusters and hosts.

Building a plan never fails on a semantic problem: what does not resolve or fit is left out, and the
rules (which run on the plan) say why.
"""

from __future__ import annotations

from functools import cached_property

from govcloud.model.topology import Tier, Topology
from govcloud.plan.clusters import ClusterPlan, cluster_capacity, map_clusters
from govcloud.plan.distances import Link, measure
from govcloud.plan.extranet import ExtranetNode, TierUse, expand, tier_usage
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
        return compute(self)

    def cluster(self, name: str) -> ClusterPlan:
        return next(c for c in self.clusters if c.name == name)

    def summary(self) -> dict[str, object]:
        """A machine-readable digest: what `govcloud plan --output json` prints (docs/plan.schema.json)."""
        from govcloud.plan.summary import summarize

        return summarize(self).model_dump(mode="json", by_alias=True)


def build_plan(topology: Topology) -> Plan:
    return Plan(topology)
