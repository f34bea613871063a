"""`govcloud deploy`: apply every cluster's rendered objects to the running lab with server-side
apply (field manager `govcloud`), then wait until its Deployments are available.

The objects come from the same renderer as `govcloud render` and the Pulumi program, so what is
rendered is what is deployed. A second deploy changes nothing (reported per cluster).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govcloud.diagnostics import UsageError
from govcloud.lab.kube import Applier, api_client
from govcloud.plan import Plan
from govcloud.plan.clusters import ClusterPlan
from govcloud.render.k8s import sort_key

READY_TIMEOUT_S = 300.0
WORKERS = 4

Progress = Callable[[str, int, int], None]


@dataclass(slots=True)
class ClusterReport:
    cluster: str
    objects: int = 0
    changed: int = 0
    deployments: int = 0
    available: int = 0
    seconds: float = 0.0
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "cluster": self.cluster,
            "objects": self.objects,
            "changed": self.changed,
            "deployments": self.deployments,
            "available": self.available,
            "seconds": round(self.seconds, 2),
            "error": self.error,
        }


def ordered(objs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Namespaces and cluster-scoped kinds first, so everything else has somewhere to go."""
    return sorted(objs, key=sort_key)


def _deployments_available(applier: Applier, objs: list[dict[str, Any]]) -> tuple[int, int]:
    from kubernetes import client as k8s

    apps = k8s.AppsV1Api(applier.api)
    want = [o for o in objs if o["kind"] == "Deployment"]
    ok = 0
    for d in want:
        live = apps.read_namespaced_deployment(d["metadata"]["name"], d["metadata"]["namespace"])
        replicas = live.spec.replicas or 0
        st = live.status
        if st is not None and (st.available_replicas or 0) >= replicas and (st.updated_replicas or 0) >= replicas:
            ok += 1
    return len(want), ok


def deploy_cluster(
    cluster: ClusterPlan, objs: list[dict[str, Any]], kubeconfig: Path, wait: bool = True
) -> ClusterReport:
    rep = ClusterReport(cluster.name)
    t0 = time.monotonic()
    applier = Applier(api_client(kubeconfig, cluster.context))
    try:
        for obj in ordered(objs):
            _, changed = applier.apply(obj)
            rep.objects += 1
            rep.changed += changed
        rep.deployments, rep.available = _deployments_available(applier, objs)
        deadline = time.monotonic() + READY_TIMEOUT_S
        while wait and rep.available < rep.deployments and time.monotonic() < deadline:
            time.sleep(1.0)
            rep.deployments, rep.available = _deployments_available(applier, objs)
        if rep.available < rep.deployments:
            rep.error = f"{rep.deployments - rep.available} Deployment(s) not available"
    except Exception as e:  # an API refusal is reported per cluster; the other clusters go on
        rep.error = f"{type(e).__name__}: {getattr(e, 'reason', None) or e}"
    finally:
        applier.api.close()
        rep.seconds = time.monotonic() - t0
    return rep


def deploy(
    plan: Plan,
    rendered: dict[str, list[dict[str, Any]]],
    kubeconfig: Path,
    clusters: list[ClusterPlan],
    progress: Progress | None = None,
    wait: bool = True,
) -> list[ClusterReport]:
    if not kubeconfig.exists():
        raise UsageError(f"no lab kubeconfig at {kubeconfig}: start the lab first (`govcloud lab up`)")
    done = 0
    reports: list[ClusterReport] = []
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = [pool.submit(deploy_cluster, c, rendered[c.name], kubeconfig, wait) for c in clusters]
        for f in futures:
            rep = f.result()
            done += 1
            reports.append(rep)
            if progress:
                state = "ok" if rep.error is None else f"FAILED: {rep.error}"
                progress(
                    f"{rep.cluster}: {rep.objects} objects, {rep.changed} changed, "
                    f"{rep.available}/{rep.deployments} available — {state}",
                    done,
                    len(clusters),
                )
    return reports
