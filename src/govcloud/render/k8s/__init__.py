"""Kubernetes objects for every cluster (one per data centre), from the plan alone.

One module per concern; each exposes `render(plan, cluster) -> list[dict]`. `render_cluster` joins them
in a stable order (kind, namespace, name) so output is byte-identical run to run. `govcloud render`,
`govcloud deploy` and the Pulumi program (infra/) all call these functions: what is rendered is what is
deployed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from govcloud.plan import Plan
from govcloud.plan.clusters import ClusterPlan
from govcloud.render.k8s import backups, exchange, namespaces, network_policies, platform, priority, quotas

Renderer = Callable[[Plan, ClusterPlan], list[dict[str, Any]]]

RENDERERS: tuple[tuple[str, Renderer], ...] = (
    ("priority", priority.render),
    ("namespaces", namespaces.render),
    ("quotas", quotas.render),
    ("network-policies", network_policies.render),
    ("platform", platform.render),
    ("exchange", exchange.render),
    ("backups", backups.render),
)

# Cluster-scoped and namespace-defining kinds first, so a plain `kubectl apply -f` finds its namespace.
KIND_ORDER = (
    "PriorityClass",
    "Namespace",
    "ResourceQuota",
    "LimitRange",
    "ServiceAccount",
    "ConfigMap",
    "NetworkPolicy",
    "Service",
    "Deployment",
    "PodDisruptionBudget",
    "CronJob",
)
_RANK = {k: i for i, k in enumerate(KIND_ORDER)}


def sort_key(o: dict[str, Any]) -> tuple[int, str, str, str]:
    meta = o["metadata"]
    return (_RANK.get(o["kind"], len(KIND_ORDER)), o["kind"], meta.get("namespace", ""), meta["name"])


def render_cluster(plan: Plan, cluster: ClusterPlan) -> list[dict[str, Any]]:
    """Every object of one cluster, in a stable order."""
    objs = [o for _, fn in RENDERERS for o in fn(plan, cluster)]
    return sorted(objs, key=sort_key)


def render_all(plan: Plan) -> dict[str, list[dict[str, Any]]]:
    """Every cluster's objects, keyed by cluster name, in the plan's cluster order."""
    return {c.name: render_cluster(plan, c) for c in plan.clusters}


def count_kinds(objs: list[dict[str, Any]]) -> dict[str, int]:
    """Objects per kind, in KIND_ORDER: what `govcloud render --output json` and the stack outputs show."""
    counts = Counter(o["kind"] for o in objs)
    return {k: counts[k] for k in sorted(counts, key=lambda k: (_RANK.get(k, len(KIND_ORDER)), k))}


__all__ = ["KIND_ORDER", "RENDERERS", "count_kinds", "render_all", "render_cluster", "sort_key"]
