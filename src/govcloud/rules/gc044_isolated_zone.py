"""GC044: MLPS level ≥ 3 systems sit in an isolated zone."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.model.topology import System
from govcloud.plan import Plan
from govcloud.rules.base import Finding, Rule


def check(plan: Plan) -> Iterator[Finding]:
    level = plan.topology.standards.mlps.isolated_zone_from
    ix = plan.index
    by_tenant: dict[str, list[System]] = {}
    for s in plan.topology.systems:
        z = ix.system_zone(s)
        if s.mlps_level >= level and z is not None and not z.isolated and s.tenant is not None:
            by_tenant.setdefault(s.tenant, []).append(s)
    # the mistake is the tenant's zone (every system of the tenant sits there): point at it, once
    for name, systems in by_tenant.items():
        tenant = ix.tenants[name]
        top = max(s.mlps_level for s in systems)
        names = ", ".join(f"'{s.name}'" for s in systems[:5]) + (
            f" and {len(systems) - 5} more" if len(systems) > 5 else ""
        )
        yield Finding(
            tenant.at("zone"),
            f"tenant '{name}' carries MLPS level {top} system(s) {names} but sits in zone '{tenant.zone}', "
            "which is not isolated",
            "give the tenant an isolated zone (专用网络区), or move the systems to a tenant of one",
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
