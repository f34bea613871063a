"""Benchmark: does distance show? The provincial HA cluster's links, measured on real replication.

1. Commit latency through the service address (HAProxy, libpq read-write), median and p95 over N
   autocommit INSERTs, with `synchronous_commit = local` (the primary's own disk only) and `on` (the
   same-city synchronous standby's flush waited for, across the fault proxy): the difference is what
   the same-city link costs a write.
2. Visibility delay on each standby: a row committed on the primary, then polled on the standby
   (connected directly on its centre network, not through the proxy) until it is there: the
   same-city standby, and the remote DR standby cluster whose WAL crosses the ~500 km link.
The plan's round trip for each link and the toxics Toxiproxy adds are printed beside the figures.
Needs the lab hosts up, site.yml applied and the design roles (`govcloud drill status`).
Usage: python bench/links.py [--samples N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import psycopg

from govcloud import pipeline
from govcloud.drill.cluster import DATABASE, DRILL_USER, drill_cluster
from govcloud.lab.state import lab_dir

ROOT = Path(__file__).resolve().parents[1]
INSERT = "INSERT INTO drill_writes (run, seq) VALUES (%s, %s)"
SEEN = "SELECT 1 FROM drill_writes WHERE run = %s AND seq = %s"


def ms(values: list[float]) -> str:
    v = sorted(values)
    p95 = v[min(len(v) - 1, int(0.95 * len(v)))]
    return f"median {statistics.median(v) * 1000:6.2f} ms  p95 {p95 * 1000:6.2f} ms  (n={len(v)})"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=300)
    args = ap.parse_args()
    plan = pipeline.load_plan(ROOT / "topology.yaml")
    dc = drill_cluster(plan, lab_dir(ROOT))
    run = f"bench-links-{int(time.time())}"
    password = dc.secret("pg-drill")
    remote = dc.remote.host if dc.remote else "none"
    print(f"cluster {dc.ha.scope}: primary {dc.production.host}, same-city {dc.same_city.host}, remote {remote}")
    for route in dc.ha.routes:
        if route.source == dc.production.centre:
            up, down = route.latency_ms
            print(
                f"  link {route.source} -> {route.target} ({route.link}): plan RTT {route.rtt_ms:.2f} ms, "
                f"toxics {up} + {down} ms"
            )
    seq = 0
    with psycopg.connect(dc.conninfo(timeout_s=2), autocommit=True) as primary:
        for mode in ("local", "on"):
            primary.execute(f"SET synchronous_commit = {mode}")
            took = []
            for _ in range(args.samples):
                seq += 1
                t = time.perf_counter()
                primary.execute(INSERT, (run, seq))
                took.append(time.perf_counter() - t)
            print(f"commit, synchronous_commit={mode:<5}  {ms(took)}")
        primary.execute("SET synchronous_commit = local")  # the write is not what is timed below
        for member in (dc.same_city, dc.remote):
            if member is None:
                continue
            standby_info = f"host={member.ipv4} port=5432 dbname={DATABASE} user={DRILL_USER} password={password}"
            delays = []
            with psycopg.connect(standby_info, autocommit=True, connect_timeout=2) as standby:
                for _ in range(max(20, args.samples // 5)):
                    seq += 1
                    primary.execute(INSERT, (run, seq))
                    t = time.perf_counter()
                    while standby.execute(SEEN, (run, seq)).fetchone() is None:
                        if time.perf_counter() - t > 10:
                            print(f"  {member.host}: row {seq} not visible after 10 s", file=sys.stderr)
                            return 1
                    delays.append(time.perf_counter() - t)
            print(f"visible on {member.host:<20} ({member.role}) {ms(delays)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
