"""Namespaces: one per tenant (a department's or system group's share of the cloud), plus the shared
platform and exchange namespaces where they run. All enforce the Pod Security `restricted` profile."""

from __future__ import annotations

from typing import Any

from govcloud.plan import Plan
from govcloud.plan.clusters import ClusterPlan
from govcloud.render.k8s import labels as L
from govcloud.render.k8s import scope


def namespace(
    cluster: ClusterPlan,
    name: str,
    role: str,
    *,
    zone: str | None,
    isolated: bool,
    mlps_level: int,
    extra: dict[str, str] | None = None,
    annotations: dict[str, str] | None = None,
) -> dict[str, Any]:
    labels = {
        **L.common(cluster, name, "namespace"),
        **L.pod_security(),
        L.ROLE: role,
        L.MLPS: str(mlps_level),
        **(extra or {}),
    }
    if zone is not None:
        labels[L.NET_ZONE] = zone
        labels[L.ZONE_ISOLATED] = str(isolated).lower()
    return L.obj("v1", "Namespace", L.metadata(name, labels, annotations=annotations))


def render(plan: Plan, cluster: ClusterPlan) -> list[dict[str, Any]]:
    """The tenant namespaces (platform and exchange namespaces come with their workloads)."""
    return [
        namespace(
            cluster,
            t.name,
            "tenant",
            zone=t.zone,
            isolated=scope.zone_isolated(plan, t.cloud, t.zone),
            mlps_level=t.mlps_level,
            extra={L.TENANT: t.name},
            annotations={
                L.TITLE: t.title,
                L.DEPARTMENT: t.department,
                L.PREFIX + "dedicated-pool": str(t.dedicated_pool).lower(),
            },
        )
        for t in scope.tenants(plan, cluster)
    ]
