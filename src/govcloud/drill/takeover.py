"""What the Kubernetes side of losing a production centre does, from the plan alone (pure).

The production centre's cluster is declared lost. In every surviving cluster of its cloud, each
shared service's standby (the remote DR centre's warm or cold instance) scales to the replicas of an
active centre (`scope.takeover_replicas`: the topology's `replicas`, "replicas in each active
centre"); the same-city active-active cluster's instances are already active and are only watched:
they must keep serving throughout. Restoring puts every scaled Deployment back to its rendered
design (`scope.replicas`).

Everything is read off the rendered objects (`render_cluster`), the same ones `govcloud deploy`
applies, so the drill scales exactly what was deployed and restores exactly the design.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from govcloud.diagnostics import UsageError
from govcloud.model.topology import CentreRole
from govcloud.plan import Plan
from govcloud.plan.clusters import ClusterPlan
from govcloud.render.k8s import render_cluster, scope

SCENARIO = "cluster-loss"


@dataclass(frozen=True, slots=True)
class Scale:
    """One standby Deployment the takeover scales, and back."""

    cluster: str
    """Lab cluster (= kubeconfig context)."""
    centre: str
    namespace: str
    deployment: str
    standby: str
    """warm or cold: the topology's `standby` of the service."""
    design: int
    """Replicas as rendered and deployed (1 for warm, 0 for cold)."""
    takeover: int
    """Replicas once the production centre is lost (an active centre's)."""

    def as_dict(self) -> dict[str, object]:
        return {
            "cluster": self.cluster,
            "centre": self.centre,
            "namespace": self.namespace,
            "deployment": self.deployment,
            "standby": self.standby,
            "design": self.design,
            "takeover": self.takeover,
        }


@dataclass(frozen=True, slots=True)
class Watched:
    """An active Deployment of the same-city cluster and its Service: it must keep serving."""

    cluster: str
    namespace: str
    deployment: str
    service: str
    replicas: int


@dataclass(frozen=True, slots=True)
class ClusterLoss:
    cloud: str
    lost: ClusterPlan
    survivors: list[ClusterPlan]
    """The cloud's other clusters, in plan order (the same-city one first)."""
    serving: list[ClusterPlan]
    """The survivors whose instances are active already: the same-city active-active centre's."""
    scale: list[Scale]
    watched: list[Watched]
    design: dict[tuple[str, str, str], dict[str, Any]]
    """The rendered Deployment of every scaled standby, by (cluster, namespace, name): restore applies it."""

    @property
    def clusters(self) -> list[ClusterPlan]:
        """Every cluster the drill touches: the lost one first."""
        return [self.lost, *self.survivors]


def _standbys(plan: Plan, cluster: ClusterPlan) -> list[tuple[Scale, dict[str, Any]]]:
    out = []
    for obj in render_cluster(plan, cluster):
        if obj["kind"] != "Deployment":
            continue
        meta = obj["metadata"]
        service = plan.index.services.get(meta["name"])
        if service is None or not scope.is_standby(service, cluster):
            continue
        s = Scale(
            cluster=cluster.name,
            centre=cluster.centre,
            namespace=meta["namespace"],
            deployment=meta["name"],
            standby=service.standby.value,
            design=int(obj["spec"]["replicas"]),
            takeover=scope.takeover_replicas(service, cluster),
        )
        out.append((s, obj))
    return out


def _active(plan: Plan, cluster: ClusterPlan) -> list[Watched]:
    """Deployments with replicas that a Service of the same name fronts (every shared service instance)."""
    objs = render_cluster(plan, cluster)
    services = {(o["metadata"]["namespace"], o["metadata"]["name"]) for o in objs if o["kind"] == "Service"}
    out = []
    for o in objs:
        if o["kind"] != "Deployment":
            continue
        meta = o["metadata"]
        if o["spec"]["replicas"] > 0 and (meta["namespace"], meta["name"]) in services:
            out.append(Watched(cluster.name, meta["namespace"], meta["name"], meta["name"], int(o["spec"]["replicas"])))
    return out


def _survivors(plan: Plan, lost: ClusterPlan) -> list[ClusterPlan]:
    return [c for c in plan.clusters if c.cloud == lost.cloud and c.name != lost.name]


def candidates(plan: Plan) -> list[ClusterPlan]:
    """Production-centre clusters whose loss scales some standby in a surviving cluster of their cloud."""
    return [
        c
        for c in plan.clusters
        if c.role == CentreRole.PRODUCTION and any(_standbys(plan, s) for s in _survivors(plan, c))
    ]


def cluster_loss(plan: Plan, cluster: str | None = None) -> ClusterLoss:
    """The drill of losing `cluster` (default: the first candidate, the provincial production centre's).

    A cluster the plan does not have, or whose loss scales no standby, is a usage error naming the
    clusters that can be drilled.
    """
    choices = candidates(plan)
    names = ", ".join(c.name for c in choices) or "none: no cloud has a standby in a surviving centre"
    if cluster is None:
        if not choices:
            raise UsageError(f"no cluster-loss drill in this topology ({names})")
        lost = choices[0]
    else:
        found = [c for c in choices if c.name == cluster]
        if not found:
            known = any(c.name == cluster for c in plan.clusters)
            why = "its loss scales no standby" if known else "no such lab cluster"
            raise UsageError(f"cannot drill the loss of {cluster!r} ({why}); choose one of: {names}")
        lost = found[0]
    survivors = _survivors(plan, lost)
    serving = [c for c in survivors if c.role == CentreRole.ACTIVE_ACTIVE]
    pairs = [p for c in survivors for p in _standbys(plan, c)]
    return ClusterLoss(
        cloud=lost.cloud,
        lost=lost,
        survivors=survivors,
        serving=serving,
        scale=[s for s, _ in pairs],
        watched=[w for c in serving for w in _active(plan, c)],
        design={(s.cluster, s.namespace, s.deployment): obj for s, obj in pairs},
    )
