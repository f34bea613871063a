"""The Kubernetes side of losing a production centre, on a running kwok lab (`govcloud drill cluster-loss`).

One process runs the whole drill, so the sampler of the same-city services runs without a gap:

| step     | what it does |
|----------|--------------|
| restore  | undo what an interrupted run left: the lost cluster started again, standbys at their design |
| precheck | every touched cluster answers; every standby at its design and Ready; the same-city services serving |
| sample   | from here to the end, twice a second: each same-city active Deployment available with a ready endpoint |
| fault    | the production centre's cluster stopped at once: etcd, kube-apiserver, controller-manager, |
|          | scheduler and kwok, the processes its pid files record (nothing matched by name) |
| scale    | each standby in the surviving clusters scaled to its takeover replicas (`takeover.py`) |
| ready    | until every scaled Deployment has available replicas = takeover replicas: the takeover time |
| restore  | the lost cluster started again (the lab's own steps), the standbys applied back to their design |
| record   | `reports/drills/<UTC time>-cluster-loss/record.json` (`ClusterLossRecord`) and `events.jsonl` |

"Serving" on kwok, where pods are simulated: the Deployment is Available (available replicas = its
replicas) and its Service has at least one ready endpoint (EndpointSlice). Only the lab's own
processes are stopped; scaling uses the scale subresource (field manager `govcloud-drill`) and
restore server-side applies the rendered Deployment (field manager `govcloud`), which takes the
replicas back: a `govcloud deploy` afterwards changes nothing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kubernetes import client as k8s

from govcloud.diagnostics import UsageError
from govcloud.drill.judge import strictest, systems_on
from govcloud.drill.records import ClusterLossRecord, Run, StandbyFigure, write_atomic
from govcloud.drill.takeover import ClusterLoss, Scale, Watched
from govcloud.lab.kube import Applier, api_client
from govcloud.lab.kwok import KwokLab
from govcloud.plan import Plan

Progress = Callable[[str], None]
FIELD_MANAGER = "govcloud-drill"
SAMPLE_S = 0.5
SETTLE_S = 5.0  # sampling goes on this long after every standby is Ready, before the restore
REQUEST_TIMEOUT_S = 3


class DrillFailed(Exception):
    """The drill ran and found a failure (exit 1)."""


def _ready(d: Any, want: int) -> bool:
    """A Deployment the controller has seen at `want` replicas, every one updated and available."""
    st, meta = d.status, d.metadata
    if st is None or (d.spec.replicas or 0) != want:
        return False
    return (
        (st.observed_generation or 0) >= (meta.generation or 0)
        and (st.updated_replicas or 0) == want
        and (st.available_replicas or 0) == want
        and (st.replicas or 0) == want  # scaled down: old pods gone too
    )


@dataclass(slots=True)
class Sample:
    at: float
    failing: list[str]
    """`cluster/namespace/deployment: why` for each watched Deployment not serving."""


@dataclass(slots=True)
class Sampler:
    """Samples the serving clusters' watched Deployments on its own thread, with its own API clients."""

    lab: KwokLab
    watched: list[Watched]
    samples: list[Sample] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None

    def one(self, apis: dict[str, k8s.ApiClient]) -> Sample:
        now = time.time()
        failing: list[str] = []
        spaces = sorted({(w.cluster, w.namespace) for w in self.watched})
        for cluster, ns in spaces:
            api = apis[cluster]
            try:
                items: list[Any] = (
                    k8s.AppsV1Api(api).list_namespaced_deployment(ns, _request_timeout=REQUEST_TIMEOUT_S).items
                )
                deps = {d.metadata.name: d for d in items}
                slices: list[Any] = (
                    k8s.DiscoveryV1Api(api).list_namespaced_endpoint_slice(ns, _request_timeout=REQUEST_TIMEOUT_S).items
                )
            except Exception as e:  # the same-city API not answering: nothing there is known to serve
                failing += [
                    f"{w.cluster}/{w.namespace}/{w.deployment}: API error {type(e).__name__}"
                    for w in self.watched
                    if (w.cluster, w.namespace) == (cluster, ns)
                ]
                continue
            ready: dict[str, int] = {}
            for s in slices:
                svc = (s.metadata.labels or {}).get("kubernetes.io/service-name", "")
                ready[svc] = ready.get(svc, 0) + sum(
                    1 for e in s.endpoints or [] if e.conditions is None or e.conditions.ready is not False
                )
            for w in (w for w in self.watched if (w.cluster, w.namespace) == (cluster, ns)):
                d = deps.get(w.deployment)
                avail = 0 if d is None or d.status is None else d.status.available_replicas or 0
                if avail < w.replicas:
                    failing.append(f"{w.cluster}/{w.namespace}/{w.deployment}: {avail}/{w.replicas} available")
                elif ready.get(w.service, 0) < 1:
                    failing.append(f"{w.cluster}/{w.namespace}/{w.deployment}: no ready endpoint")
        return Sample(now, failing)

    def _loop(self) -> None:
        clusters = sorted({w.cluster for w in self.watched})
        apis = {c: api_client(self.lab.kubeconfig, c) for c in clusters}
        try:
            while not self.stop.is_set():
                self.samples.append(self.one(apis))
                self.stop.wait(SAMPLE_S)
        finally:
            for a in apis.values():
                a.close()

    def start(self) -> None:
        self.thread = threading.Thread(target=self._loop, name="serving-sampler", daemon=True)
        self.thread.start()

    def finish(self) -> list[Sample]:
        self.stop.set()
        if self.thread is not None:
            self.thread.join(timeout=30)
        return list(self.samples)


