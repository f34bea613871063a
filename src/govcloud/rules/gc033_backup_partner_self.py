"""GC033: a cloud does not back up to itself."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.plan import Plan
from govcloud.rules.base import Finding, Rule


def check(plan: Plan) -> Iterator[Finding]:
    for c in plan.topology.clouds:
        if c.backup_partner == c.name:
            yield Finding(c.at("backup_partner"), f"cloud '{c.name}' backs up to itself", "pick another cloud")


RULE = Rule(
    "GC033",
    "backup-partner-not-self",
    Severity.ERROR,
    "No cloud is its own backup partner",
    "A backup kept in the building it protects is lost with it.",
    "seed 004 §九.1: 鼓励各设区市政务云节点之间形成备份合作机制",
    check=check,
    category="dr",
)
