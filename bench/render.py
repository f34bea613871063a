"""Benchmark: `govcloud render` of the full province — render every cluster's objects and write them.

Prints wall time per stage (plan, render, write), object and cluster counts, and peak memory (Python
allocations via tracemalloc in one extra run, and the process's peak RSS via getrusage).
Target (issue 3): render under 2 s.
Usage: python bench/render.py [--runs N] [FILE]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", nargs="?", default="topology.yaml")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    t0 = time.perf_counter()
    from govcloud import pipeline
    from govcloud.render.k8s import render_all
    from govcloud.render.write import write_tree

    t_import = time.perf_counter() - t0

    t0 = time.perf_counter()
    plan = pipeline.load_plan(args.file)
    t_plan = time.perf_counter() - t0

    renders, writes, totals = [], [], []
    objects = clusters = 0
    with tempfile.TemporaryDirectory(prefix="govcloud-bench-") as tmp:
        for i in range(args.runs):
            t0 = time.perf_counter()
            rendered = render_all(plan)
            t1 = time.perf_counter()
            write_tree(Path(tmp) / "out", rendered)
            t2 = time.perf_counter()
            renders.append(t1 - t0)
            writes.append(t2 - t1)
            totals.append(t2 - t0)
            if i == 0:
                objects = sum(len(v) for v in rendered.values())
                clusters = len(rendered)
        # memory in a separate run: tracemalloc slows allocation-heavy code several times over
        tracemalloc.start()
        write_tree(Path(tmp) / "out", render_all(plan))
        _, peak_py = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    print(f"render {args.file}: {clusters} clusters, {objects} objects, {args.runs} runs in one process")
    print(
        f"  render (objects in memory)  median {statistics.median(renders) * 1000:.0f} ms"
        f"  min {min(renders) * 1000:.0f} ms"
    )
    print(
        f"  write (atomic folder tree)  median {statistics.median(writes) * 1000:.0f} ms"
        f"  min {min(writes) * 1000:.0f} ms"
    )
    print(f"  render + write              median {statistics.median(totals):.3f} s   (target < 2 s)")
    print(f"  once per process: import {t_import * 1000:.0f} ms, load + validate + plan {t_plan * 1000:.0f} ms")
    print(f"  memory: peak Python allocations {peak_py / 2**20:.1f} MiB (tracemalloc), peak RSS {peak_rss:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
