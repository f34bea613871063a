"""Map every data centre to a lab cluster, with pod and service ranges that never overlap."""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Network, IPv6Network
from typing import TypeVar

from govcloud.model.topology import Capacity, CentreRole, CloudKind, Topology
from govcloud.plan.index import Index

CLUSTER_PREFIX = "gc-"

_Net = TypeVar("_Net", IPv4Network, IPv6Network)


@dataclass(frozen=True, slots=True)
class ClusterPlan:
    """One Kubernetes cluster: the lab's stand-in for one data centre."""

    index: int
    name: str
    """Cluster and kubeconfig context name: gc-<centre>."""
    cloud: str
    cloud_kind: CloudKind
    centre: str
    role: CentreRole
    region: str
    """topology.kubernetes.io/region: the city the centre stands in."""
    zone: str
    """topology.kubernetes.io/zone: the centre."""
    nodes: int
    capacity: Capacity
    pod_ipv4: IPv4Network | None
    service_ipv4: IPv4Network | None
    pod_ipv6: IPv6Network | None
    service_ipv6: IPv6Network | None

    @property
    def context(self) -> str:
        return self.name


def _nth(supernet: _Net | None, prefix: int, n: int) -> _Net | None:
    """The n-th subnet of `prefix` inside `supernet`, or None when it does not fit (rule GC022)."""
    if supernet is None or prefix < supernet.prefixlen:
        return None
    size = 1 << (supernet.max_prefixlen - prefix)
    if (n + 1) * size > supernet.num_addresses:
        return None
    return type(supernet)((int(supernet.network_address) + n * size, prefix))


def pool_capacities(topo: Topology) -> dict[str, int]:
    """How many per-cluster ranges each cluster pool holds, by the pool's field name."""
    a = topo.addressing.clusters
    pools = {
        "pod_ipv4": (a.pod_ipv4, a.pod_ipv4_prefix),
        "service_ipv4": (a.service_ipv4, a.service_ipv4_prefix),
        "pod_ipv6": (a.pod_ipv6, a.pod_ipv6_prefix),
        "service_ipv6": (a.service_ipv6, a.service_ipv6_prefix),
    }
    return {
        key: (net.num_addresses >> (net.max_prefixlen - p)) if p >= net.prefixlen else 0
        for key, (net, p) in pools.items()
        if net is not None
    }


def cluster_capacity(topo: Topology) -> int:
    """How many clusters the cluster pools can hold (the smallest of the pools)."""
    return min(pool_capacities(topo).values())


def map_clusters(ix: Index) -> list[ClusterPlan]:
    a = ix.topology.addressing.clusters
    out: list[ClusterPlan] = []
    for cloud in ix.topology.clouds:
        for dc in cloud.centres:
            n = len(out)
            out.append(
                ClusterPlan(
                    index=n,
                    name=f"{CLUSTER_PREFIX}{dc.name}",
                    cloud=cloud.name,
                    cloud_kind=cloud.kind,
                    centre=dc.name,
                    role=dc.role,
                    region=ix.city_name(dc.city),
                    zone=dc.name,
                    nodes=dc.nodes,
                    capacity=dc.capacity,
                    pod_ipv4=_nth(a.pod_ipv4, a.pod_ipv4_prefix, n),
                    service_ipv4=_nth(a.service_ipv4, a.service_ipv4_prefix, n),
                    pod_ipv6=_nth(a.pod_ipv6, a.pod_ipv6_prefix, n),
                    service_ipv6=_nth(a.service_ipv6, a.service_ipv6_prefix, n),
                )
            )
    return out