def longest_outage(samples: list[Sample]) -> float:
    """Seconds from the first failing sample of a run of them to the next passing one (or the last)."""
    longest, began = 0.0, None
    for s in samples:
        if s.failing and began is None:
            began = s.at
        elif not s.failing and began is not None:
            longest, began = max(longest, s.at - began), None
    if began is not None and samples:
        longest = max(longest, samples[-1].at - began)
    return longest


class Drill:
    """One run of the drill against the lab; every API client per cluster, from the lab's kubeconfig."""

    def __init__(self, plan: Plan, lab: KwokLab, loss: ClusterLoss, run: Run | None, progress: Progress) -> None:
        self.plan, self.lab, self.loss, self.run, self.progress = plan, lab, loss, run, progress
        self.timeline: list[dict[str, Any]] = []
        self._apis: dict[str, k8s.ApiClient] = {}

    # --- plumbing -----------------------------------------------------------------------------

    def api(self, cluster: str) -> k8s.ApiClient:
        if cluster not in self._apis:
            self._apis[cluster] = api_client(self.lab.kubeconfig, cluster)
        return self._apis[cluster]

    def close(self) -> None:
        for a in self._apis.values():
            a.close()
        self._apis.clear()

    def mark(self, step: str, event: str, what: str, at: float | None = None, **data: Any) -> float:
        when = time.time() if at is None else at
        if self.run is not None:
            self.run.event(step, event, at=when, detail=what, **data)
        self.timeline.append({"at": round(when, 3), "what": what, "source": "drill"})
        self.progress(f"{step}: {what}")
        return when

    def deployments(self, s: Scale) -> Any:
        return k8s.AppsV1Api(self.api(s.cluster)).read_namespaced_deployment(
            s.deployment, s.namespace, _request_timeout=REQUEST_TIMEOUT_S
        )

    def _wait(self, what: str, check: Callable[[], list[str]], timeout: float) -> None:
        """Until `check` names nothing left to wait for; DrillFailed naming what was left."""
        deadline = time.monotonic() + timeout
        while True:
            left = check()
            if not left:
                return
            if time.monotonic() > deadline:
                raise DrillFailed(f"{what}: not reached within {timeout:.0f}s: {', '.join(left[:5])}")
            time.sleep(0.5)

    def _not_ready(self, scales: list[Scale], want: Callable[[Scale], int], ready_at: dict[str, float]) -> list[str]:
        left = []
        for s in scales:
            key = f"{s.cluster}/{s.namespace}/{s.deployment}"
            if key in ready_at:
                continue
            try:
                ok = _ready(self.deployments(s), want(s))
            except Exception as e:  # an API hiccup under load: try again on the next round
                left.append(f"{key} ({type(e).__name__})")
                continue
            if ok:
                ready_at[key] = time.time()
            else:
                left.append(key)
        return left

    # --- steps --------------------------------------------------------------------------------

    def restore(self, timeout: float) -> tuple[list[str], int]:
        """The lost cluster running and Ready, every standby applied back to its design and Ready.
        Idempotent: on a lab already in its design it starts nothing and changes nothing."""
        lost = self.loss.lost
        started = self.lab.start_cluster(lost, lambda m, _d, _t: self.progress(f"restore: {m}"))
        changed, present = 0, []
        for s in self.loss.scale:
            try:
                self.deployments(s)
            except k8s.exceptions.ApiException as e:
                if e.status == 404:  # never deployed: the precheck says so; restore deploys nothing new
                    continue
                raise
            _, did = Applier(self.api(s.cluster)).apply(self.loss.design[(s.cluster, s.namespace, s.deployment)])
            changed += did
            present.append(s)
        self._wait("standbys back at their design", lambda: self._not_ready(present, lambda s: s.design, {}), timeout)
        self._wait("the lost cluster's Deployments available", lambda: self._unavailable(lost.name), timeout)
        return started, changed

    def _unavailable(self, cluster: str) -> list[str]:
        try:
            deps: list[Any] = (
                k8s.AppsV1Api(self.api(cluster))
                .list_deployment_for_all_namespaces(_request_timeout=REQUEST_TIMEOUT_S)
                .items
            )
        except Exception as e:
            return [f"{cluster} ({type(e).__name__})"]
        return [
            f"{cluster}/{d.metadata.namespace}/{d.metadata.name}" for d in deps if not _ready(d, d.spec.replicas or 0)
        ]

    def precheck(self) -> None:
        for c in self.loss.clusters:
            if not self.lab.api_ready(c):
                raise DrillFailed(f"precheck: {c.name}'s API does not answer (govcloud lab status)")
        missing = []
        for s in self.loss.scale:
            try:
                d = self.deployments(s)
            except k8s.exceptions.ApiException as e:
                if e.status == 404:
                    missing.append(f"{s.cluster}/{s.namespace}/{s.deployment}")
                    continue
                raise
            if not _ready(d, s.design):
                missing.append(f"{s.cluster}/{s.namespace}/{s.deployment} not Ready at {s.design}")
        if missing:
            raise DrillFailed(
                f"precheck: standbys not deployed as designed (govcloud deploy): {', '.join(missing[:5])}"
            )

    def fault(self) -> tuple[float, list[str]]:
        lost = self.loss.lost
        at = time.time()
        stopped = self.lab.stop_cluster(lost)
        if not stopped:
            raise DrillFailed(f"fault: {lost.name} had no running process of the lab to stop")
        names = [f"{p.name} {p.identity.pid}" for p in stopped]
        self.mark(
            "fault",
            "injected",
            f"{lost.name} declared lost: {len(stopped)} processes stopped ({', '.join(p.name for p in stopped)})",
            at=at,
            processes=names,
        )
        if self.lab.api_ready(lost):
            raise DrillFailed(f"fault: {lost.name}'s API still answers after its processes were stopped")
        self.mark("fault", "checked", f"{lost.name}'s API no longer answers")
        return at, names

    def scale(self) -> float:
        at = time.time()
        for s in self.loss.scale:
            k8s.AppsV1Api(self.api(s.cluster)).patch_namespaced_deployment_scale(
                s.deployment,
                s.namespace,
                {"spec": {"replicas": s.takeover}},
                field_manager=FIELD_MANAGER,
                _content_type="application/merge-patch+json",  # the client's default is a JSON patch (a list)
                _request_timeout=REQUEST_TIMEOUT_S,
            )
        total = sum(s.takeover for s in self.loss.scale)
        where = ", ".join(sorted({s.cluster for s in self.loss.scale}))
        self.mark("scale", "requested", f"{len(self.loss.scale)} standbys scaled to {total} replicas in {where}", at=at)
        return at


