"""Run govcloud commands on one input in a forked child under a memory and a CPU-time limit.

A fork of this already-loaded interpreter costs milliseconds, so hundreds of hostile inputs run in
seconds; the limits are the kernel's (RLIMIT_AS, a hard kill on timeout), not the code's own.
"""

from __future__ import annotations

import io
import os
import resource
import signal
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# imported once here, before any fork: each child then starts with everything loaded (a child that
# imported the CLI itself would spend ~0.3 s of CPU per input on imports alone)
from govcloud import pipeline
from govcloud.cli import run
from govcloud.render.k8s import render_all
from govcloud.render.write import dump, object_path

MEMORY_LIMIT = 2 * 1024**3  # address space: the interpreter with pydantic maps ~0.4 GiB
TIME_LIMIT_S = 10
"""CPU seconds per input (RLIMIT_CPU): what the input can make govcloud do, whatever else the machine runs."""
WALL_LIMIT_S = 120
"""A blocking read (a FIFO, a device) uses no CPU: the wall clock catches that, generously."""


@dataclass(frozen=True)
class Outcome:
    code: int  # exit code; -9 when killed for a time limit; -1 for a crash by another signal
    stderr: str

    @property
    def clean(self) -> bool:
        """A clear refusal or success: documented code, no traceback, no 'internal error'."""
        return self.code in (0, 1, 2) and "Traceback" not in self.stderr and "internal error" not in self.stderr


def run_limited(*argv: str) -> Outcome:
    """`govcloud ARGV` in a child process with MEMORY_LIMIT and TIME_LIMIT_S."""
    with tempfile.TemporaryFile() as err:
        return _fork(err, [list(argv)])


def _fork(err: Any, commands: list[list[str]]) -> Outcome:
    """Run the commands one after the other in one child (the limits cover them together); stop at the
    first that does not exit 0, and report its code."""
    pid = os.fork()
    if pid == 0:  # the child: limits, then the CLI exactly as `main` runs it
        try:
            resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
            resource.setrlimit(resource.RLIMIT_CPU, (TIME_LIMIT_S, TIME_LIMIT_S))  # SIGXCPU kills the child
            signal.alarm(WALL_LIMIT_S)  # SIGALRM kills a child that waits instead of working
            os.dup2(err.fileno(), 2)
            sys.stderr = io.TextIOWrapper(os.fdopen(2, "wb", closefd=False), write_through=True)
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - the child never returns to close it
            code = 0
            for argv in commands:
                code = _render_in_memory(argv[1]) if argv[0] == RENDER else run(argv)
                if code != 0:
                    break
        except BaseException:  # a traceback from the child is itself the finding
            import traceback

            traceback.print_exc()
            code = 70
        finally:
            sys.stderr.flush()
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    err.seek(0)
    text = err.read().decode("utf-8", "replace")
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        timed_out = sig in (signal.SIGALRM, signal.SIGXCPU, signal.SIGKILL)
        return Outcome(-9 if timed_out else -1, f"{text}\n[killed by signal {signal.Signals(sig).name}]")
    return Outcome(os.WEXITSTATUS(status), text)


def run_all(path: Path, out: Path) -> list[tuple[str, Outcome]]:
    """`validate`; when the file validates, `plan -o json` and the render too (every object built and
    serialised as `render` writes it, in memory: the disk writes are the same for any input), all in
    one child under one set of limits."""
    with tempfile.TemporaryFile() as err:
        outcome = _fork(err, [["validate", str(path)], ["plan", "-o", "json", str(path)], [RENDER, str(path)]])
    return [("validate, plan, render", outcome)]


RENDER = "<render in memory>"


def _render_in_memory(path: str) -> int:
    for objs in render_all(pipeline.load_plan(path)).values():
        for obj in objs:
            object_path(obj)
            dump(obj)
    return 0
