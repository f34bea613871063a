"""The lab's state folder and its processes: where each cluster keeps its data, certs, logs and pids.

Everything a lab makes lives under one folder (default `.lab/` beside the topology, or
$GOVCLOUD_LAB_DIR), so `lab down` can remove all of it, even after a half-finished `lab up`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

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


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie is not alive
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        if stat.rsplit(")", 1)[1].split()[0] == "Z":
            return False
    return True


def read_pid(pidfile: Path) -> int | None:
    try:
        pid = int(pidfile.read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if pid_alive(pid) else None


def start(name: str, argv: Sequence[str], workdir: Path) -> int:
    """Start a daemon detached from us (own session), logging to workdir/<name>.log; returns its pid.

    If its pidfile names a live process it is already running: nothing is started (idempotent).
    """
    pidfile = workdir / f"{name}.pid"
    running = read_pid(pidfile)
    if running is not None:
        return running
    workdir.mkdir(parents=True, exist_ok=True)
    with open(workdir / f"{name}.log", "ab") as log:
        proc = subprocess.Popen(
            list(argv),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=workdir,
            start_new_session=True,
            close_fds=True,
        )
    tmp = pidfile.with_suffix(".pid.tmp")
    tmp.write_text(f"{proc.pid}\n")
    tmp.replace(pidfile)
    return proc.pid


def processes_under(folder: Path) -> list[int]:
    """Pids whose command line mentions `folder`: finds lab processes even if their pidfiles are gone."""
    needle = str(folder).encode()
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if needle in cmd:
            pids.append(int(entry.name))
    return pids


def stop(pids: Sequence[int], grace_s: float = 10.0) -> None:
    """TERM, wait, then KILL whatever is left."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline and any(pid_alive(p) for p in pids):
        time.sleep(0.1)
    for pid in pids:
        if pid_alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    # reap children of ours, if any
    for pid in pids:
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(pid, os.WNOHANG)
