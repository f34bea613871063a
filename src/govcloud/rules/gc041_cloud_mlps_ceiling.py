"""GC041: a cloud hosts nothing above its own protection level."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.plan import Plan
from govcloud.rules.base import Finding, Rule


def check(plan: Plan) -> Iterator[Finding]:
    ix = plan.index
    for t in plan.topology.tenants:
        c = ix.clouds.get(t.cloud)
        if c is not None and t.mlps_level > c.mlps_level:
            yield Finding(
                t.at("mlps_level"),
                f"tenant '{t.name}' is MLPS level {t.mlps_level}; cloud '{c.name}' is assessed at level {c.mlps_level}",
                "move it to a cloud of that level",
            )
    for p in plan.topology.platform_services:
        c = ix.clouds.get(p.cloud)
        if c is not None and p.mlps_level > c.mlps_level:
            yield Finding(
                p.at("mlps_level"),
                f"platform service '{p.name}' is MLPS level {p.mlps_level}; cloud "
                f"'{c.name}' is assessed at level {c.mlps_level}",
            )
    for s in plan.topology.systems:
        c = ix.system_cloud(s)
        if c is not None and s.mlps_level > c.mlps_level:
            yield Finding(
                s.at("mlps_level"),
                f"system '{s.name}' is MLPS level {s.mlps_level}; cloud '{c.name}' is assessed at level {c.mlps_level}",
                "move it to a cloud of that level",
            )


RULE = Rule(
    "GC041",
    "cloud-mlps-ceiling",
    Severity.ERROR,
    "No system above its cloud's level",
    "A cloud platform is assessed at an MLPS level; the systems it carries may not require more "
    "protection than the platform itself was assessed for.",
    "GB/T 22239-2019 云计算安全扩展要求 (cloud platform level ≥ level of the systems it carries)",
    check=check,
    category="security",
)
