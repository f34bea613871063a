"""Benchmark: DR drills repeated — RTO, detection and promotion (min / median / max), RPO each time.

Repeats `same-city` (abrupt loss of the production centre) and `switchover` (planned) N times each,
every one followed by playbooks/failback.yml, through the same playbooks CI runs. The peer, measured
in the same run: one `same-city` with Patroni's default timings (ttl 30 s, loop_wait 10 s,
retry_timeout 10 s, set through Patroni's REST API and put back afterwards) against the topology's
DR policy. Targets (issue 13): abrupt failover <= 25 s, switchover <= 5 s, no acknowledged write
lost. Needs the lab hosts up and site.yml applied (the script does both, idempotently) and holds
them: take /run/gc-locks/hosts.lock around it (the Makefile target does).
Also repeats the city drill (a city cloud lost, restored at its backup partner from base backup +
WAL) N times for each city of the compact lab: RTO, the restore's own time and the history lost
(bounded by archive_timeout, 60 s).
Also repeats the whole-city loss (a declared disaster: the remote DR centre promoted) N times, each
followed by the failback that rebuilds the city from it: RTO, the declaration's time, the history
the asynchronous link lost, and the move back's RTO.

Usage: python bench/drill.py [--repeat N] [--no-peer] [--only ha,whole-city,city]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from govcloud import pipeline
from govcloud.drill.cluster import API_USER, drill_cluster
from govcloud.drill.records import Record, load_records
from govcloud.lab.state import lab_dir

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CITIES = ("nanchang", "jiujiang")  # the compact lab's city clouds whose partner's backup host is in it too


LOGS = ROOT / "build" / "bench-drill"
_step = 0


def sh(*args: str, check: bool = True) -> None:
    """Run one step; its whole output goes to build/bench-drill/NN-<name>.log (a failure late in a
    long playbook needs more than the tail to explain)."""
    global _step
    _step += 1
    LOGS.mkdir(parents=True, exist_ok=True)
    name = "-".join(a.rsplit("/", 1)[-1].removesuffix(".yml") for a in args[1:3] if not a.startswith("-"))
    log = LOGS / f"{_step:02d}-{name or 'step'}.log"
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.run(list(args), cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, text=True, check=False)
    if proc.returncode != 0 and check:
        sys.stderr.write(log.read_text(encoding="utf-8")[-3000:])
        raise SystemExit(f"failed: {' '.join(args)} (whole output: {log.relative_to(ROOT)})")


def drill(*playbook: str, check: bool = True) -> Record:
    before = {r.run for r in load_records(ROOT)}
    sh(str(BIN / "ansible-playbook"), *playbook, check=check)
    new = [r for r in load_records(ROOT) if r.run not in before]
    if not new:
        raise SystemExit(f"failed: {' '.join(playbook)} wrote no drill record")
    return new[-1]


def summary(name: str, recs: list[Record]) -> None:
    def row(label: str, values: list[float | None]) -> str:
        v = [x for x in values if x is not None]
        if not v:
            return f"  {label:<11} -"
        return f"  {label:<11} min {min(v):6.2f}s  median {statistics.median(v):6.2f}s  max {max(v):6.2f}s"

    print(f"{name} (n={len(recs)})")
    print(row("RTO", [r.rto_s for r in recs]))
    print(row("detection", [r.detection_s for r in recs]))
    print(row("promotion", [r.promotion_s for r in recs]))
    print(
        f"  RPO         lost {[r.lost for r in recs]} acknowledged writes; split brain {[r.split_brain for r in recs]}"
    )
    if any(r.lost for r in recs):
        print(row("lost span", [r.lost_seconds for r in recs]))


def patch_config(body: dict[str, int]) -> None:
    import base64
    import urllib.request

    plan = pipeline.load_plan(ROOT / "topology.yaml")
    dc = drill_cluster(plan, lab_dir(ROOT))
    req = urllib.request.Request(dc.api(dc.production) + "/config", data=json.dumps(body).encode(), method="PATCH")
    token = base64.b64encode(f"{API_USER}:{dc.secret('patroni-api')}".encode()).decode()
    req.add_header("Authorization", f"Basic {token}")
    req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=10) as resp:
        resp.read()
    time.sleep(2 * body.get("loop_wait", 10))  # every member picks it up on its next loops


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-peer", action="store_true")
    ap.add_argument("--no-city", action="store_true")
    ap.add_argument("--only", default="ha,whole-city,city", help="comma-separated: ha, whole-city, city")
    args = ap.parse_args()
    only = set(args.only.split(","))
    if args.no_city:
        only.discard("city")
    t0 = time.monotonic()
    sh(str(BIN / "govcloud"), "lab", "hosts", "up", "--profile", "compact")
    sh(str(BIN / "ansible-playbook"), "playbooks/site.yml", "--limit", "lab_compact")
    print(f"lab ready in {time.monotonic() - t0:.0f}s; {args.repeat} x each of {sorted(only)}")
    same, switch = [], []
    for _ in range(args.repeat if "ha" in only else 0):
        same.append(drill("playbooks/dr-drill.yml", "-e", "scenario=same-city"))
        drill("playbooks/failback.yml")
        switch.append(drill("playbooks/dr-drill.yml", "-e", "scenario=switchover"))
        drill("playbooks/failback.yml")
    policy = pipeline.load_plan(ROOT / "topology.yaml").topology.dr_policy.failover
    print(f"DR policy: ttl {policy.ttl}s, loop_wait {policy.loop_wait}s, retry_timeout {policy.retry_timeout}s")
    if "ha" in only:
        summary("same-city (abrupt loss of nc-prod)", same)
        summary("switchover (planned, nc-prod -> nc-aa)", switch)
    if "ha" in only and not args.no_peer:
        patch_config({"ttl": 30, "loop_wait": 10, "retry_timeout": 10})
        try:
            peer = drill("playbooks/dr-drill.yml", "-e", "scenario=same-city")
            drill("playbooks/failback.yml")
        finally:
            patch_config({"ttl": policy.ttl, "loop_wait": policy.loop_wait, "retry_timeout": policy.retry_timeout})
        summary("peer: same-city with Patroni's defaults (ttl 30s, loop_wait 10s, retry_timeout 10s)", [peer])
        if peer.rto_s and same and all(r.rto_s for r in same):
            med = statistics.median([r.rto_s for r in same if r.rto_s])
            print(f"  ratio: DR policy median RTO / Patroni defaults RTO = {med / peer.rto_s:.2f}")
    if "whole-city" in only:
        lost, back = [], []
        for _ in range(args.repeat):
            # a run that loses a write fails an RPO-0 system, and the playbook with it: a finding
            lost.append(
                drill("playbooks/dr-drill.yml", "-e", "scenario=whole-city", "-e", "confirm_disaster=yes", check=False)
            )
            back.append(drill("playbooks/failback.yml"))
        summary("whole-city (nc-prod + nc-aa lost; detection = the declaration)", lost)
        print(f"  verdicts    {['PASS' if r.passed else 'FAIL' for r in lost]}")
        summary("whole-city failback (rebuild, then the planned move back)", back)
    if "city" in only:
        for city in CITIES:
            recs = [
                drill("playbooks/dr-drill.yml", "-e", "scenario=city", "-e", f"city={city}") for _ in range(args.repeat)
            ]
            summary(f"city {city} (lost, restored at its partner; promotion = the restore)", recs)
    print(f"total {time.monotonic() - t0:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
