"""One lab-host session for this package: compact lab up and site.yml (first run, second run, check
mode, then only the backup and the restore tags) once, then the site playbook tests, then the DR
drills on the same hosts; the lab goes down after the last test. site.yml's first run takes minutes,
so nothing here runs it twice.

Needs Docker and the lab host image (scripts/setup-docker.sh, images/labhost/build.sh). Without a
docker engine the tests are skipped with the reason, except under CI (env CI set), where that is a
failure: CI installs and starts Docker first.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from lab_session import BIN, PROFILE_GROUP, ROOT, docker_ok, real_docker, refusing_docker, run

from govcloud import pipeline
from govcloud.lab.hosts import CONTAINER_PREFIX
from govcloud.lab.profiles import select


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # the drills change who leads: they run after every site playbook test of the session
    items.sort(key=lambda i: "test_dr_drills" in str(i.fspath))


@pytest.fixture(scope="session")
def lab() -> dict[str, object]:
    ok, why = docker_ok()
    if not ok:
        if os.environ.get("CI"):
            pytest.fail(f"CI must have a docker engine (scripts/setup-docker.sh): {why}")
        pytest.skip(f"needs a running docker engine (scripts/setup-docker.sh): {why}")
    t0 = time.monotonic()
    # From no hosts: two `up`s broken half-way by a refused Docker call (lab_session.refusing_docker),
    # then a plain `up` that must repair what they left; the site playbook and the live suite that
    # follow run on the repaired hosts.
    plan = pipeline.load_plan(ROOT / "topology.yaml")
    hosts = select(plan.lab, plan.topology, "compact")
    faulty = {"backbone": hosts[1].name, "key": hosts[3].name}
    faults = {
        "backbone": f" network connect --ip {hosts[1].backbone_ipv4} ",
        "key": f" {CONTAINER_PREFIX}{hosts[3].name}:/root/.ssh/authorized_keys ",
    }
    run(str(BIN / "govcloud"), "lab", "hosts", "down")
    ups: dict[str, subprocess.CompletedProcess[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, match in faults.items():
            env = refusing_docker(Path(tmp), real_docker(), match, name)
            ups[name] = run(str(BIN / "govcloud"), "lab", "hosts", "up", "--profile", "compact", env=env)
    ups["repair"] = run(str(BIN / "govcloud"), "lab", "hosts", "up", "--profile", "compact", "-o", "json")
    assert ups["repair"].returncode == 0, ups["repair"].stderr[-3000:]
    times: dict[str, float] = {"hosts_up": time.monotonic() - t0}
    runs = {}
    for name, extra in (
        ("first", ()),
        ("second", ()),
        ("check", ("--check", "--diff")),
        ("tag-backup", ("--tags", "backup")),
        ("tag-restore", ("--tags", "restore")),
    ):
        t = time.monotonic()
        runs[name] = run(str(BIN / "ansible-playbook"), "playbooks/site.yml", "--limit", PROFILE_GROUP, *extra)
        times[name] = time.monotonic() - t
    yield {"runs": runs, "times": times, "ups": ups, "faulty": faulty}
    if not os.environ.get("GOVCLOUD_KEEP_LAB"):
        run(str(BIN / "govcloud"), "lab", "hosts", "down")
    sys.stderr.write(f"\nlab timings (s): { {k: round(v, 1) for k, v in times.items()} }\n")
