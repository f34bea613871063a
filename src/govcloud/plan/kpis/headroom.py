"""Capacity headroom per centre (资源余量): how much of a centre's capacity × overcommit is left after what
it must carry — a serving centre its cloud's tenant quotas (either active-active centre alone carries the
whole load, as GC050 checks), a remote DR centre the real-time systems it takes over (GC052)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from govcloud.model.topology import CentreRole, Cloud, KpiMetric, Replication, System
from govcloud.plan.capacity import cloud_quota, failover_load
from govcloud.plan.index import Index
from govcloud.plan.kpis.base import KpiGroup, KpiMiss, Measure, Metric, Unit, meets

if TYPE_CHECKING:
    from govcloud.model.topology import Centre
    from govcloud.plan import Plan


def _use(load: float, capacity: float) -> float:
    if capacity <= 0:
        return 0.0 if load <= 0 else 2.0  # no capacity at all: reported as -100% headroom
    return load / capacity


def _cloud_name(ix: Index, s: System) -> str | None:
    c = ix.system_cloud(s)
    return c.name if c else None


def _behind(ix: Index, cloud: Cloud, dc: Centre) -> list[KpiMiss]:
    """Who takes the capacity of a tight centre: the cloud's tenants, or the systems a DR centre takes over."""
    if dc.role == CentreRole.REMOTE_DR:
        systems = [
            s
            for s in ix.topology.systems
            if s.dr is not None and s.dr.replication == Replication.REALTIME and _cloud_name(ix, s) == cloud.name
        ]
        return [
            KpiMiss(
                "system",
                s.name,
                f"fails over to {dc.name} with {s.resources.cpu} cores, {s.resources.memory_gib} GiB",
                s.department,
                s.path,
            )
            for s in sorted(systems, key=lambda s: (-s.resources.cpu, -s.resources.memory_gib, s.name))
        ]
    tenants = [t for t in ix.topology.tenants if t.cloud == cloud.name]
    return [
        KpiMiss("tenant", t.name, f"promised {t.quota.cpu} cores, {t.quota.memory_gib} GiB", t.department, t.path)
        for t in sorted(tenants, key=lambda t: (-t.quota.cpu, -t.quota.memory_gib, t.name))
    ]


def measure(plan: Plan, target: float) -> Measure:
    ix = plan.index
    groups: list[KpiGroup] = []
    misses: list[KpiMiss] = []
    for cloud in plan.topology.clouds:
        quota, failover = cloud_quota(ix, cloud.name), failover_load(ix, cloud.name)
        for dc in cloud.centres:
            cpu, mem = failover if dc.role == CentreRole.REMOTE_DR else quota
            cap_cpu, cap_mem = dc.capacity.cpu * cloud.overcommit.cpu, dc.capacity.memory_gib * cloud.overcommit.memory
            headroom = 1.0 - max(_use(cpu, cap_cpu), _use(mem, cap_mem))
            note = f"{cpu} of {cap_cpu:.0f} cores, {mem} of {cap_mem:.0f} GiB ({dc.role.value})"
            groups.append(KpiGroup(dc.name, headroom, 0, 0, note, dc.at("capacity")))
            if not meets(headroom, target):
                why = f"{headroom:.0%} spare: carries {note}"
                misses.append(KpiMiss("centre", dc.name, why, path=dc.at("capacity")))
                misses.extend(_behind(ix, cloud, dc))
    value = min((g.value for g in groups if g.value is not None), default=None)
    met = sum(meets(g.value, target) for g in groups)
    return Measure(value, met, len(groups), tuple(groups), tuple(misses))


METRIC = Metric(
    KpiMetric.CAPACITY_HEADROOM,
    "Capacity headroom per centre",
    "For every data centre, the share of its capacity × its cloud's overcommit (the tighter of cores and "
    "memory) left after what it must carry: a production or active-active centre its cloud's tenant "
    "quotas, a remote DR centre the real-time replicated systems it takes over. The value is the "
    "smallest headroom of any centre; each centre must keep the target.",
    "clouds[].centres[].capacity, clouds[].overcommit, tenants[].quota, systems[].resources, systems[].dr",
    measure,
    unit=Unit.MINIMUM,
    per_group=True,
)
