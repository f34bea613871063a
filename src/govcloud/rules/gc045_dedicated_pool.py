"""GC045: MLPS level 4 systems get a resource pool of their own."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.plan import Plan
from govcloud.rules.base import Finding, Rule


def check(plan: Plan) -> Iterator[Finding]:
    level = plan.topology.standards.mlps.dedicated_pool_from
    ix = plan.index
    for s in plan.topology.systems:
        t = ix.tenants.get(s.tenant) if s.tenant else None
        if s.mlps_level >= level and t is not None and not t.dedicated_pool:
            yield Finding(
                s.at("tenant"),
                f"MLPS level {s.mlps_level} system '{s.name}' shares tenant '{t.name}', which has no dedicated pool",
                "set dedicated_pool: true on its tenant",
            )


RULE = Rule(
    "GC045",
    "dedicated-pool",
    Severity.ERROR,
    "Level 4 systems have a resource pool of their own",
    "At level 4 the cloud extension asks that the tenant's computing resources be isolated from other "
    "tenants'; govcloud models that as a dedicated tenant pool (own nodes, own quota).",
    "GB/T 22239-2019 云计算安全扩展要求, level 4 (9.2.x 计算环境: 资源隔离)",
    check=check,
    category="security",
)
