"""`govcloud lab down` stops the processes the lab recorded and nothing else (issue 12.8), with real
processes: a user's `tail -f` of a cluster log and a `sleep` whose argv names the clusters folder
(the old `down` killed anything whose command line mentioned it), pid files naming a live unrelated
process (a reused pid, and a bare pid of an older govcloud), and real lab processes recorded by
`state.start` from another process, as `lab up` does, so they outlive it and are not our children.

Docker is pointed at a binary that does not exist: the hosts step is skipped, so a `lab down` here can
never remove someone else's lab host containers; the fault proxy is a process of the lab and still
comes down. No kube tools are needed.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from govcloud.lab import links, state, tools
from govcloud.lab.toxiproxy import Toxiproxy

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.integration


def alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.fixture
def procs() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for p in started:  # only what this test started, by its own handle
        p.kill()
        p.wait()


def spawn(procs: list[subprocess.Popen[bytes]], *argv: str) -> subprocess.Popen[bytes]:
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    procs.append(p)
    return p


def record_from_another_process(workdir: Path, name: str) -> int:
    """`state.start` in a short-lived interpreter, as `govcloud lab up` runs it: the daemon outlives it."""
    code = "import sys; from pathlib import Path; from govcloud.lab import state; "
    code += "print(state.start(sys.argv[1], ['sleep', '300'], Path(sys.argv[2])))"
    r = subprocess.run([sys.executable, "-c", code, name, str(workdir)], capture_output=True, text=True, check=True)
    return int(r.stdout)


def test_lab_down_stops_recorded_processes_and_leaves_lookalikes_and_reused_pids_alive(
    tmp_path: Path, procs: list[subprocess.Popen[bytes]]
) -> None:
    lab = tmp_path / ".lab"
    cluster = lab / "clusters" / "gc-nc-prod"
    cluster.mkdir(parents=True)
    log = cluster / "kube-apiserver.log"
    log.write_text("")
    etcd = record_from_another_process(cluster, "etcd")
    proxy = record_from_another_process(lab / "toxiproxy", "server")
    tail = spawn(procs, "tail", "-f", str(log))
    # a real sleep (bash execs it, no shell left behind) whose argv[0] names the clusters folder
    lookalike = spawn(procs, "bash", "-c", 'exec -a "$0" sleep 300', str(cluster / "etcd"))
    unrelated = spawn(procs, "sleep", "300")
    time.sleep(0.2)  # the children have exec'd: their executables are sleep and tail, not python
    live = state.identity_of(unrelated.pid)
    assert live is not None
    reused = state.ProcessIdentity(live.pid, live.create_time - 3600, live.exe)  # its pid, an earlier process
    state.write_record(cluster / "kube-apiserver.pid", reused)
    (cluster / "kwok.pid").write_text(f"{tail.pid}\n")
    state.write_record(lab / "toxiproxy" / "other.pid", reused)
    (lab / "ssh").mkdir()  # the hosts' keys: with no Docker to ask, their containers may still exist

    env = {**os.environ, "GOVCLOUD_LAB_DIR": str(lab), "GOVCLOUD_DOCKER": str(tmp_path / "no-docker")}
    r = subprocess.run(
        [sys.executable, "-m", "govcloud", "lab", "down", "-o", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)

    assert [(p["process"], p["pid"]) for p in report["processes"]] == [("etcd", etcd)]
    assert report["hosts"]["toxiproxy"] == "removed"
    assert not alive(etcd) and not alive(proxy)
    assert psutil.Process(lookalike.pid).cmdline() == [str(cluster / "etcd"), "300"]
    assert alive(tail.pid) and alive(lookalike.pid) and alive(unrelated.pid)
    assert sorted(report["ignored_pid_files"]) == [str(cluster / "kube-apiserver.pid"), str(cluster / "kwok.pid")]
    assert "no docker client" in report["hosts"]["skipped"]
    assert not (lab / "clusters").exists()
    assert report["kept"] == [str(lab / "ssh"), str(lab / "toxiproxy")]


def test_lab_down_reports_a_process_whose_pid_file_was_lost_and_leaves_it(
    tmp_path: Path, procs: list[subprocess.Popen[bytes]]
) -> None:
    lab = tmp_path / ".lab"
    cluster = lab / "clusters" / "gc-nc-prod"
    orphan = record_from_another_process(cluster, "etcd")
    (cluster / "etcd.pid").unlink()
    try:
        env = {**os.environ, "GOVCLOUD_LAB_DIR": str(lab)}
        r = subprocess.run(
            [sys.executable, "-m", "govcloud", "lab", "down", "--keep-hosts", "-o", "json"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=120,
        )
        assert r.returncode == 0, r.stderr
        report = json.loads(r.stdout)
        assert report["processes"] == []
        assert [p["pid"] for p in report["unrecorded_processes"]] == [orphan]
        assert alive(orphan)
    finally:
        if alive(orphan):
            psutil.Process(orphan).kill()


def test_the_fault_proxy_is_stopped_only_while_its_record_matches(tmp_path: Path) -> None:
    """The real toxiproxy-server, on a port of its own (a running lab's proxy keeps 8474)."""
    try:
        tools.find("toxiproxy-server")
    except tools.MissingTool as e:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"{e} (in CI this fails instead)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = links.Server(tmp_path, Toxiproxy(port=port))
    assert server.ensure() == "started"
    recorded = state.read_record(server.pidfile)
    assert recorded is not None and Path(recorded.exe).name == "toxiproxy-server"
    try:
        assert server.ensure() == "exists"
        reused = state.ProcessIdentity(recorded.pid, recorded.create_time - 3600, recorded.exe)
        state.write_record(server.pidfile, reused)
        assert server.stop() == "absent"
        assert server.api.alive()
        state.write_record(server.pidfile, recorded)
        assert server.stop() == "removed"
        assert not server.api.alive() and not alive(recorded.pid)
    finally:
        state.stop([recorded])
