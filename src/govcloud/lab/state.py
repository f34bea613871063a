"""The lab's state folder and its processes: where each cluster keeps its data, certs, logs and pids.

Everything a lab makes lives under one folder (default `.lab/` beside the topology, or
$GOVCLOUD_LAB_DIR), so `lab down` can remove it, even after a half-finished `lab up`.

A process the lab starts is recorded in a pid file as its identity: pid, start time and executable.
Status checks and `lab down` act on a process only while all three still match, so a reused pid or
a user's `tail -f .lab/clusters/…/kube-apiserver.log` is never taken for the lab's own.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil

PORT_BASE = 20000
"""First loopback port of the lab; GOVCLOUD_LAB_PORT_BASE moves it, so a second lab (a test's own
apiserver, say) can run beside the one on 20000+."""
PORTS_PER_CLUSTER = 10


def lab_dir(root: str | Path | None = None) -> Path:
    """The lab's state folder: $GOVCLOUD_LAB_DIR, else `.lab/` in `root` (default: the current folder)."""
    env = os.environ.get("GOVCLOUD_LAB_DIR")
    if env:
        return Path(env).resolve()
    return (Path(root or ".") / ".lab").resolve()


def remove(root: Path, names: Sequence[str]) -> list[str]:
    """Remove these entries of the lab folder (files or whole folders); the paths that existed."""
    gone = []
    for name in names:
        path = root / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        elif path.exists() or path.is_symlink():
            path.unlink(missing_ok=True)
        else:
            continue
        gone.append(str(path))
    return gone


@dataclass(frozen=True, slots=True)
class Ports:
    """Loopback ports of one cluster's processes, from its index in the plan (stable across runs)."""

    index: int

    @property
    def etcd_client(self) -> int:
        base = int(os.environ.get("GOVCLOUD_LAB_PORT_BASE", PORT_BASE))
        return base + self.index * PORTS_PER_CLUSTER

    @property
    def etcd_peer(self) -> int:
        return self.etcd_client + 1

    @property
    def apiserver(self) -> int:
        return self.etcd_client + 2

    @property
    def controller_manager(self) -> int:
        return self.etcd_client + 3

    @property
    def scheduler(self) -> int:
        return self.etcd_client + 4

    @property
    def kwok(self) -> int:
        return self.etcd_client + 5


START_TIME_TOLERANCE_S = 1.0
"""How far two readings of one process's start time may differ. psutil computes it from the boot
time, which the kernel derives from the wall clock; a clock step between `up` and `down` moves it.
A pid reused within a second by the same executable is what this tolerance cannot tell apart."""


@dataclass(frozen=True, slots=True)
class ProcessIdentity:
    """A process as the lab recorded it when it started it. A pid alone names whatever process has that
    number now (pids are reused); with its start time and executable it names one process only."""

    pid: int
    create_time: float
    """Seconds since the epoch (psutil's `create_time()`)."""
    exe: str
    """The absolute path of the program it runs (psutil's `exe()`: /proc/<pid>/exe)."""

    def as_dict(self) -> dict[str, object]:
        return {"pid": self.pid, "create_time": self.create_time, "exe": self.exe}

    @classmethod
    def parse(cls, text: str) -> ProcessIdentity | None:
        """The identity a pid file records, or None for anything else (a bare pid written by an older
        govcloud included: it cannot be told from a reused pid, so it is never trusted)."""
        try:
            data = json.loads(text)
        except ValueError:
            return None
        if not isinstance(data, dict):
            return None
        pid, created, exe = data.get("pid"), data.get("create_time"), data.get("exe")
        if type(pid) is not int or pid <= 0 or not isinstance(exe, str) or not exe.startswith("/"):
            return None
        if not isinstance(created, (int, float)) or isinstance(created, bool):
            return None
        return cls(pid, float(created), exe)


def same_process(recorded: ProcessIdentity, live: ProcessIdentity | None) -> bool:
    """Whether `live` (what runs under the recorded pid now) is the process the lab recorded: the same
    pid, start time (within START_TIME_TOLERANCE_S) and executable. Pure; unit-tested."""
    return (
        live is not None
        and live.pid == recorded.pid
        and live.exe == recorded.exe
        and abs(live.create_time - recorded.create_time) <= START_TIME_TOLERANCE_S
    )


def _identity(proc: psutil.Process) -> ProcessIdentity | None:
    try:
        with proc.oneshot():
            if proc.status() == psutil.STATUS_ZOMBIE:  # exited, not yet reaped: nothing to stop
                return None
            return ProcessIdentity(proc.pid, proc.create_time(), proc.exe())
    except psutil.Error:  # gone, or another user's process (its exe cannot be read): not the lab's
        return None


