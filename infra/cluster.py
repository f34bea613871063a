"""One ComponentResource per cluster (one data centre): its own Kubernetes provider bound to the
cluster's kubeconfig context, and one child resource per object that `govcloud render` writes for it.

The objects come from `govcloud.render.k8s.render_cluster`, the renderer `govcloud render` and
`govcloud deploy` use: what is rendered is what is deployed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from govcloud.plan import Plan
from govcloud.plan.clusters import ClusterPlan
from govcloud.render.k8s import count_kinds, render_cluster

# (apiVersion, kind) → the typed Pulumi resource; the renderer emits nothing else (a new kind fails loudly).
KINDS: dict[tuple[str, str], Any] = {
    ("scheduling.k8s.io/v1", "PriorityClass"): k8s.scheduling.v1.PriorityClass,
    ("v1", "Namespace"): k8s.core.v1.Namespace,
    ("v1", "ResourceQuota"): k8s.core.v1.ResourceQuota,
    ("v1", "LimitRange"): k8s.core.v1.LimitRange,
    ("v1", "ServiceAccount"): k8s.core.v1.ServiceAccount,
    ("v1", "ConfigMap"): k8s.core.v1.ConfigMap,
    ("v1", "Service"): k8s.core.v1.Service,
    ("networking.k8s.io/v1", "NetworkPolicy"): k8s.networking.v1.NetworkPolicy,
    ("apps/v1", "Deployment"): k8s.apps.v1.Deployment,
    ("policy/v1", "PodDisruptionBudget"): k8s.policy.v1.PodDisruptionBudget,
    ("batch/v1", "CronJob"): k8s.batch.v1.CronJob,
}
# Objects that other objects need first: namespaces hold them, workloads name a PriorityClass.
FOUNDATION = ("Namespace", "PriorityClass")


@dataclass(frozen=True, slots=True)
class ClusterArgs:
    """What one cluster component needs: the plan, which of its clusters, and where its kubeconfig is."""

    plan: Plan
    cluster: ClusterPlan
    kubeconfig: str
    """Path to a kubeconfig holding the cluster's context (named like the cluster)."""


def snake(key: str) -> str:
    """Top-level fields become keyword arguments (globalDefault → global_default); nested dicts keep
    Kubernetes' camelCase, which the SDK accepts as is."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", key).lower()


def resource_name(cluster: str, obj: dict[str, Any]) -> str:
    """Pulumi names are unique per type across the stack: prefix the cluster, keep the namespace."""
    meta = obj["metadata"]
    ns = meta.get("namespace")
    return f"{cluster}-{ns}-{meta['name']}" if ns else f"{cluster}-{meta['name']}"


class GovcloudCluster(pulumi.ComponentResource):
    """The Kubernetes objects of one data centre's cluster, applied through that cluster's own provider."""

    def __init__(self, name: str, args: ClusterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("govcloud:index:Cluster", name, None, opts)
        c = args.cluster
        self.cluster_name = c.name
        self.provider = k8s.Provider(
            f"{c.name}-provider",
            kubeconfig=args.kubeconfig,
            context=c.context,
            enable_server_side_apply=True,
            opts=pulumi.ResourceOptions(parent=self),
        )
        objects = render_cluster(args.plan, c)
        self.kinds = count_kinds(objects)
        self.resources: dict[str, pulumi.CustomResource] = {}
        namespaces: dict[str, pulumi.CustomResource] = {}
        foundation: list[pulumi.CustomResource] = []
        for obj in objects:  # render order: foundation kinds come first
            cls = KINDS.get((obj["apiVersion"], obj["kind"]))
            if cls is None:
                raise ValueError(f"no Pulumi resource type for {obj['apiVersion']} {obj['kind']}")
            ns = obj["metadata"].get("namespace")
            deps = [r for r in (namespaces.get(ns) if ns else None,) if r is not None]
            if obj["kind"] not in FOUNDATION:
                deps = [*deps, *(r for r in foundation if r not in deps)]
            body = {snake(k): v for k, v in obj.items() if k not in ("apiVersion", "kind")}
            rname = resource_name(c.name, obj)
            res = cls(rname, **body, opts=pulumi.ResourceOptions(parent=self, provider=self.provider, depends_on=deps))
            self.resources[f"{obj['kind']}/{rname}"] = res
            if obj["kind"] == "Namespace":
                namespaces[obj["metadata"]["name"]] = res
            if obj["kind"] in FOUNDATION:
                foundation.append(res)
        self.summary = {
            "context": c.context,
            "cloud": c.cloud,
            "centre": c.centre,
            "role": c.role.value,
            "objects": len(objects),
            "kinds": self.kinds,
        }
        self.register_outputs(self.summary)
