"""GC044: MLPS level ≥ 3 systems sit in an isolated zone."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.plan import Plan
from govcloud.rules.base import Finding, Rule


def check(plan: Plan) -> Iterator[Finding]:
    level = plan.topology.standards.mlps.isolated_zone_from
    ix = plan.index
    for s in plan.topology.systems:
        z = ix.system_zone(s)
        if s.mlps_level >= level and z is not None and not z.isolated:
            yield Finding(
                s.at("tenant"),
                f"MLPS level {s.mlps_level} system '{s.name}' is in zone '{z.name}', which is not isolated",
                "place it in a tenant of an isolated zone (专用网络区)",
            )


RULE = Rule(
    "GC044",
    "isolated-zone",
    Severity.ERROR,
    "Level 3+ systems are in an isolated zone",
    "MLPS 2.0 level 3 requires important network areas to be separated from others by reliable "
    "technical isolation (应避免将重要网络区域部署在边界处，重要网络区域与其他网络区域之间应采取可靠的技术隔离手段).",
    "GB/T 22239-2019 8.1.2.1 e)",
    check=check,
    category="security",
)
