"""Benchmark: the whole province on kwok — `lab up` wall time and memory, `deploy` time and rate.

Targets (issue 4, 2 cores / 24 GiB): full lab up under 5 min and under 16 GiB; issue 17: under 5 GiB.
Memory is the resident set (RSS) of every lab process, summed per component, sampled once the lab has
settled: where the memory goes, per apiserver and per etcd. Beside it the proportional set (PSS),
which counts the pages of a binary that twenty copies share once. Runs in its own lab folder and
takes it down afterwards; no other lab may be running on its ports (GOVCLOUD_LAB_PORT_BASE moves them).
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


def memory_by_component(folder: Path) -> dict[str, list[tuple[int, int]]]:
    """(RSS, PSS) of every process the lab recorded (and that still is that process), by name.

    RSS counts the pages of a binary every copy maps (20 kube-apiservers share one executable's
    text) once per process; PSS divides each shared page among the processes mapping it, so the
    PSS of all processes adds up to what the lab really holds."""
    out: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for pidfile in sorted(folder.glob("clusters/*/*.pid")):
        identity = state.running(pidfile)
        if identity is None:
            continue
        try:
            info = psutil.Process(identity.pid).memory_full_info()
        except psutil.Error:
            continue
        out[pidfile.stem].append((info.rss, info.pss))
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
            mem = memory_by_component(Path(tmp))
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
    rss = sum(r for v in mem.values() for r, _ in v)
    pss = sum(p for v in mem.values() for _, p in v)
    print(f"  memory      {rss / gib:7.2f} GiB resident in all (RSS summed; target < 16 GiB, issue 17: < 5 GiB)")
    print(f"              {pss / gib:7.2f} GiB proportional (PSS: shared binary pages counted once)")
    print("  resident per component (RSS, then PSS):")
    for name, values in sorted(mem.items(), key=lambda kv: -sum(r for r, _ in kv[1])):
        r, p = sum(x for x, _ in values), sum(y for _, y in values)
        print(
            f"    {name:<24} x{len(values):<3} {r / gib:6.2f} GiB  ({r / len(values) / 1024**2:.0f} MiB each)"
            f"   PSS {p / gib:5.2f} GiB ({p / len(values) / 1024**2:.0f} MiB each)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
