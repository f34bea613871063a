"""GC042: MLPS level ≥ 3 systems replicate in real time to a remote site."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.model.topology import Replication
from govcloud.plan import Plan
from govcloud.rules.base import Finding, Rule


def check(plan: Plan) -> Iterator[Finding]:
    level = plan.topology.standards.mlps.realtime_backup_from
    for s in plan.topology.systems:
        if s.mlps_level < level:
            continue
        if s.dr is None:
            yield Finding(
                s.at("mlps_level"),
                f"MLPS level {s.mlps_level} system '{s.name}' declares no DR",
                "add dr: {level: 5, rto: 1h, rpo: 5m, replication: realtime}",
            )
        elif s.dr.replication != Replication.REALTIME:
            yield Finding(
                s.dr.at("replication"),
                f"MLPS level {s.mlps_level} system '{s.name}' replicates '{s.dr.replication.value}'",
                "level 3 and above need replication: realtime",
            )


RULE = Rule(
    "GC042",
    "realtime-remote-backup",
    Severity.ERROR,
    "Level 3+ systems back up remotely in real time",
    "MLPS 2.0 level 3 requires a remote real-time backup function that sends important data to the "
    "backup site over the network in real time (数据备份恢复: 应提供异地实时备份功能).",
    "GB/T 22239-2019 8.1.4.11 c)",
    check=check,
    category="security",
)
