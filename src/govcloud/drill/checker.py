"""The checker: the only judge of a drill. It compares the writes the load generator saw
acknowledged with the rows the surviving primary holds, and never asks the HA manager.

- lost: acknowledged writes whose row is missing (count, and the seconds of history they span);
- duplicates: a seq present more than once (each seq is written once, never retried);
- split brain: two servers acknowledged writes in overlapping time (one's first acknowledgement
  falls before another's last), read from the acknowledgements themselves;
- RTO: fault → the first acknowledged write on a server other than the old primary.
The functions here are pure (unit-tested); `surviving_rows` reads the database.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Write:
    seq: int
    sent: float
    ack: float | None
    node: str | None
    error: str | None = None


@dataclass(slots=True)
class Verdict:
    attempts: int
    acknowledged: int
    lost: list[int] = field(default_factory=list)
    lost_seconds: float = 0.0
    duplicates: list[int] = field(default_factory=list)
    split_brain: bool = False
    split_brain_detail: str = ""
    old_primary: str | None = None
    new_primary: str | None = None
    rto_s: float | None = None
    longest_gap_s: float = 0.0
    per_node: dict[str, tuple[float, float, int]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "attempts": self.attempts,
            "acknowledged": self.acknowledged,
            "lost": len(self.lost),
            "lost_seqs": self.lost[:50],
            "lost_seconds": round(self.lost_seconds, 3),
            "duplicates": len(self.duplicates),
            "split_brain": self.split_brain,
            "split_brain_detail": self.split_brain_detail,
            "old_primary": self.old_primary,
            "new_primary": self.new_primary,
            "rto_s": None if self.rto_s is None else round(self.rto_s, 3),
            "longest_gap_s": round(self.longest_gap_s, 3),
        }


def parse_writes(rows: list[dict[str, Any]]) -> list[Write]:
    return [
        Write(int(r["seq"]), float(r["sent"]), r.get("ack"), r.get("node"), r.get("error"))
        for r in rows
        if "seq" in r and "sent" in r
    ]


def judge(writes: list[Write], surviving: Counter[int], fault_at: float | None, name: dict[str, str]) -> Verdict:
    """`surviving`: seq → rows present for this run on the surviving primary; `name`: node address → member."""
    acked = sorted((w for w in writes if w.ack is not None), key=lambda w: float(w.ack or 0))
    v = Verdict(attempts=len(writes), acknowledged=len(acked))
    lost = [w for w in acked if surviving.get(w.seq, 0) == 0]
    v.lost = [w.seq for w in lost]
    if lost:
        first_lost = min(float(w.ack or 0) for w in lost)
        before = [float(w.ack or 0) for w in acked if float(w.ack or 0) < first_lost and surviving.get(w.seq, 0)]
        v.lost_seconds = max(float(w.ack or 0) for w in lost) - (max(before) if before else first_lost)
    v.duplicates = sorted(seq for seq, n in surviving.items() if n > 1)
    for w in acked:
        node = name.get(w.node or "", w.node or "?")
        first, _last, n = v.per_node.get(node, (float(w.ack or 0), float(w.ack or 0), 0))
        v.per_node[node] = (first, float(w.ack or 0), n + 1)
    spans = sorted(v.per_node.items(), key=lambda kv: kv[1][0])
    for (a, (_, a_last, _)), (b, (b_first, _, _)) in itertools.pairwise(spans):
        if b_first < a_last:
            v.split_brain = True
            v.split_brain_detail = f"{a} acknowledged writes until {a_last:.3f}, after {b} began at {b_first:.3f}"
    gaps = [float(b.ack or 0) - float(a.ack or 0) for a, b in itertools.pairwise(acked)]
    v.longest_gap_s = max(gaps, default=0.0)
    if fault_at is not None:
        before_fault = [w for w in acked if float(w.ack or 0) <= fault_at]
        v.old_primary = name.get(before_fault[-1].node or "", before_fault[-1].node) if before_fault else None
        after_new = [
            w for w in acked if float(w.ack or 0) > fault_at and name.get(w.node or "", w.node) != v.old_primary
        ]
        if after_new:
            v.new_primary = name.get(after_new[0].node or "", after_new[0].node)
            v.rto_s = float(after_new[0].ack or 0) - fault_at
    return v


def surviving_rows(conninfo: str, run: str) -> Counter[int]:
    """seq → how many rows of `run` the current primary (through the service address) holds."""
    import psycopg

    with psycopg.connect(conninfo, autocommit=True) as conn:
        rows = conn.execute("SELECT seq, count(*) FROM drill_writes WHERE run = %s GROUP BY seq", (run,)).fetchall()
    return Counter({int(seq): int(n) for seq, n in rows})
