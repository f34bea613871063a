"""DR level per system (灾难恢复能力等级, GB/T 20988): does the system's cloud have the centres its declared
level needs? Levels 1–4 need backups sent to an off-site centre, level 5 real-time replication to it,
level 6 (zero data loss, remote cluster) a synchronous same-city active-active centre as well."""

from __future__ import annotations

from typing import TYPE_CHECKING

from govcloud.model.topology import CentreRole, Hosting, KpiMetric, Replication, System
from govcloud.model.types import format_duration
from govcloud.plan.index import Index
from govcloud.plan.kpis.base import KpiGroup, KpiMiss, Measure, Metric, Unit, share

if TYPE_CHECKING:
    from govcloud.plan import Plan

REALTIME_FROM = 5  # GB/T 20988 level 5: 实时数据传输及完整设备支持
SYNC_FROM = 6  # level 6: 数据零丢失和远程集群支持


def _gap(ix: Index, s: System) -> tuple[str, str | None]:
    """(what the system declares, why the plan cannot back it or None)."""
    if s.dr is None:
        return "no DR target", "declares no DR level (dr:)"
    dr = s.dr
    said = f"level {dr.level} (RTO {format_duration(dr.rto)}, RPO {format_duration(dr.rpo)}), {dr.replication.value}"
    cloud = ix.system_cloud(s)
    target = ix.offsite_centre(cloud) if cloud else None
    if dr.replication == Replication.NONE:
        return said, f"level {dr.level} needs its data sent off site; it declares replication: none"
    if target is None:
        return said, f"cloud '{cloud.name if cloud else '?'}' has no remote DR centre or backup partner"
    said += f" → {target.name}"
    if dr.level >= REALTIME_FROM and dr.replication != Replication.REALTIME:
        return said, f"level {dr.level} needs real-time replication; it declares {dr.replication.value}"
    if dr.level >= SYNC_FROM and (cloud is None or ix.centre(cloud, CentreRole.ACTIVE_ACTIVE) is None):
        where = cloud.name if cloud else "?"
        return said, f"level {dr.level} needs zero data loss: cloud '{where}' has no active-active centre"
    return said, None


def measure(plan: Plan, target: float) -> Measure:
    ix = plan.index
    pool = sorted(
        (s for s in plan.topology.systems if not s.classified and s.hosting == Hosting.CLOUD), key=lambda s: s.name
    )
    groups: list[KpiGroup] = []
    misses: list[KpiMiss] = []
    for s in pool:
        said, why = _gap(ix, s)
        groups.append(KpiGroup(s.name, 0.0 if why else 1.0, note=said, path=s.path))
        if why:
            misses.append(KpiMiss("system", s.name, why, s.department, s.path))
    backed = len(pool) - len(misses)
    return Measure(share(backed, len(pool)), backed, len(pool), tuple(groups), tuple(misses))


METRIC = Metric(
    KpiMetric.DR_LEVEL,
    "DR level per system",
    "Non-classified cloud-hosted systems whose declared GB/T 20988 DR level their cloud's centres can "
    "deliver: levels 1–4 send backups to an off-site centre (the cloud's remote DR centre or its backup "
    "partner), level 5 replicates there in real time, level 6 also has a same-city active-active "
    "centre for zero data loss. Each system is listed; whether its RTO and RPO fit the level is rule GC037.",
    "systems[].dr, clouds[].centres[].role, clouds[].backup_partner",
    measure,
    group_unit=Unit.PASS,
)
