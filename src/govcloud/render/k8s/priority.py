"""PriorityClasses, one per MLPS level: under node pressure the kubelet evicts lower priority first, and
the scheduler preempts lower priority, so higher-MLPS systems are evicted last."""

from __future__ import annotations

from typing import Any

from govcloud.plan import Plan
from govcloud.plan.clusters import ClusterPlan
from govcloud.render.k8s import labels as L

LEVELS = (1, 2, 3, 4)
BASE = 100_000
STEP = 100_000
"""Values well below system-cluster-critical (2,000,000,000) and apart enough to slot others between."""


def name(level: int) -> str:
    return f"gc-mlps-{level}"


def value(level: int) -> int:
    return BASE + STEP * (level - 1)


def render(plan: Plan, cluster: ClusterPlan) -> list[dict[str, Any]]:
    out = []
    for level in LEVELS:
        labels = {**L.common(cluster, name(level), "priority"), L.MLPS: str(level)}
        out.append(
            L.obj(
                "scheduling.k8s.io/v1",
                "PriorityClass",
                L.metadata(name(level), labels),
                value=value(level),
                globalDefault=False,
                preemptionPolicy="PreemptLowerPriority",
                description=f"MLPS level {level} (GB/T 22239): evicted after every lower level",
            )
        )
    return out
