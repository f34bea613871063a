"""GC048: no system is above the MLPS level of the tenant that holds it."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.plan import Plan
from govcloud.rules.base import Finding, Rule


def check(plan: Plan) -> Iterator[Finding]:
    ix = plan.index
    for s in plan.topology.systems:
        t = ix.tenants.get(s.tenant) if s.tenant else None
        if t is not None and s.mlps_level > t.mlps_level:
            yield Finding(
                s.at("mlps_level"),
                f"system '{s.name}' is MLPS level {s.mlps_level}; its tenant '{t.name}' is level {t.mlps_level}",
                "raise the tenant's level or move the system",
            )


RULE = Rule(
    "GC048",
    "tenant-level",
    Severity.ERROR,
    "Systems fit their tenant's level",
    "A tenant's namespace is labelled and protected at its MLPS level (priority, isolation, policy); a "
    "system above that level would be under-protected by its own namespace.",
    "GB/T 22239-2019 (protection follows the highest level carried)",
    check=check,
    category="security",
)
