"""The site playbook on real lab hosts: compact lab up, site.yml twice (second run changes nothing),
--check --diff, the testinfra suite over the inventory, then the lab goes down.

Needs Docker and the lab host image (scripts/setup-docker.sh, images/labhost/build.sh). Without a
docker engine the module is skipped with the reason, except under CI (env CI set), where that is a
failure: CI installs and starts Docker first.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from govcloud.lab.state import lab_dir

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PROFILE_GROUP = "lab_compact"
RECAP = re.compile(r"^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)


def _docker_ok() -> tuple[bool, str]:
    docker = os.environ.get("GOVCLOUD_DOCKER") or ("/usr/bin/docker" if Path("/usr/bin/docker").exists() else "docker")
    try:
        proc = subprocess.run(
            [docker, "info", "--format", "{{.ServerVersion}}"], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        return False, f"no docker client: {e}"
    return proc.returncode == 0, proc.stderr.strip()[:200]


def _run(*args: str, timeout: float = 3600) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ANSIBLE_FORCE_COLOR": "0", "ANSIBLE_NOCOLOR": "1"}
    return subprocess.run(list(args), cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=env, check=False)


def _recap(out: str) -> dict[str, dict[str, int]]:
    return {
        m[1]: {"ok": int(m[2]), "changed": int(m[3]), "unreachable": int(m[4]), "failed": int(m[5])}
        for m in RECAP.finditer(out)
    }


@pytest.fixture(scope="module")
def lab() -> dict[str, object]:
    ok, why = _docker_ok()
    if not ok:
        if os.environ.get("CI"):
            pytest.fail(f"CI must have a docker engine (scripts/setup-docker.sh): {why}")
        pytest.skip(f"needs a running docker engine (scripts/setup-docker.sh): {why}")
    t0 = time.monotonic()
    up = _run(str(BIN / "govcloud"), "lab", "hosts", "up", "--profile", "compact")
    assert up.returncode == 0, up.stderr[-3000:]
    times: dict[str, float] = {"hosts_up": time.monotonic() - t0}
    runs = {}
    for name, extra in (("first", ()), ("second", ()), ("check", ("--check", "--diff"))):
        t = time.monotonic()
        runs[name] = _run(str(BIN / "ansible-playbook"), "playbooks/site.yml", "--limit", PROFILE_GROUP, *extra)
        times[name] = time.monotonic() - t
    yield {"runs": runs, "times": times}
    if not os.environ.get("GOVCLOUD_KEEP_LAB"):
        _run(str(BIN / "govcloud"), "lab", "hosts", "down")
    sys.stderr.write(f"\nlab timings (s): { {k: round(v, 1) for k, v in times.items()} }\n")


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
