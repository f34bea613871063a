"""Benchmark: the whole province on kwok — `lab up` wall time and memory, `deploy` time and rate,
each beside its peer measured in the same run.

Targets (issue 4, 2 cores / 24 GiB): full lab up under 5 min and under 16 GiB; issue 17: under 5 GiB.
Memory is the resident set (RSS) of every lab process, summed per component, sampled once the lab has
settled: where the memory goes, per apiserver and per etcd. Beside it the proportional set (PSS),
which counts the pages of a binary that twenty copies share once. Runs in its own lab folder and
takes it down afterwards; no other lab may be running on its ports (GOVCLOUD_LAB_PORT_BASE moves them).

The peers (issue 17): kwokctl (built from the lab's own kwok module by `scripts/setup-bench.sh
--kwokctl`) creating the same number of clusters with the same nodes from the same binaries, for
`lab up` and memory; `kubectl apply --server-side -k` of `govcloud render`'s folders, one per cluster,
then `kubectl wait` for every Deployment to be Available, for deploy (fresh and unchanged), on a
second lab of ours so both tools start from empty clusters.
Usage: python bench/lab.py [--profile full|compact] [--settle SECONDS] [--no-peer]
"""

from __future__ import annotations

import argparse
import os
import subprocess
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
from govcloud.lab.tools import CACHE
from govcloud.render.k8s import render_all
from govcloud.render.write import write_cluster

BIN = CACHE / "bin"


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


def memory_of_processes_under(folder: Path) -> dict[str, list[tuple[int, int]]]:
    """(RSS, PSS) of every process whose command line names `folder` (kwokctl's components), by
    executable name."""
    out: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for proc in psutil.process_iter(["cmdline", "name"]):
        try:
            cmdline = " ".join(proc.info["cmdline"] or [])
            if str(folder) not in cmdline or proc.pid == os.getpid():
                continue
            info = proc.memory_full_info()
        except psutil.Error:
            continue
        out[Path(proc.info["cmdline"][0]).name].append((info.rss, info.pss))
    return out


