"""Benchmark: the compact lab on kind beside the same clusters on kwok, in one run.

kind: `lab up --engine kind` from nothing (every node created: cold) and again with the clusters
running (nothing to create: warm), then each node's memory as Docker accounts it (`docker stats`:
the node container's cgroup, page cache excluded), after `deploy` and a settle. kwok: the same
clusters' `lab up` and the resident memory (RSS) of each cluster's processes, after the same deploy.
A kind cluster holds a real kubelet, containerd, CoreDNS, kube-proxy, kube-router and real pods;
a kwok cluster only the control plane, so kind costs more per cluster: this says how much.

Runs in its own lab folders and takes both labs down afterwards; no kind cluster of the plan may
exist beforehand. Usage: python bench/kind.py [--settle SECONDS] [--topology FILE]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil

from govcloud import pipeline
from govcloud.lab import kind, state
from govcloud.lab.deploy import deploy
from govcloud.lab.kwok import KwokLab
from govcloud.plan import Plan
from govcloud.render.k8s import render_all

UNITS = {"B": 1, "KiB": 1024, "MiB": 1024**2, "GiB": 1024**3}


def node_memory() -> dict[str, int]:
    """Bytes per kind cluster: the sum of its node containers' memory (docker stats)."""
    out = subprocess.run(
        ["docker", "stats", "--no-stream", "--format", "{{.Name}}\t{{.MemUsage}}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    per: dict[str, int] = {}
    for line in out.splitlines():
        name, usage = line.split("\t")
        m = re.match(r"([\d.]+)([KMG]i?B|B)", usage.split("/")[0].strip())
        if m and name.endswith("-control-plane"):
            cluster = name.removesuffix("-control-plane")
            per[cluster] = per.get(cluster, 0) + int(float(m.group(1)) * UNITS[m.group(2)])
    return per


def kwok_memory(folder: Path) -> dict[str, int]:
    """Bytes of RSS per kwok cluster: every process the lab recorded in its folder."""
    per: dict[str, int] = {}
    for pidfile in folder.glob("clusters/*/*.pid"):
        identity = state.running(pidfile)
        if identity is None:
            continue
        try:
            rss = psutil.Process(identity.pid).memory_info().rss
        except psutil.Error:
            continue
        per[pidfile.parent.name] = per.get(pidfile.parent.name, 0) + rss
    return per


def measure(
    lab: kind.KindLab | KwokLab,
    plan: Plan,
    rendered: dict[str, list[dict[str, Any]]],
    settle: float,
    memory: Callable[[], dict[str, int]],
) -> tuple[float, float, dict[str, int]]:
    """Seconds of `lab up` from nothing and again with everything running, then bytes per cluster
    once the lab's objects are deployed and it has settled."""
    t0 = time.monotonic()
    lab.up()
    cold = time.monotonic() - t0
    t1 = time.monotonic()
    lab.up()
    warm = time.monotonic() - t1
    deploy(plan, rendered, lab.kubeconfig, lab.clusters)
    time.sleep(settle)
    return cold, warm, memory()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--settle", type=float, default=20.0, help="seconds to wait before sampling memory")
    ap.add_argument("--topology", default="topology.yaml")
    args = ap.parse_args()
    plan = pipeline.load_plan(args.topology)
    rendered = render_all(plan)
    problems = kind.missing_prerequisites()
    if problems:
        print("kind engine not ready:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="govcloud-bench-kind-") as tmp:
        kl = kind.KindLab(plan, Path(tmp) / "kind", "compact")
        taken = {c.name for c in kl.clusters} & kind.existing()
        if taken:
            print(f"kind clusters {sorted(taken)} already exist: `govcloud lab down` first", file=sys.stderr)
            return 2
        try:
            cold, warm, kind_mem = measure(kl, plan, rendered, args.settle, node_memory)
        finally:
            kind.down(plan)
        kw = KwokLab(plan, Path(tmp) / "kwok", "compact")
        try:
            kwok_cold, kwok_warm, kwok_mem = measure(
                kw, plan, rendered, args.settle, lambda: kwok_memory(Path(tmp) / "kwok")
            )
        finally:
            kw.down()
    mib = 1024**2
    names = [c.name for c in kl.clusters]
    print(f"compact lab, {len(names)} clusters, kind beside kwok in one run (ratio = kind / kwok)")
    print(f"  {'work':<28} {'kind':>9} {'kwok':>9} {'ratio':>6}")
    print(f"  {'lab up, cold (s)':<28} {cold:>9.1f} {kwok_cold:>9.1f} {cold / kwok_cold:>6.1f}")
    print(f"  {'lab up, warm (s)':<28} {warm:>9.1f} {kwok_warm:>9.1f} {warm / max(kwok_warm, 0.01):>6.1f}")
    total_kind, total_kwok = sum(kind_mem.values()), sum(kwok_mem.values())
    print(
        f"  {'memory, all clusters (MiB)':<28} {total_kind / mib:>9.0f} {total_kwok / mib:>9.0f} "
        f"{total_kind / max(total_kwok, 1):>6.1f}"
    )
    print("  memory per cluster after deploy (MiB; kind: node container, kwok: RSS of its processes)")
    for n in names:
        k, w = kind_mem.get(n, 0), kwok_mem.get(n, 0)
        print(f"    {n:<26} {k / mib:>9.0f} {w / mib:>9.0f} {k / max(w, 1):>6.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
