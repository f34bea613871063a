"""GC035: a backup partner has the spare capacity to take over what it protects."""

from collections import defaultdict
from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.model.topology import CentreRole
from govcloud.plan import Plan
from govcloud.plan.capacity import cloud_quota, failover_load
from govcloud.rules.base import Finding, Rule


def check(plan: Plan) -> Iterator[Finding]:
    ix = plan.index
    protected: dict[str, list[str]] = defaultdict(list)
    for c in plan.topology.clouds:
        if c.backup_partner in ix.clouds and c.backup_partner != c.name:
            protected[c.backup_partner].append(c.name)
    for partner_name, clients in protected.items():
        partner = ix.clouds[partner_name]
        dc = ix.centre(partner, CentreRole.PRODUCTION)
        if dc is None:
            continue
        own_cpu, own_mem = cloud_quota(ix, partner_name)
        spare_cpu = dc.capacity.cpu * partner.overcommit.cpu - own_cpu
        spare_mem = dc.capacity.memory_gib * partner.overcommit.memory - own_mem
        need_cpu = need_mem = 0
        for name in clients:
            cpu, mem = failover_load(ix, name)
            need_cpu += cpu
            need_mem += mem
        # nothing to take over (no real-time systems) asks nothing of the partner
        if (need_cpu or need_mem) and (need_cpu > spare_cpu or need_mem > spare_mem):
            first = ix.clouds[clients[0]]
            yield Finding(
                first.at("backup_partner"),
                f"'{partner_name}' has {spare_cpu:.0f} cores and {spare_mem:.0f} GiB spare but must take "
                f"over {need_cpu} cores and {need_mem} GiB for {', '.join(clients)}",
                "add capacity to the partner or spread the clouds over several partners",
            )


RULE = Rule(
    "GC035",
    "backup-partner-capacity",
    Severity.ERROR,
    "Backup partners can carry the load",
    "A partner that takes over a failed city's real-time systems needs the spare cores and memory to "
    "run them, on top of its own tenants' quotas.",
    "seed 004 §九.1 备份合作机制; GB/T 20988-2007 §6 (backup data-processing capability)",
    check=check,
    category="dr",
)