def kwokctl_up(lab: KwokLab, workdir: Path) -> float:
    """kwokctl creating one cluster per lab cluster, with as many nodes, from the lab's binaries."""
    kwokctl = BIN / "kwokctl"
    if not kwokctl.exists():
        raise SystemExit(f"{kwokctl} missing: run scripts/setup-bench.sh --kwokctl (make bench-lab does)")
    env = {**os.environ, "KWOK_WORKDIR": str(workdir), "KWOK_KUBECTL_BINARY": str(BIN / "kubectl")}
    t0 = time.monotonic()
    for i, c in enumerate(lab.clusters):
        name = f"peer{i:02d}"
        argv = [
            str(kwokctl),
            "create",
            "cluster",
            "--name",
            name,
            "--runtime",
            "binary",
            "--kubeconfig",
            str(workdir / "kubeconfig"),
            "--wait",
            "5m",
        ]
        for flag, binary in (
            ("--kube-apiserver-binary", "kube-apiserver"),
            ("--kube-controller-manager-binary", "kube-controller-manager"),
            ("--kube-scheduler-binary", "kube-scheduler"),
            ("--kwok-controller-binary", "kwok"),
            ("--etcd-binary", "etcd"),
        ):
            argv += [flag, str((BIN / binary).resolve())]
        subprocess.run(argv, env=env, check=True, capture_output=True, text=True)
        subprocess.run(
            [str(kwokctl), "scale", "node", "--name", name, "--replicas", str(c.nodes)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
    return time.monotonic() - t0


def kwokctl_down(lab: KwokLab, workdir: Path) -> None:
    env = {**os.environ, "KWOK_WORKDIR": str(workdir)}
    for i in range(len(lab.clusters)):
        subprocess.run(
            [str(BIN / "kwokctl"), "delete", "cluster", "--name", f"peer{i:02d}"], env=env, capture_output=True
        )


def kubectl_apply(lab: KwokLab, folders: Path) -> float:
    """`kubectl apply --server-side -k` of every cluster's rendered folder, then wait for every
    Deployment to be Available: what `govcloud deploy` does, with kubectl."""
    kubectl = str(BIN / "kubectl")
    t0 = time.monotonic()
    for c in lab.clusters:
        ctx = ["--kubeconfig", str(lab.kubeconfig), "--context", c.name]
        subprocess.run(
            [kubectl, *ctx, "apply", "--server-side", "--field-manager", "peer", "-k", str(folders / c.name)],
            check=True,
            capture_output=True,
            text=True,
        )
    for c in lab.clusters:
        ctx = ["--kubeconfig", str(lab.kubeconfig), "--context", c.name]
        r = subprocess.run(
            [kubectl, *ctx, "wait", "--for=condition=Available", "deployment", "--all", "-A", "--timeout=300s"],
            capture_output=True,
            text=True,
        )
        if r.returncode != 0 and "no matching resources" not in r.stderr:  # a centre with no Deployment
            raise SystemExit(f"kubectl wait on {c.name}: {r.stderr.strip()}")
    return time.monotonic() - t0


def totals(mem: dict[str, list[tuple[int, int]]]) -> tuple[int, int]:
    """(RSS, PSS) summed over every process of a memory sample."""
    return sum(r for v in mem.values() for r, _ in v), sum(p for v in mem.values() for _, p in v)


def ratio(ours: float, peer: float | None) -> str:
    return f"{ours / peer:.2f}" if peer else "-"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--profile", default="full", choices=["full", "compact"])
    ap.add_argument("--settle", type=float, default=20.0, help="seconds to wait before sampling memory")
    ap.add_argument("--topology", default="topology.yaml")
    ap.add_argument("--no-peer", action="store_true", help="only govcloud's figures")
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
        peer_up = peer_deploy = peer_redeploy = None
        peer_mem: dict[str, list[tuple[int, int]]] = {}
        if not args.no_peer:
            work = Path(tmp) / "kwokctl"
            try:
                peer_up = kwokctl_up(lab, work)
                time.sleep(args.settle)
                peer_mem = memory_of_processes_under(work)
            finally:
                kwokctl_down(lab, work)
            folders = Path(tmp) / "rendered"
            for name, objs in rendered.items():
                if any(c.name == name for c in lab.clusters):
                    write_cluster(folders / name, objs)
            second = KwokLab(plan, Path(tmp) / "second", args.profile)
            try:
                second.up()
                peer_deploy = kubectl_apply(second, folders)
                peer_redeploy = kubectl_apply(second, folders)
            finally:
                second.down()
    objects = sum(r.objects for r in reports)
    gib = 1024**3
    print(
        f"kwok lab, profile {args.profile}: {len(statuses)} clusters, "
        f"{sum(s.nodes_ready for s in statuses)} nodes ready"
    )
    print(f"  lab up      {up_s:7.1f} s   (target < 300 s)")
    print(f"  deploy      {deploy_s:7.1f} s   {objects} objects, {objects / deploy_s:.0f} objects/s")
    print(f"  re-deploy   {redeploy_s:7.1f} s   {sum(r.changed for r in again)} changed")
    rss, pss = totals(mem)
    if not args.no_peer:
        peer_rss, peer_pss = totals(peer_mem)
        print("  beside its peer, same run (ratio = govcloud / peer; below 1 is better):")
        print(f"    {'work':<22} {'govcloud':>10} {'peer':>10} {'ratio':>6}  peer")
        rows = [
            ("lab up (s)", up_s, peer_up, "kwokctl create cluster + scale node, same binaries"),
            ("memory RSS (GiB)", rss / gib, peer_rss / gib, "kwokctl's clusters, all processes"),
            ("memory PSS (GiB)", pss / gib, peer_pss / gib, "the same, shared pages counted once"),
            ("deploy, fresh (s)", deploy_s, peer_deploy, "kubectl apply --server-side -k + kubectl wait"),
            ("deploy, unchanged (s)", redeploy_s, peer_redeploy, "the same again"),
        ]
        for label, ours, peer, what in rows:
            print(f"    {label:<22} {ours:>10.2f} {peer or 0:>10.2f} {ratio(ours, peer):>6}  {what}")
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
