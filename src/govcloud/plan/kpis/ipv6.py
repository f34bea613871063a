"""IPv6 coverage (全面实现支持IPv6): every network the plan addresses, and every system on a cloud,
has IPv6. The weakest part sets the value: "everywhere" is only as good as its least covered part."""

from __future__ import annotations

from typing import TYPE_CHECKING

from govcloud.model.topology import Hosting, KpiMetric
from govcloud.plan.extranet import TIERS
from govcloud.plan.kpis.base import KpiGroup, KpiMiss, Measure, Metric, Unit, meets, share

if TYPE_CHECKING:
    from govcloud.plan import Plan


def _group(label: str, covered: int, total: int, note: str) -> KpiGroup:
    return KpiGroup(label, share(covered, total), covered, total, note)


def measure(plan: Plan, target: float) -> Measure:
    t = plan.topology
    misses: list[KpiMiss] = []
    groups: list[KpiGroup] = []

    nodes = covered = 0
    for tier in TIERS:
        use = plan.tier_use[tier]
        spec = t.addressing.extranet.get(tier)
        have = min(use.nodes, use.ipv6_capacity) if spec is not None and spec.ipv6 is not None else 0
        nodes, covered = nodes + use.nodes, covered + have
        if have < use.nodes:
            why = "no IPv6 supernet" if spec is None or spec.ipv6 is None else f"IPv6 supernet holds {have}"
            lack = f"{use.nodes - have} of {use.nodes} nodes lack IPv6: {why}"
            misses.append(KpiMiss("network", f"extranet {tier.value} tier", lack, path=spec.path if spec else ()))
    groups.append(_group("extranet nodes", covered, nodes, "each node's IPv6 prefix (addressing.extranet)"))

    zones = [(c, z) for c in t.clouds for z in c.zones]
    for c, z in zones:
        if z.ipv6 is None:
            misses.append(KpiMiss("network", f"{c.name}/{z.name}", "cloud zone without an IPv6 subnet", path=z.path))
    groups.append(_group("cloud zones", sum(z.ipv6 is not None for _, z in zones), len(zones), "clouds[].zones[].ipv6"))

    clusters = plan.clusters
    for k in clusters:
        if k.pod_ipv6 is None or k.service_ipv6 is None:
            misses.append(KpiMiss("network", k.name, "centre cluster without IPv6 pod and service ranges"))
    dual = sum(k.pod_ipv6 is not None and k.service_ipv6 is not None for k in clusters)
    groups.append(_group("centre clusters", dual, len(clusters), "IPv6 pod and service ranges (addressing.clusters)"))

    ix = plan.index
    on_cloud = [s for s in t.systems if not s.classified and s.hosting == Hosting.CLOUD]
    ok = 0
    for s in sorted(on_cloud, key=lambda s: s.name):
        zone = ix.system_zone(s)
        if zone is not None and zone.ipv6 is not None:
            ok += 1
        else:
            misses.append(KpiMiss("system", s.name, "its tenant's zone has no IPv6 subnet", s.department, s.path))
    groups.append(_group("cloud-hosted systems", ok, len(on_cloud), "the IPv6 subnet of each system's tenant zone"))

    judged = [g for g in groups if g.denominator]
    value = min((g.value for g in judged if g.value is not None), default=None)
    met = sum(meets(g.value, target) for g in judged)
    return Measure(value, met, len(judged), tuple(groups), tuple(misses))


METRIC = Metric(
    KpiMetric.IPV6_COVERAGE,
    "IPv6 coverage",
    "The share with IPv6 of each part of the plan: extranet nodes given an IPv6 prefix, cloud zones "
    "with an IPv6 subnet, centre clusters with IPv6 pod and service ranges, and non-classified "
    "cloud-hosted systems whose zone has IPv6. The value is the lowest of these shares. Self-hosted "
    "systems get no address from the plan and are counted by cloud adoption instead.",
    "addressing.extranet (plan: tier use), clouds[].zones[].ipv6, addressing.clusters (plan: "
    "clusters), systems[].tenant → tenants[].zone",
    measure,
    unit=Unit.MINIMUM,
    per_group=True,
)
