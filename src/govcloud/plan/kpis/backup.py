"""Backup coverage per MLPS level (容灾备份): cloud-hosted systems whose data leaves their centre the way
their MLPS 2.0 level asks — level 1 any backup, level 2 off-site backups, from `realtime_backup_from`
(3 by default) real-time replication to an off-site centre."""

from __future__ import annotations

from typing import TYPE_CHECKING

from govcloud.model.topology import Hosting, KpiMetric, Replication, System
from govcloud.plan.index import Index
from govcloud.plan.kpis.base import KpiGroup, KpiMiss, Measure, Metric, share

if TYPE_CHECKING:
    from govcloud.plan import Plan

OFFSITE_FROM = 2  # GB/T 22239-2019 level 2 asks for 异地数据备份 (scheduled batches to a backup site)


def shortfall(ix: Index, s: System, realtime_from: int) -> str | None:
    """Why the system's backups fall short of its MLPS level, or None when they do not."""
    if s.dr is None or s.dr.replication == Replication.NONE:
        return f"MLPS {s.mlps_level} needs backups; it declares {'no DR' if s.dr is None else 'replication: none'}"
    if s.mlps_level >= realtime_from and s.dr.replication != Replication.REALTIME:
        return f"MLPS {s.mlps_level} needs real-time replication off site; it declares {s.dr.replication.value}"
    cloud = ix.system_cloud(s)
    if s.mlps_level >= OFFSITE_FROM and (cloud is None or ix.offsite_centre(cloud) is None):
        where = f"cloud '{cloud.name}'" if cloud else "its tenant"
        return f"MLPS {s.mlps_level} needs off-site backups; {where} has no remote DR centre or backup partner"
    return None


def _needs(level: int, realtime_from: int) -> str:
    if level >= realtime_from:
        return "needs real-time replication off site"
    return "needs off-site backups" if level >= OFFSITE_FROM else "needs backups"


def measure(plan: Plan, target: float) -> Measure:
    ix = plan.index
    realtime_from = plan.topology.standards.mlps.realtime_backup_from
    pool = sorted(
        (s for s in plan.topology.systems if not s.classified and s.hosting == Hosting.CLOUD), key=lambda s: s.name
    )
    misses: list[KpiMiss] = []
    per_level: dict[int, list[int]] = {}
    for s in pool:
        why = shortfall(ix, s, realtime_from)
        counts = per_level.setdefault(s.mlps_level, [0, 0])
        counts[1] += 1
        if why is None:
            counts[0] += 1
        else:
            misses.append(KpiMiss("system", s.name, why, s.department, s.path))
    groups = tuple(
        KpiGroup(
            f"MLPS {level}",
            share(ok, n),
            ok,
            n,
            _needs(level, realtime_from),
        )
        for level, (ok, n) in sorted(per_level.items())
    )
    covered = len(pool) - len(misses)
    return Measure(share(covered, len(pool)), covered, len(pool), groups, tuple(misses))


METRIC = Metric(
    KpiMetric.BACKUP_COVERAGE,
    "Backup coverage per MLPS level",
    "Non-classified cloud-hosted systems backed up as their MLPS 2.0 level requires, per level: level 1 "
    "declares backups; level 2 also has an off-site centre to send them to (its cloud's remote DR "
    "centre or backup partner); from standards.mlps.realtime_backup_from (3) the replication is "
    "real time. Each level must meet the target.",
    "systems[].mlps_level, systems[].dr.replication, standards.mlps.realtime_backup_from, "
    "clouds[].centres[].role, clouds[].backup_partner",
    measure,
    per_group=True,
)
