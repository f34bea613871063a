"""GC052: a remote DR centre can carry the real-time systems it protects."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.model.topology import CentreRole
from govcloud.plan import Plan
from govcloud.plan.capacity import failover_load
from govcloud.rules.base import Finding, Rule


def check(plan: Plan) -> Iterator[Finding]:
    ix = plan.index
    for c in plan.topology.clouds:
        dr = ix.centre(c, CentreRole.REMOTE_DR)
        if dr is None:
            continue
        cpu, mem = failover_load(ix, c.name)
        cap_cpu, cap_mem = dr.capacity.cpu * c.overcommit.cpu, dr.capacity.memory_gib * c.overcommit.memory
        if cpu > cap_cpu or mem > cap_mem:
            yield Finding(
                dr.at("capacity"),
                f"remote DR centre '{dr.name}' offers {cap_cpu:.0f} cores and {cap_mem:.0f} GiB; the "
                f"real-time systems it protects need {cpu} cores and {mem} GiB",
                "grow the DR centre or lower systems to scheduled replication",
            )


RULE = Rule(
    "GC052",
    "dr-centre-capacity",
    Severity.ERROR,
    "The DR centre carries what it protects",
    "After a failover the remote DR centre runs every real-time replicated system of its cloud; it "
    "needs their cores and memory.",
    "GB/T 20988-2007 §6.2 备用数据处理系统; seed 004 §九.1 异地灾备",
    check=check,
    category="capacity",
)