def identity_of(pid: int) -> ProcessIdentity | None:
    """What runs under `pid` now, or None if nothing we may look at does."""
    try:
        return _identity(psutil.Process(pid))
    except psutil.Error:
        return None


def read_record(pidfile: Path) -> ProcessIdentity | None:
    try:
        return ProcessIdentity.parse(pidfile.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None


def write_record(pidfile: Path, identity: ProcessIdentity) -> None:
    """Atomically: a reader sees the old record or the new one, never half of one."""
    tmp = pidfile.with_name(pidfile.name + ".tmp")
    tmp.write_text(json.dumps(identity.as_dict()) + "\n", encoding="utf-8")
    tmp.replace(pidfile)


def running(pidfile: Path) -> ProcessIdentity | None:
    """The process `pidfile` records, if that very process still runs (not a reuse of its pid)."""
    recorded = read_record(pidfile)
    if recorded is None:
        return None
    return recorded if same_process(recorded, identity_of(recorded.pid)) else None


def start(name: str, argv: Sequence[str], workdir: Path, env: Mapping[str, str] | None = None) -> int:
    """Start a daemon detached from us (own session), logging to workdir/<name>.log; returns its pid.
    Its identity (pid, start time, executable) goes to workdir/<name>.pid. `env` is added to our
    environment for it (the Go runtime's GOGC and GOMEMLIMIT, say).

    If that record names a process that still runs, nothing is started (idempotent).
    """
    pidfile = workdir / f"{name}.pid"
    already = running(pidfile)
    if already is not None:
        return already.pid
    workdir.mkdir(parents=True, exist_ok=True)
    pidfile.unlink(missing_ok=True)
    with open(workdir / f"{name}.log", "ab") as log:
        proc = subprocess.Popen(
            list(argv),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=workdir,
            start_new_session=True,
            close_fds=True,
            env={**os.environ, **env} if env else None,
        )
    # Popen returns once the child has exec'd, so this is the daemon's executable, not ours; a daemon
    # that already exited leaves no record, and whoever waits for it finds it not running
    identity = identity_of(proc.pid)
    if identity is not None:
        write_record(pidfile, identity)
    return proc.pid


def stop(recorded: Sequence[ProcessIdentity], grace_s: float = 10.0) -> list[ProcessIdentity]:
    """TERM each recorded process that still is that process, wait, then KILL whatever is left of
    them; the ones found and stopped. Anything else under a recorded pid is left alone."""
    procs: list[psutil.Process] = []
    stopped: list[ProcessIdentity] = []
    for r in recorded:
        try:
            proc = psutil.Process(r.pid)
        except psutil.Error:
            continue
        if same_process(r, _identity(proc)):
            procs.append(proc)
            stopped.append(r)
    # psutil.Process refuses to signal a pid reused since it was looked up (it checks the start time)
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            proc.terminate()
    alive = _wait_ended(procs, grace_s)
    for proc in alive:
        with contextlib.suppress(psutil.Error):
            proc.kill()
    _wait_ended(alive, 5.0)
    for proc in procs:  # reap the ones that are our own children (a test's, or `up` then `down` in one run)
        with contextlib.suppress(psutil.Error, ChildProcessError):
            proc.wait(timeout=0)
    return stopped


def working_in(folder: Path, exclude: Sequence[int] = ()) -> list[ProcessIdentity]:
    """Processes whose working directory is inside `folder` (those we may look at): what `start` ran
    there and lost the record of (a deleted pid file, a kill between start and record), or a user's
    shell. Only ever reported, never signalled: a working directory says where a process is, not
    whose it is."""
    inside = []
    for proc in psutil.process_iter():
        if proc.pid == os.getpid() or proc.pid in exclude:
            continue
        try:
            cwd = Path(proc.cwd())
        except psutil.Error:  # gone, a zombie, or another user's
            continue
        if cwd.is_relative_to(folder):
            identity = _identity(proc)
            if identity is not None:
                inside.append(identity)
    return inside


def _ended(proc: psutil.Process) -> bool:
    """Gone, or a zombie: exited, waiting for a parent (or an init that may never reap it) to collect it."""
    try:
        return bool(proc.status() == psutil.STATUS_ZOMBIE)
    except psutil.NoSuchProcess:
        return True
    except psutil.Error:
        return False


def _wait_ended(procs: Sequence[psutil.Process], timeout: float) -> list[psutil.Process]:
    """Wait up to `timeout` for every process to end; those still running."""
    deadline = time.monotonic() + timeout
    alive = list(procs)
    while alive:
        alive = [p for p in alive if not _ended(p)]
        if not alive or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    return alive
