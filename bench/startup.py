"""Benchmark: `govcloud validate` and `govcloud --help` as a user runs them, beside their peer and the floor.

Every figure is a fresh process, so interpreter start and imports count. In one run, on the same file:
  govcloud validate FILE                                          (target < 0.15 s, issue 17)
  check-jsonschema --schemafile docs/topology.schema.json FILE    (the peer: the same file, the exported schema)
  govcloud --help                                                 (target < 0.1 s)
  python -c pass, and python + libyaml loading FILE               (the floor, 0.06 s in the issue)
Wall time comes from hyperfine when it is on PATH (Debian's `hyperfine`), else from this script's own
repeated timer (each command in turn, round after round, so a load spike hits all of them alike).
Peak RSS is each process's own maximum resident set, from wait4 (what `/usr/bin/time -v` reports).
With --instructions, each command also runs once under valgrind's callgrind (Debian's `valgrind`), which
counts the instructions it executes: a figure the other processes on a shared machine cannot move.
Usage: python bench/startup.py [--runs N] [--no-hyperfine] [--instructions] [FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SCHEMA = ROOT / "docs" / "topology.schema.json"
# A user's Python caches the compiled modules (__pycache__); a shell with PYTHONDONTWRITEBYTECODE set
# would have every run compile all of govcloud from source (~40 ms) and measure what no user sees.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


@dataclass
class Figure:
    name: str
    argv: list[str]
    target: float | None = None
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    rss_kib: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.walls)


def figures(path: str) -> list[Figure]:
    load = f"import yaml; yaml.load(open({path!r}, 'rb'), Loader=yaml.CSafeLoader)"
    return [
        Figure("govcloud validate", [str(BIN / "govcloud"), "validate", path], 0.15),
        Figure("check-jsonschema", [str(BIN / "check-jsonschema"), "--schemafile", str(SCHEMA), path]),
        Figure("govcloud --help", [str(BIN / "govcloud"), "--help"], 0.10),
        Figure("python -c pass", [sys.executable, "-c", "pass"]),
        Figure("python + libyaml load", [sys.executable, "-c", load]),
    ]


def run_once(fig: Figure) -> tuple[float, float, int]:
    """One fresh process: wall seconds, CPU seconds (user + system) and peak RSS in KiB, from wait4."""
    t = time.perf_counter()
    proc = subprocess.Popen(fig.argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{fig.name}: exit {proc.returncode}: {' '.join(fig.argv)}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def own_timer(figs: list[Figure], runs: int) -> None:
    for fig in figs:  # warm-up: the page cache and the .pyc files
        run_once(fig)
    for _ in range(runs):
        for fig in figs:
            wall, cpu, _ = run_once(fig)
            fig.walls.append(wall)
            fig.cpus.append(cpu)


def with_hyperfine(figs: list[Figure], runs: int, hyperfine: str) -> None:
    with tempfile.TemporaryDirectory(prefix="govcloud-bench-") as tmp:
        out = Path(tmp) / "hyperfine.json"
        cmd = [hyperfine, "-N", "--style", "none", "-w", "2", "-r", str(runs), "--export-json", str(out)]
        for f in figs:
            cmd += ["-n", f.name]
        cmd += [subprocess.list2cmdline(f.argv) for f in figs]
        for f in figs:  # the warm-up of our own timer: writes the bytecode caches
            run_once(f)
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=ENV)
        results = json.loads(out.read_text())["results"]
    for fig, r in zip(figs, results, strict=True):
        fig.walls = list(r["times"])
        fig.cpus = [r["user"] + r["system"]]  # hyperfine gives the mean CPU time, not each run's


def instructions(fig: Figure, valgrind: str) -> float:
    """Millions of instructions one run executes (callgrind's 'Collected' count)."""
    cmd = [valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null", *fig.argv]
    proc = subprocess.run(cmd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
    count = next(line for line in proc.stderr.splitlines() if "Collected :" in line)
    return int(count.rsplit(":", 1)[1]) / 1e6


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", nargs="?", default="topology.yaml")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--no-hyperfine", action="store_true", help="use this script's own timer")
    ap.add_argument("--instructions", action="store_true", help="count each command's instructions (valgrind)")
    args = ap.parse_args()
    figs = figures(args.file)
    hyperfine = None if args.no_hyperfine else shutil.which("hyperfine")
    if hyperfine:
        with_hyperfine(figs, args.runs, hyperfine)
    else:
        own_timer(figs, args.runs)
    for fig in figs:  # peak RSS: three more runs each, the largest
        fig.rss_kib = max(run_once(fig)[2] for _ in range(3))

    load = os.getloadavg()[0]
    timer = "hyperfine" if hyperfine else "own timer"
    print(f"start-up on {args.file}: {args.runs} runs each, fresh process, {timer}, load average {load:.1f}")
    for fig in figs:
        target = f"   (target < {fig.target:.2f} s)" if fig.target else ""
        print(
            f"  {fig.name:<22} median {fig.median:.3f} s  min {min(fig.walls):.3f} s  "
            f"cpu mean {statistics.mean(fig.cpus):.3f} s  peak RSS {fig.rss_kib / 1024:3.0f} MiB{target}"
        )
    valgrind = shutil.which("valgrind") if args.instructions else None
    if args.instructions and not valgrind:
        print("  instructions: valgrind is not on PATH (apt-get install valgrind)")
    if valgrind:
        counts = [instructions(fig, valgrind) for fig in figs]
        floor = counts[-1]
        print(
            "  instructions (callgrind): " + ", ".join(f"{f.name} {c:.0f} M" for f, c in zip(figs, counts, strict=True))
        )
        print(f"  govcloud validate / python + libyaml load: {counts[0] / floor:.2f}x the floor's instructions")
    gc, peer = figs[0], figs[1]
    print(
        f"  govcloud validate / check-jsonschema: wall {gc.median / peer.median:.2f}x, "
        f"peak RSS {gc.rss_kib / peer.rss_kib:.2f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
