"""GC043: MLPS level ≥ 3 systems have redundant communication links."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.plan import Plan
from govcloud.rules.base import Finding, Rule


def check(plan: Plan) -> Iterator[Finding]:
    level = plan.topology.standards.mlps.redundant_links_from
    for s in plan.topology.systems:
        if s.mlps_level >= level and not s.redundant_links:
            yield Finding(
                s.at("mlps_level"),
                f"MLPS level {s.mlps_level} system '{s.name}' has no redundant links",
                "set redundant_links: true (dual uplinks, dual devices)",
            )


RULE = Rule(
    "GC043",
    "redundant-links",
    Severity.ERROR,
    "Level 3+ systems have redundant links",
    "MLPS 2.0 level 3 requires hardware redundancy of communication lines, key network devices and key "
    "computing devices (应提供通信线路、关键网络设备和关键计算设备的硬件冗余).",
    "GB/T 22239-2019 8.1.2.1 c) / 8.1.4.11 d)",
    check=check,
    category="security",
)
