"""Benchmark: `govcloud validate` + `govcloud plan` of the full province, as a user runs them.

Each run is a fresh process (so interpreter start and imports count), measured for wall time and peak
resident memory. Targets (issue 2): under 1 s and under 300 MiB on the 2-core lab machine.
Usage: python bench/validate.py [--runs N] [FILE]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time

SCRIPT = """
import sys
from govcloud import pipeline
checked = pipeline.check(sys.argv[1])
assert not checked.errors
checked.plan.summary()
"""


def one(path: str) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", SCRIPT, path], check=True)
    wall = time.perf_counter() - t
    # ru_maxrss of children is the largest child so far (KiB on Linux); runs are alike, so it is this one's
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    return wall, peak


def in_process(path: str) -> dict[str, float]:
    """Where the time goes inside one process, stage by stage."""
    t0 = time.perf_counter()
    from govcloud import rules
    from govcloud.load import load_file
    from govcloud.model import decode
    from govcloud.plan import build_plan

    t1 = time.perf_counter()
    doc = load_file(path)
    t2 = time.perf_counter()
    topo = decode(doc)
    t3 = time.perf_counter()
    plan = build_plan(topo)
    _ = plan.extranet, plan.clusters, plan.lab
    t4 = time.perf_counter()
    rules.run(plan, doc)
    t5 = time.perf_counter()
    return {"import": t1 - t0, "load": t2 - t1, "decode": t3 - t2, "plan": t4 - t3, "rules": t5 - t4}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", nargs="?", default="topology.yaml")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    walls, peaks = zip(*(one(args.file) for _ in range(args.runs)), strict=True)
    stages = in_process(args.file)
    print(f"validate+plan {args.file}: {args.runs} runs, fresh process each")
    print(
        f"  wall   median {statistics.median(walls):.3f} s  min {min(walls):.3f} s  max {max(walls):.3f} s"
        f"   (target < 1 s)"
    )
    print(f"  memory peak RSS {max(peaks):.0f} MiB   (target < 300 MiB)")
    print("  stages (in one process): " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in stages.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
