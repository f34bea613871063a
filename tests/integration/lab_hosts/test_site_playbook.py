"""The site playbook on real lab hosts: compact lab up, site.yml twice (second run changes nothing),
--check --diff, the testinfra suite over the inventory. The lab session is the package's (conftest.py),
shared with the DR drills that run after these tests.
"""

from __future__ import annotations

import json
import re
import sys

import pytest
from lab_session import BIN, PROFILE_GROUP, ROOT, real_docker
from lab_session import recap as _recap
from lab_session import run as _run

from govcloud.lab.hosts import CONTAINER_PREFIX
from govcloud.lab.state import lab_dir

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("fault", ["backbone", "key"])
def test_a_refused_docker_call_fails_up_with_a_runtime_error_not_a_traceback(lab, fault: str) -> None:  # type: ignore[no-untyped-def]
    up = lab["ups"][fault]
    assert up.returncode == 4, (up.returncode, up.stderr[-3000:])
    assert "injected fault" in up.stderr and "Traceback" not in up.stderr, up.stderr[-3000:]


def test_up_again_repairs_what_the_failed_ups_left(lab) -> None:  # type: ignore[no-untyped-def]
    # the host left off the backbone is repaired by the next `up` (the one the key fault then stops)
    off_backbone = lab["faulty"]["backbone"]
    assert re.search(rf"host {off_backbone} .*: repaired", lab["ups"]["key"].stderr), lab["ups"]["key"].stderr[-3000:]
    # the host left without the lab's key is repaired by the last one
    result = json.loads(lab["ups"]["repair"].stdout)
    actions = {s["name"]: s["action"] for s in result["steps"] if s["step"] == "container"}
    assert actions[CONTAINER_PREFIX + lab["faulty"]["key"]] == "repaired", actions
    assert any(s["step"] == "ssh" and s["action"] == "ready" for s in result["steps"])


def test_first_run_configures_every_host(lab) -> None:  # type: ignore[no-untyped-def]
    run = lab["runs"]["first"]
    assert run.returncode == 0, run.stdout[-5000:]
    recap = _recap(run.stdout)
    assert len(recap) == 13
    assert all(r["failed"] == 0 and r["unreachable"] == 0 for r in recap.values())


def test_second_run_changes_nothing(lab) -> None:  # type: ignore[no-untyped-def]
    run = lab["runs"]["second"]
    assert run.returncode == 0, run.stdout[-5000:]
    recap = _recap(run.stdout)
    assert recap, run.stdout[-2000:]
    changed = {h: r["changed"] for h, r in recap.items() if r["changed"]}
    assert changed == {}, f"not idempotent: {changed}\n{run.stdout[-5000:]}"


def test_site_runs_start_each_etcd_member_once(lab) -> None:  # type: ignore[no-untyped-def]
    # A restart right after the first start made every member of the new DCS wait out a leadership
    # hand-over to peers stopping too; on a loaded CI machine one restart then started nothing.
    docker = real_docker()
    starts = {}
    for host in _recap(lab["runs"]["first"].stdout):
        log = _run(docker, "exec", CONTAINER_PREFIX + host, "sh", "-c", "cat /var/log/etcd-govcloud.log 2>/dev/null")
        if log.stdout:
            starts[host] = log.stdout.count("etcdmain: etcd Version:")
    assert len(starts) == 3, starts
    assert set(starts.values()) == {1}, f"etcd starts per member over the site runs: {starts}"


def test_check_diff_works_and_predicts_no_change(lab) -> None:  # type: ignore[no-untyped-def]
    run = lab["runs"]["check"]
    assert run.returncode == 0, run.stdout[-5000:]
    assert all(r["changed"] == 0 for r in _recap(run.stdout).values()), run.stdout[-5000:]


@pytest.mark.parametrize(
    ("tag", "task"),
    [("backup", "TASK [backup : Backup account]"), ("restore", "TASK [backup : Restore each source's latest base")],
)
def test_a_tag_runs_its_backup_tasks_on_the_hosts(lab, tag: str, task: str) -> None:  # type: ignore[no-untyped-def]
    run = lab["runs"][f"tag-{tag}"]
    assert run.returncode == 0, run.stdout[-5000:]
    assert task in run.stdout, run.stdout[-5000:]
    recap = _recap(run.stdout)
    assert recap and all(r["failed"] == 0 and r["changed"] == 0 for r in recap.values()), run.stdout[-5000:]
    if tag == "restore":
        assert "TASK [backup : Staging folder]" not in run.stdout


def test_testinfra_suite_passes_on_the_lab(lab) -> None:  # type: ignore[no-untyped-def]
    run = _run(
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "tests/live/hosts",
        f"--hosts=ansible://{PROFILE_GROUP}",
        "--ssh-config=/dev/null",
        "-n",
        "4",
        # testinfra takes the key from host vars or this flag, never from ansible.cfg
        f"--ssh-identity-file={lab_dir(ROOT) / 'ssh' / 'id_ed25519'}",
    )
    assert run.returncode == 0, run.stdout[-5000:]


def test_a_host_killed_and_started_again_is_configured_again_despite_stale_pidfiles(lab) -> None:  # type: ignore[no-untyped-def]
    # What the whole-city drill does to every host of the city. Docker keeps /run across a restart,
    # so chronyd's pidfile survives; here it names pid 1 (tini, alive in every life), the worst
    # case of a reused pid: chronyd would refuse to start and the next site.yml fail at "Start chronyd".
    host = "nc-prod-gateway-1"
    container = CONTAINER_PREFIX + host
    docker = real_docker()
    for args in (
        ("exec", container, "sh", "-c", "echo 1 > /run/chrony/chronyd.pid"),
        ("kill", container),
        ("start", container),
    ):
        assert _run(docker, *args).returncode == 0, args
    run = _run(str(BIN / "ansible-playbook"), "playbooks/site.yml", "--limit", host)
    assert run.returncode == 0, run.stdout[-5000:]
    assert _recap(run.stdout)[host]["failed"] == 0
    assert _run(docker, "exec", container, "pgrep", "-x", "chronyd").returncode == 0


def test_ansible_lint_production_profile() -> None:
    run = _run(str(BIN / "ansible-lint"), "--profile", "production", "--offline", "playbooks/", "roles/", timeout=600)
    assert run.returncode == 0, (run.stdout + run.stderr)[-5000:]
