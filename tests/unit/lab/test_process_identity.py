"""The lab recognises its processes by pid, start time and executable, never by a pid alone or by a
command line (issue 12.8). No process is started here: the live process looked at is this one."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import psutil
import pytest

from govcloud import pipeline
from govcloud.lab import state
from govcloud.lab.kwok import KwokLab
from govcloud.lab.state import ProcessIdentity, same_process

RECORDED = ProcessIdentity(4242, 1_790_000_000.25, "/var/cache/govcloud/bin/etcd")


def me() -> ProcessIdentity:
    p = psutil.Process()
    return ProcessIdentity(p.pid, p.create_time(), p.exe())


def test_the_recorded_process_matches_itself() -> None:
    assert same_process(RECORDED, RECORDED)


def test_a_clock_step_under_a_second_still_matches() -> None:
    live = ProcessIdentity(RECORDED.pid, RECORDED.create_time + 0.6, RECORDED.exe)
    assert same_process(RECORDED, live)


@pytest.mark.parametrize(
    "live",
    [
        None,
        ProcessIdentity(RECORDED.pid, RECORDED.create_time + 3600, RECORDED.exe),
        ProcessIdentity(RECORDED.pid, RECORDED.create_time + 3600, "/usr/bin/tail"),
        ProcessIdentity(RECORDED.pid, RECORDED.create_time, "/usr/bin/tail"),
        ProcessIdentity(RECORDED.pid + 1, RECORDED.create_time, RECORDED.exe),
    ],
    ids=["gone", "pid-reused-by-the-same-program", "pid-reused-by-another", "other-executable", "other-pid"],
)
def test_anything_but_the_same_pid_start_time_and_executable_is_not_the_lab_process(
    live: ProcessIdentity | None,
) -> None:
    assert not same_process(RECORDED, live)


def test_a_record_reads_back_as_written(tmp_path: Path) -> None:
    state.write_record(tmp_path / "etcd.pid", RECORDED)
    assert state.read_record(tmp_path / "etcd.pid") == RECORDED
    assert json.loads((tmp_path / "etcd.pid").read_text()) == RECORDED.as_dict()


@pytest.mark.parametrize(
    "text",
    [
        "4242\n",  # a bare pid (an older govcloud): cannot be told from a reused pid
        "",
        "not json",
        "[4242]",
        '{"pid": 4242, "create_time": 1.0}',
        '{"pid": 4242, "create_time": 1.0, "exe": "etcd"}',
        '{"pid": true, "create_time": 1.0, "exe": "/bin/etcd"}',
        '{"pid": 0, "create_time": 1.0, "exe": "/bin/etcd"}',
        '{"pid": 4242, "create_time": "1.0", "exe": "/bin/etcd"}',
    ],
    ids=["bare-pid", "empty", "garbage", "list", "no-exe", "relative-exe", "bool-pid", "pid-0", "text-time"],
)
def test_only_a_complete_record_is_trusted(text: str) -> None:
    assert ProcessIdentity.parse(text) is None


def test_identity_of_a_live_process_is_its_pid_start_time_and_executable() -> None:
    live = state.identity_of(os.getpid())
    assert live == me()
    assert live is not None and Path(live.exe).resolve() == Path(sys.executable).resolve()


def test_running_is_the_record_only_while_that_process_runs(tmp_path: Path) -> None:
    pidfile = tmp_path / "kwok.pid"
    state.write_record(pidfile, me())
    assert state.running(pidfile) == me()
    reused = ProcessIdentity(os.getpid(), me().create_time - 3600, me().exe)  # same pid, earlier process
    state.write_record(pidfile, reused)
    assert state.running(pidfile) is None
    pidfile.write_text(f"{os.getpid()}\n")
    assert state.running(pidfile) is None


def test_stop_signals_nothing_a_record_does_not_name() -> None:
    reused = ProcessIdentity(os.getpid(), me().create_time - 3600, me().exe)
    assert state.stop([reused], grace_s=0.1) == []
    assert psutil.Process().is_running()  # still here: this test process was the 'reused' pid


def test_lab_down_leaves_a_reused_pid_alone_and_says_so(tmp_path: Path, reference_path: Path) -> None:
    """Pid files naming this very process, as a reused pid would: the old `down` sent it SIGTERM."""
    cluster = tmp_path / "clusters" / "gc-nc-prod"
    cluster.mkdir(parents=True)
    state.write_record(cluster / "etcd.pid", ProcessIdentity(os.getpid(), me().create_time - 3600, me().exe))
    (cluster / "kwok.pid").write_text(f"{os.getpid()}\n")
    (tmp_path / "pki").mkdir()
    (tmp_path / "kubeconfig").write_text("{}")
    result = KwokLab(pipeline.load_plan(reference_path), tmp_path).down()
    assert result.stopped == []
    assert sorted(result.ignored) == [str(cluster / "etcd.pid"), str(cluster / "kwok.pid")]
    assert sorted(result.removed) == sorted(str(tmp_path / n) for n in ("clusters", "pki", "kubeconfig"))
    assert list(tmp_path.iterdir()) == []


def test_removing_lab_files_never_follows_a_symlink_out_of_the_lab(tmp_path: Path) -> None:
    lab, outside = tmp_path / "lab", tmp_path / "outside"
    lab.mkdir()
    (outside / "data").mkdir(parents=True)
    (outside / "config").write_text("keep me")
    (lab / "clusters").symlink_to(outside / "data", target_is_directory=True)
    (lab / "kubeconfig").symlink_to(outside / "config")
    (lab / "pki").mkdir()
    assert state.remove(lab, ("clusters", "kubeconfig", "pki", "absent")) == [
        str(lab / n) for n in ("clusters", "kubeconfig", "pki")
    ]
    assert list(lab.iterdir()) == []
    assert (outside / "data").is_dir() and (outside / "config").read_text() == "keep me"
