"""What belongs on a cluster: its cloud's tenants, the platform services and exchange instances it runs,
and how many replicas each gets in this centre. Every renderer asks here, so they agree."""

from __future__ import annotations

from govcloud.model.topology import CentreRole, CloudKind, PlatformService, Standby, System, Tenant
from govcloud.plan import Plan
from govcloud.plan.clusters import ClusterPlan

PLATFORM_NS = "gc-platform"
EXCHANGE_NS = "gc-exchange"
EXCHANGE_SCOPE = "provincial-and-cities"


def tenants(plan: Plan, cluster: ClusterPlan) -> list[Tenant]:
    """The cloud's tenants: each has a namespace in every cluster of its cloud."""
    return sorted((t for t in plan.index.tenants.values() if t.cloud == cluster.cloud), key=lambda t: t.name)


def zone_isolated(plan: Plan, cloud: str, zone: str | None) -> bool:
    """Whether `zone` of `cloud` is an isolated network zone (an unknown zone is not)."""
    z = plan.index.zone(cloud, zone) if zone is not None else None
    return z is not None and z.isolated


def systems(plan: Plan, cluster: ClusterPlan) -> list[System]:
    """Cloud-hosted systems whose tenant is on this cluster's cloud."""
    names = {t.name for t in tenants(plan, cluster)}
    return sorted(
        (s for s in plan.index.systems.values() if s.tenant in names and s.hosting.value == "cloud"),
        key=lambda s: s.name,
    )


def platform_services(plan: Plan, cluster: ClusterPlan) -> list[PlatformService]:
    """Shared platform services of scope `provincial` that run in this cluster (their cloud's centres)."""
    return sorted(
        (p for p in plan.index.services.values() if p.scope != EXCHANGE_SCOPE and p.cloud == cluster.cloud),
        key=lambda p: p.name,
    )


def exchange_services(plan: Plan, cluster: ClusterPlan) -> list[PlatformService]:
    """Data sharing and exchange instances here: on the provincial cloud's centres and every city cloud."""
    return sorted(
        (
            p
            for p in plan.index.services.values()
            if p.scope == EXCHANGE_SCOPE and (p.cloud == cluster.cloud or cluster.cloud_kind == CloudKind.CITY)
        ),
        key=lambda p: p.name,
    )


def replicas(service: PlatformService, cluster: ClusterPlan) -> int:
    """Active in the production and same-city active-active centres; the remote DR centre keeps a warm
    (one replica) or cold (zero replicas) standby. A city cloud's exchange instance is active."""
    if cluster.role == CentreRole.REMOTE_DR and cluster.cloud == service.cloud:
        return 1 if service.standby == Standby.WARM else 0
    return service.replicas


def is_standby(service: PlatformService, cluster: ClusterPlan) -> bool:
    return cluster.role == CentreRole.REMOTE_DR and cluster.cloud == service.cloud


def takeover_replicas(service: PlatformService, cluster: ClusterPlan) -> int:
    """Replicas once the cloud's production centre is lost: a standby (warm or cold) becomes an active
    instance, with the replicas of an active centre; an active instance keeps its own. The DR drill of
    the Kubernetes side scales to this (drill/takeover.py)."""
    return service.replicas if is_standby(service, cluster) else replicas(service, cluster)


def provincial_clusters(plan: Plan) -> list[ClusterPlan]:
    return [c for c in plan.clusters if c.cloud_kind == CloudKind.PROVINCIAL]


def platform_ports(plan: Plan) -> list[int]:
    """Every port a shared service (platform or exchange) listens on: what tenants may reach."""
    return sorted({p.port for p in plan.index.services.values()})
