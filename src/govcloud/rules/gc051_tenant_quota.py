"""GC051: the systems of a tenant fit its quota."""

from collections import defaultdict
from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.plan import Plan
from govcloud.rules.base import Finding, Rule


def check(plan: Plan) -> Iterator[Finding]:
    need: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for s in plan.topology.systems:
        if s.tenant:
            n = need[s.tenant]
            n[0] += s.resources.cpu
            n[1] += s.resources.memory_gib
            n[2] += s.resources.storage_gib
    for t in plan.topology.tenants:
        cpu, mem, sto = need.get(t.name, (0, 0, 0))
        q = t.quota
        over = [
            f"{what} {have} > {cap}"
            for what, have, cap in (
                ("cpu", cpu, q.cpu),
                ("memory_gib", mem, q.memory_gib),
                ("storage_gib", sto, q.storage_gib),
            )
            if have > cap
        ]
        if over:
            yield Finding(
                t.at("quota"),
                f"systems of tenant '{t.name}' need more than its quota: {', '.join(over)}",
                "raise the quota or move systems",
            )


RULE = Rule(
    "GC051",
    "tenant-quota",
    Severity.ERROR,
    "Systems fit their tenant's quota",
    "A tenant's quota becomes its namespace's ResourceQuota; systems that need more would be refused "
    "at deploy time. Better to learn it from validate.",
    "Kubernetes ResourceQuota; govcloud tenants",
    check=check,
    category="capacity",
)
