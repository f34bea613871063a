"""The shared platform services (统一应用支撑) on the provincial cloud's centres: active in the production
and same-city active-active centres, a warm (1 replica) or cold (0 replicas) standby in the remote DR
centre. Each is a ServiceAccount, Deployment, Service and PodDisruptionBudget in `gc-platform`."""

from __future__ import annotations

from typing import Any

from govcloud.plan import Plan
from govcloud.plan.clusters import ClusterPlan
from govcloud.render.k8s import namespaces, scope, workloads

COMPONENT = "platform"


def render(plan: Plan, cluster: ClusterPlan) -> list[dict[str, Any]]:
    services = scope.platform_services(plan, cluster)
    if not services:
        return []
    zones = {(p.cloud, p.zone) for p in services}
    cloud, zone = zones.pop() if len(zones) == 1 else (None, None)
    out = [
        namespaces.namespace(
            cluster,
            scope.PLATFORM_NS,
            COMPONENT,
            zone=zone,
            isolated=cloud is not None and scope.zone_isolated(plan, cloud, zone),
            mlps_level=max(p.mlps_level for p in services),
        )
    ]
    for p in services:
        out += workloads.instance(cluster, p, scope.PLATFORM_NS, COMPONENT, plan.topology.lab.workload_image)
    return out
