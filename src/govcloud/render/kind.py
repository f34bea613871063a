"""kind cluster configs (kind.x-k8s.io/v1alpha4), one per centre: the plan's pod and service ranges,
a loopback API port, and the topology labels on every node."""

from __future__ import annotations

from typing import Any

from govcloud.plan.clusters import ClusterPlan

KIND_API = "kind.x-k8s.io/v1alpha4"
KIND_PORT_BASE = 30443


def api_port(cluster: ClusterPlan) -> int:
    return KIND_PORT_BASE + cluster.index


def render_kind_config(cluster: ClusterPlan, workers: int = 1) -> dict[str, Any]:
    labels = {
        "topology.kubernetes.io/region": cluster.region,
        "topology.kubernetes.io/zone": cluster.zone,
        "govcloud.dev/cloud": cluster.cloud,
        "govcloud.dev/centre": cluster.centre,
        "govcloud.dev/dr-role": cluster.role.value,
    }
    pods = ",".join(str(n) for n in (cluster.pod_ipv4, cluster.pod_ipv6) if n is not None)
    services = ",".join(str(n) for n in (cluster.service_ipv4, cluster.service_ipv6) if n is not None)
    return {
        "kind": "Cluster",
        "apiVersion": KIND_API,
        "name": cluster.name,
        "networking": {
            "ipFamily": "dual" if cluster.pod_ipv6 is not None else "ipv4",
            "apiServerAddress": "127.0.0.1",
            "apiServerPort": api_port(cluster),
            "podSubnet": pods,
            "serviceSubnet": services,
        },
        "nodes": [{"role": "control-plane", "labels": dict(labels)}]
        + [{"role": "worker", "labels": dict(labels)} for _ in range(workers)],
    }
