"""Benchmark: the whole province on kwok — `lab up` wall time and memory, `deploy` time and rate.

Targets (issue 4, 2 cores / 24 GiB): full lab up under 5 min and under 16 GiB. Memory is the resident
set of every lab process, summed per component, sampled once the lab has settled: where the memory
goes, per apiserver and per etcd. Runs in its own lab folder and takes it down afterwards; no other
lab may be running (ports are per cluster).
Usage: python bench/lab.py [--profile full|compact] [--settle SECONDS]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import psutil

from govcloud import pipeline
from govcloud.lab import state
from govcloud.lab.deploy import deploy
from govcloud.lab.kwok import KwokLab
from govcloud.render.k8s import render_all


def rss_by_component(folder: Path) -> dict[str, list[int]]:
    """Resident memory of every process the lab recorded (and that still is that process), by name."""
    out: dict[str, list[int]] = defaultdict(list)
    for pidfile in sorted(folder.glob("clusters/*/*.pid")):
        identity = state.running(pidfile)
        if identity is None:
            continue
        try:
            out[pidfile.stem].append(psutil.Process(identity.pid).memory_info().rss)
        except psutil.Error:
            continue
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--profile", default="full", choices=["full", "compact"])
    ap.add_argument("--settle", type=float, default=20.0, help="seconds to wait before sampling memory")
    ap.add_argument("--topology", default="topology.yaml")
    args = ap.parse_args()
    plan = pipeline.load_plan(args.topology)
    with tempfile.TemporaryDirectory(prefix="govcloud-bench-") as tmp:
        lab = KwokLab(plan, Path(tmp), args.profile)
        try:
            t0 = time.monotonic()
            statuses = lab.up()
            up_s = time.monotonic() - t0
            t1 = time.monotonic()
            rendered = render_all(plan)
            reports = deploy(plan, rendered, lab.kubeconfig, lab.clusters)
            deploy_s = time.monotonic() - t1
            t2 = time.monotonic()
            again = deploy(plan, rendered, lab.kubeconfig, lab.clusters)
            redeploy_s = time.monotonic() - t2
            time.sleep(args.settle)
            mem = rss_by_component(Path(tmp))
        finally:
            lab.down()
    objects = sum(r.objects for r in reports)
    gib = 1024**3
    print(
        f"kwok lab, profile {args.profile}: {len(statuses)} clusters, "
        f"{sum(s.nodes_ready for s in statuses)} nodes ready"
    )
    print(f"  lab up      {up_s:7.1f} s   (target < 300 s)")
    print(f"  deploy      {deploy_s:7.1f} s   {objects} objects, {objects / deploy_s:.0f} objects/s")
    print(f"  re-deploy   {redeploy_s:7.1f} s   {sum(r.changed for r in again)} changed")
    total = sum(sum(v) for v in mem.values())
    print(f"  memory      {total / gib:7.2f} GiB resident in all (target < 16 GiB)")
    for name, values in sorted(mem.items(), key=lambda kv: -sum(kv[1])):
        print(
            f"    {name:<24} x{len(values):<3} {sum(values) / gib:6.2f} GiB  "
            f"({sum(values) / len(values) / 1024**2:.0f} MiB each)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
