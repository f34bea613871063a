"""ResourceQuota and LimitRange per tenant namespace, from the tenant's declared quota (the same in every
cluster of its cloud: each centre can carry the whole load when another is lost)."""

from __future__ import annotations

from typing import Any

from govcloud.model.topology import Tenant
from govcloud.plan import Plan
from govcloud.plan.clusters import ClusterPlan
from govcloud.render.k8s import labels as L
from govcloud.render.k8s import scope

DEFAULT_REQUEST = {"cpu": "100m", "memory": "128Mi"}
DEFAULT_LIMIT = {"cpu": "500m", "memory": "512Mi"}


def quota(cluster: ClusterPlan, t: Tenant) -> dict[str, Any]:
    q = t.quota
    hard = {
        "limits.cpu": str(q.cpu),
        "limits.memory": f"{q.memory_gib}Gi",
        "pods": str(q.pods),
        "requests.cpu": str(q.cpu),
        "requests.memory": f"{q.memory_gib}Gi",
        "requests.storage": f"{q.storage_gib}Gi",
    }
    labels = {**L.common(cluster, "quota", "quota"), L.TENANT: t.name}
    return L.obj("v1", "ResourceQuota", L.metadata("tenant-quota", labels, t.name), spec={"hard": hard})


def limit_range(cluster: ClusterPlan, t: Tenant) -> dict[str, Any]:
    """Defaults so a container without requests/limits still counts against the quota; no container
    may ask for more than the whole quota."""
    q = t.quota
    max_ = {"cpu": str(max(1, q.cpu)), "memory": f"{max(1, q.memory_gib)}Gi"}
    limits: list[dict[str, Any]] = [
        {"type": "Container", "default": dict(DEFAULT_LIMIT), "defaultRequest": dict(DEFAULT_REQUEST), "max": max_}
    ]
    if q.storage_gib:
        limits.append({"type": "PersistentVolumeClaim", "max": {"storage": f"{q.storage_gib}Gi"}})
    labels = {**L.common(cluster, "limits", "quota"), L.TENANT: t.name}
    return L.obj("v1", "LimitRange", L.metadata("tenant-limits", labels, t.name), spec={"limits": limits})


def render(plan: Plan, cluster: ClusterPlan) -> list[dict[str, Any]]:
    out = []
    for t in scope.tenants(plan, cluster):
        out += [quota(cluster, t), limit_range(cluster, t)]
    return out
