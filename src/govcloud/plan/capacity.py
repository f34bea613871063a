"""Load arithmetic: what a cloud's centres must carry (capacity rules and the headroom KPI share it)."""

from __future__ import annotations

from govcloud.model.topology import Replication
from govcloud.plan.index import Index


def cloud_quota(ix: Index, cloud: str) -> tuple[int, int]:
    """Cores and GiB the cloud's tenants are promised."""
    tenants = [t for t in ix.topology.tenants if t.cloud == cloud]
    return sum(t.quota.cpu for t in tenants), sum(t.quota.memory_gib for t in tenants)


def failover_load(ix: Index, cloud: str) -> tuple[int, int]:
    """Cores and GiB of the cloud's real-time replicated systems: what must run elsewhere after a failover."""
    cpu = mem = 0
    for s in ix.topology.systems:
        c = ix.system_cloud(s)
        if c is not None and c.name == cloud and s.dr is not None and s.dr.replication == Replication.REALTIME:
            cpu += s.resources.cpu
            mem += s.resources.memory_gib
    return cpu, mem
