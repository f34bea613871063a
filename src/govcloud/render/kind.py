"""kind cluster configs (kind.x-k8s.io/v1alpha4), one per centre: the plan's IPv4 pod and service
ranges, a loopback API port, the topology labels on every node, and what this machine needs.

- `disableDefaultCNI`: the lab installs kube-router instead of kindnetd (NetworkPolicy on this
  kernel, see govcloud/lab/kind-network.yaml);
- `failCgroupV1: false`: kubelet ≥ 1.35 refuses a cgroup v1 host unless told (KEP-5573);
- IPv4 only: the plan's IPv6 ranges stay with kwok; a kind node's Docker network here is IPv4.
"""

from __future__ import annotations

from typing import Any

from govcloud.plan.clusters import ClusterPlan

KIND_API = "kind.x-k8s.io/v1alpha4"
KIND_PORT_BASE = 30443
KUBELET_PATCH = "kind: KubeletConfiguration\nfailCgroupV1: false\n"


def api_port(cluster: ClusterPlan) -> int:
    return KIND_PORT_BASE + cluster.index


def render_kind_config(cluster: ClusterPlan, workers: int = 0) -> dict[str, Any]:
    """One control-plane node (it runs workloads when there are no workers) and `workers` more."""
    labels = {
        "topology.kubernetes.io/region": cluster.region,
        "topology.kubernetes.io/zone": cluster.zone,
        "govcloud.dev/cloud": cluster.cloud,
        "govcloud.dev/centre": cluster.centre,
        "govcloud.dev/dr-role": cluster.role.value,
    }
    return {
        "kind": "Cluster",
        "apiVersion": KIND_API,
        "name": cluster.name,
        "networking": {
            "ipFamily": "ipv4",
            "apiServerAddress": "127.0.0.1",
            "apiServerPort": api_port(cluster),
            "podSubnet": str(cluster.pod_ipv4),
            "serviceSubnet": str(cluster.service_ipv4),
            "disableDefaultCNI": True,
            "kubeProxyMode": "iptables",
        },
        "kubeadmConfigPatches": [KUBELET_PATCH],
        "nodes": [{"role": "control-plane", "labels": dict(labels)}]
        + [{"role": "worker", "labels": dict(labels)} for _ in range(workers)],
    }
