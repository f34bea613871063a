"""GC037: a system's RTO and RPO targets are within what its GB/T 20988 level allows."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.model.topology import Replication
from govcloud.model.types import format_duration
from govcloud.plan import Plan
from govcloud.rules.base import Finding, Rule


def check(plan: Plan) -> Iterator[Finding]:
    table = {row.level: row for row in plan.topology.standards.dr_levels}
    for s in plan.topology.systems:
        if s.dr is None:
            continue
        row = table.get(s.dr.level)
        if row is None:
            yield Finding(s.dr.at("level"), f"DR level {s.dr.level} is not in standards.dr_levels")
            continue
        if s.dr.rto > row.rto:
            yield Finding(
                s.dr.at("rto"),
                f"'{s.name}' targets RTO {format_duration(s.dr.rto)}; DR level "
                f"{row.level} requires {format_duration(row.rto)} or less",
                "lower the target, or declare the level the design really reaches",
            )
        if s.dr.rpo > row.rpo:
            yield Finding(
                s.dr.at("rpo"),
                f"'{s.name}' targets RPO {format_duration(s.dr.rpo)}; DR level "
                f"{row.level} requires {format_duration(row.rpo)} or less",
                "lower the target, or declare the level the design really reaches",
            )
        if s.dr.rpo < 3600 and s.dr.replication != Replication.REALTIME:
            yield Finding(
                s.dr.at("replication"),
                f"'{s.name}' targets RPO {format_duration(s.dr.rpo)} with {s.dr.replication.value} replication",
                "an RPO under an hour needs replication: realtime",
            )


RULE = Rule(
    "GC037",
    "dr-targets",
    Severity.ERROR,
    "RTO and RPO targets fit the DR level",
    "GB/T 20988 grades disaster-recovery capability 1–6; each level bounds the recovery time and "
    "recovery point a system may claim. The bounds are the topology's standards.dr_levels table. A "
    "sub-hour RPO cannot come from scheduled backups.",
    "GB/T 20988-2007 信息安全技术 信息系统灾难恢复规范, Annex A",
    check=check,
    category="dr",
)
