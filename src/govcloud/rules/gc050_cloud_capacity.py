"""GC050: tenant quotas fit every serving centre's capacity × overcommit."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.model.topology import CentreRole
from govcloud.plan import Plan
from govcloud.plan.capacity import cloud_quota
from govcloud.rules.base import Finding, Rule

SERVING = (CentreRole.PRODUCTION, CentreRole.ACTIVE_ACTIVE)


def check(plan: Plan) -> Iterator[Finding]:
    ix = plan.index
    for c in plan.topology.clouds:
        cpu, mem = cloud_quota(ix, c.name)
        # active-active: either centre alone must carry the whole load when the other is lost
        for dc in c.centres:
            if dc.role not in SERVING:
                continue
            cap_cpu = dc.capacity.cpu * c.overcommit.cpu
            cap_mem = dc.capacity.memory_gib * c.overcommit.memory
            if cpu > cap_cpu or mem > cap_mem:
                yield Finding(
                    dc.at("capacity"),
                    f"tenants of '{c.name}' are promised {cpu} cores and {mem} GiB; centre '{dc.name}' "
                    f"offers {cap_cpu:.0f} cores and {cap_mem:.0f} GiB (capacity × overcommit)",
                    "add capacity or move tenants to another cloud",
                )


RULE = Rule(
    "GC050",
    "cloud-capacity",
    Severity.ERROR,
    "Quotas fit capacity",
    "The sum of tenant quotas on a cloud must fit each serving centre's capacity times the cloud's "
    "overcommit ratios; with active-active centres, each must carry the whole load alone.",
    "seed 004 §九.1 扩容政务云平台计算、存储、网络和安全资源",
    check=check,
    category="capacity",
)
