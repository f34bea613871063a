"""Node objects for a kwok cluster: the centre's capacity spread over its simulated nodes, with the
upstream topology labels and kwok's annotation so the kwok controller manages them."""

from __future__ import annotations

from ipaddress import ip_network
from typing import Any

from govcloud.plan.clusters import ClusterPlan

KWOK_ANNOTATION = "kwok.x-k8s.io/node"
PODS_PER_NODE = 110


def node_name(cluster: ClusterPlan, n: int) -> str:
    return f"{cluster.name}-node-{n + 1:02d}"


def render_nodes(cluster: ClusterPlan) -> list[dict[str, Any]]:
    count = cluster.nodes
    cpu = max(1, cluster.capacity.cpu // count)
    mem_gib = max(1, cluster.capacity.memory_gib // count)
    pod_subnets = list(ip_network(cluster.pod_ipv4).subnets(new_prefix=24))[:count] if cluster.pod_ipv4 else []
    out = []
    for n in range(count):
        name = node_name(cluster, n)
        resources = {
            "cpu": str(cpu),
            "memory": f"{mem_gib}Gi",
            "pods": str(PODS_PER_NODE),
            "ephemeral-storage": "500Gi",
        }
        node: dict[str, Any] = {
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": {
                "name": name,
                "annotations": {KWOK_ANNOTATION: "fake", "node.alpha.kubernetes.io/ttl": "0"},
                "labels": {
                    "kubernetes.io/hostname": name,
                    "kubernetes.io/os": "linux",
                    "kubernetes.io/arch": "amd64",
                    "node.kubernetes.io/instance-type": "kwok",
                    "topology.kubernetes.io/region": cluster.region,
                    "topology.kubernetes.io/zone": cluster.zone,
                    "govcloud.dev/cloud": cluster.cloud,
                    "govcloud.dev/centre": cluster.centre,
                    "govcloud.dev/dr-role": cluster.role.value,
                    "type": "kwok",
                },
            },
            "spec": {},
            "status": {
                "capacity": resources,
                "allocatable": resources,
                "nodeInfo": {
                    "architecture": "amd64",
                    "operatingSystem": "linux",
                    "kubeletVersion": "fake",
                    "kubeProxyVersion": "fake",
                },
            },
        }
        if pod_subnets:
            node["spec"]["podCIDR"] = str(pod_subnets[n])
            node["spec"]["podCIDRs"] = [str(pod_subnets[n])]
        out.append(node)
    return out
