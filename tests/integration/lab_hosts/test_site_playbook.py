"""The site playbook on real lab hosts: compact lab up, site.yml twice (second run changes nothing),
--check --diff, the testinfra suite over the inventory. The lab session is the package's (conftest.py),
shared with the DR drills that run after these tests.
"""

from __future__ import annotations

import sys

import pytest
from lab_session import BIN, PROFILE_GROUP, ROOT
from lab_session import recap as _recap
from lab_session import run as _run

from govcloud.lab.state import lab_dir

pytestmark = pytest.mark.integration


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


def test_ansible_lint_production_profile() -> None:
    run = _run(str(BIN / "ansible-lint"), "--profile", "production", "--offline", "playbooks/", "roles/", timeout=600)
    assert run.returncode == 0, (run.stdout + run.stderr)[-5000:]