def check_lab(lab: KwokLab, loss: ClusterLoss) -> None:
    """A lab is up and holds every cluster the drill touches; a usage error saying what to run otherwise."""
    if not lab.kubeconfig.exists():
        raise UsageError(
            f"no lab is up (no kubeconfig at {lab.kubeconfig}): run `govcloud lab up --profile compact` "
            "and `govcloud deploy` first"
        )
    absent = [c.name for c in loss.clusters if not (lab.dir(c) / "pki").is_dir()]
    if absent:
        raise UsageError(f"not in the running lab: {', '.join(absent)} (govcloud lab status; lab up starts them)")


def run_drill(
    plan: Plan, lab: KwokLab, loss: ClusterLoss, run: Run, progress: Progress, *, timeout: float
) -> ClusterLossRecord:
    """Restore, precheck, sample, fault, scale, wait for Ready, settle, restore; the record (written)."""
    check_lab(lab, loss)
    d = Drill(plan, lab, loss, run, progress)
    started = time.time()
    try:
        restarted, changed = d.restore(timeout)
        d.mark(
            "restore",
            "before",
            f"started {', '.join(restarted) or 'nothing'}; {changed} standby Deployment(s) put back to the design",
        )
        d.precheck()
        d.mark(
            "precheck", "checked", f"{len(loss.clusters)} clusters answer; {len(loss.scale)} standbys at their design"
        )
        sampler = Sampler(lab, loss.watched)
        sampler.start()
        try:
            return _measure(d, sampler, started, timeout)
        finally:
            sampler.finish()
    finally:
        d.close()


