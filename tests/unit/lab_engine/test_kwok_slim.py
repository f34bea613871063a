"""The kwok lab's control plane is cut to what a simulated centre uses (issue 17): the command lines
still serve every API group the rendered objects need, keep the admission the tenants rely on, and run
every controller the lab's workloads need. Built without starting anything."""

from __future__ import annotations

from pathlib import Path

import pytest

from govcloud import pipeline
from govcloud.lab.kwok import API_GROUPS, CONTROLLERS, DISABLED_ADMISSION, KwokLab
from govcloud.plan import Plan
from govcloud.render.k8s import render_all


@pytest.fixture(scope="module")
def plan(reference_path: Path) -> Plan:
    return pipeline.load_plan(reference_path)


def _value(argv: list[str], flag: str) -> str:
    return argv[argv.index(flag) + 1]


def test_the_apiserver_serves_every_group_version_the_rendered_objects_use(plan: Plan, tmp_path: Path) -> None:
    lab = KwokLab(plan, tmp_path)
    used = {o["apiVersion"] for objs in render_all(plan).values() for o in objs}
    for c in lab.clusters:
        runtime = _value(lab.apiserver_argv(c, Path("/bin/kube-apiserver")), "--runtime-config").split(",")
        assert runtime[0] == "api/all=false", "everything off first, then the lab's groups on"
        served = {kv.removesuffix("=true") for kv in runtime[1:]}
        assert served == set(API_GROUPS)
        assert used <= served, sorted(used - served)
        # what the control plane itself reads: node leases, delegated auth, RBAC
        assert {"coordination.k8s.io/v1", "authentication.k8s.io/v1", "rbac.authorization.k8s.io/v1"} <= served


def test_the_admission_the_tenants_rely_on_stays_on(plan: Plan, tmp_path: Path) -> None:
    lab = KwokLab(plan, tmp_path)
    c = lab.clusters[0]
    off = set(_value(lab.apiserver_argv(c, Path("/bin/kube-apiserver")), "--disable-admission-plugins").split(","))
    assert off == set(DISABLED_ADMISSION)
    kept = {"NamespaceLifecycle", "LimitRanger", "ServiceAccount", "PodSecurity", "Priority", "ResourceQuota"}
    assert not kept & off


def test_the_controller_manager_runs_the_controllers_the_lab_workloads_need(plan: Plan, tmp_path: Path) -> None:
    lab = KwokLab(plan, tmp_path)
    for c in lab.clusters:
        argv = lab.controller_manager_argv(c, Path("/bin/kube-controller-manager"))
        running = set(_value(argv, "--controllers").split(","))
        assert running == set(CONTROLLERS)
        assert "*" not in running, "an explicit list, not the default set"
        needed = {
            "deployment-controller",
            "replicaset-controller",
            "namespace-controller",
            "garbage-collector-controller",
            "resourcequota-controller",
            "serviceaccount-controller",
            "cronjob-controller",
            "job-controller",
            "node-lifecycle-controller",  # lifts the not-ready taint admission puts on every new Node
            "endpoints-controller",  # the Pulumi provider's Service await reads v1 Endpoints
        }
        assert needed <= running, sorted(needed - running)


def test_every_control_plane_process_starts_with_a_smaller_go_heap_target_on_one_processor() -> None:
    from govcloud.lab.kwok import GO_RUNTIME, TOOLS

    assert set(GO_RUNTIME) == set(TOOLS), "every process the lab starts has its Go runtime settings"
    for name, env in GO_RUNTIME.items():
        assert 0 < int(env["GOGC"]) < 100, name  # collect before the heap doubles
        limit = env["GOMEMLIMIT"]
        assert limit.endswith("MiB") and 16 <= int(limit.removesuffix("MiB")) <= 512, (name, limit)
        assert env["GOMAXPROCS"] == "1", name  # a hundred runtimes on two cores: no spinning threads
    # the production centre's apiserver holds ~135 MB live after deploy: at 160 MiB its collector ran
    # back to back; keep half that heap again as room above it
    assert int(GO_RUNTIME["kube-apiserver"]["GOMEMLIMIT"].removesuffix("MiB")) * 2**20 >= 1.5 * 135e6


def test_each_step_hands_its_process_its_go_runtime_settings(
    plan: Plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from govcloud.lab import kwok, state

    started: dict[str, object] = {}
    monkeypatch.setattr(state, "start", lambda name, argv, workdir, env=None: started.setdefault(name, env) and 1)
    lab = KwokLab(plan, tmp_path)
    c = lab.clusters[0]
    bins = {t: Path(f"/bin/{t}") for t in kwok.TOOLS}
    lab.step_etcd(c, bins)
    lab.step_apiserver(c, bins)
    lab.step_controllers(c, bins)
    assert started == kwok.GO_RUNTIME