def _measure(d: Drill, sampler: Sampler, started: float, timeout: float) -> ClusterLossRecord:
    loss, run = d.loss, d.run
    assert run is not None
    deadline = time.monotonic() + 10
    while not sampler.samples and time.monotonic() < deadline:  # a baseline before the fault
        time.sleep(0.1)
    fault_at, stopped = d.fault()
    fault_at = round(fault_at, 3)  # as the record and its timeline rows keep it
    scaled_at = d.scale()
    ready_at: dict[str, float] = {}
    ready_ok = True
    try:
        d._wait("every scaled standby Ready", lambda: d._not_ready(loss.scale, lambda s: s.takeover, ready_at), timeout)
    except DrillFailed as e:
        ready_ok = False
        d.mark("ready", "gave-up", str(e))
    all_ready = max(ready_at.values()) if ready_ok and ready_at else None
    if all_ready is not None:
        d.mark(
            "ready", "ready", f"every scaled standby Ready, {all_ready - fault_at:.2f}s after the fault", at=all_ready
        )
    time.sleep(SETTLE_S)
    restore_began = d.mark("restore", "begins", f"starting {loss.lost.name} again; standbys back to their design")
    restored_ok, restore_s, restored_detail = True, None, ""
    try:
        restarted, changed = d.restore(timeout)
        restore_s = time.time() - restore_began
        restored_detail = f"started {', '.join(restarted) or 'nothing'}; {changed} standbys back to the design"
        d.mark("restore", "restored", f"restored in {restore_s:.2f}s: {restored_detail}")
    except DrillFailed as e:
        restored_ok = False
        d.mark("restore", "failed", str(e))
    samples = sampler.finish()
    restored = set()
    if restored_ok:
        restored = {f"{s.cluster}/{s.namespace}/{s.deployment}" for s in loss.scale}
    failures = [s for s in samples if s.failing]
    notes = sorted({f for s in failures for f in s.failing})[:20]
    systems = systems_on(d.plan.topology, loss.cloud)
    worst = strictest(systems)
    target = worst.dr.rto if worst is not None and worst.dr is not None else None
    ready_s = None if all_ready is None else round(all_ready - fault_at, 3)
    checks = {
        "lost_cluster_stopped": bool(stopped),
        "standbys_ready": ready_s is not None,
        "same_city_served_throughout": bool(samples) and not failures,
        "within_strictest_rto": ready_s is not None and (target is None or ready_s <= target),
        "restored": restored_ok,
    }
    for s in samples:
        if s.failing:
            d.timeline.append(
                {"at": round(s.at, 3), "what": "not serving: " + "; ".join(s.failing[:3]), "source": "sampler"}
            )
    timeline = sorted(
        ({**row, "since_fault_s": round(row["at"] - fault_at, 3)} for row in d.timeline), key=lambda r: r["at"]
    )
    rec = ClusterLossRecord(
        run=run.id,
        cloud=loss.cloud,
        lost_cluster=loss.lost.name,
        lost_centre=loss.lost.centre,
        survivors=[c.name for c in loss.survivors],
        serving=[c.name for c in loss.serving],
        started_at=round(started, 3),
        fault_at=round(fault_at, 3),
        stopped=stopped,
        ready_s=ready_s,
        scale_ready_s=None if all_ready is None else round(all_ready - scaled_at, 3),
        restore_s=None if restore_s is None else round(restore_s, 3),
        standbys=[
            StandbyFigure(
                cluster=s.cluster,
                namespace=s.namespace,
                deployment=s.deployment,
                standby=s.standby,
                design=s.design,
                takeover=s.takeover,
                ready_s=(
                    round(ready_at[k] - fault_at, 3)
                    if (k := f"{s.cluster}/{s.namespace}/{s.deployment}") in ready_at
                    else None
                ),
                restored=k in restored,
            )
            for s in loss.scale
        ],
        watched=len(loss.watched),
        samples=len(samples),
        serving_failures=len(failures),
        longest_outage_s=round(longest_outage(samples), 3),
        rto_target_s=target,
        strictest=worst.name if worst is not None else None,
        timeline=timeline,
        checks=checks,
        passed=all(checks.values()),
        notes=notes,
    )
    write_atomic(run.record_file, rec.model_dump(mode="json"))
    run.event("record", "judged", passed=rec.passed)
    return rec


def restore_only(
    lab: KwokLab, loss: ClusterLoss, run: Run | None, progress: Progress, *, timeout: float
) -> dict[str, Any]:
    """Only the restore (after an interrupted drill): the lost cluster started, standbys at their design."""
    check_lab(lab, loss)
    d = Drill(lab.plan, lab, loss, run, progress)
    try:
        started, changed = d.restore(timeout)
    finally:
        d.close()
    d.mark("restore", "restored", f"started {', '.join(started) or 'nothing'}; {changed} standbys back to the design")
    return {"started": started, "changed": changed}
