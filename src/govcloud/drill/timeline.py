"""Where a drill's time went: step events, Patroni's view sampled during observation, and the
checker's acknowledgements, on one clock (the containers share the controller's kernel clock).

detection = fault → the DCS shows a new leader (the survivor took the leader lock);
promotion = leader lock → that member reports itself primary. Both come from Patroni's REST API and
only explain the RTO, which the checker measures from acknowledged writes.
"""

from __future__ import annotations

from typing import Any, TypedDict

from govcloud.drill.checker import Verdict


class PatroniMarks(TypedDict, total=False):
    leader_changed: float
    leader: str  # the member that took the lock
    promoted: float
    old_demoted: float


def patroni_marks(observations: list[dict[str, Any]], old: str | None, after: float) -> PatroniMarks:
    """When, after `after`, a leader other than `old` first appeared, and when it first reported primary."""
    marks: PatroniMarks = {}
    for o in sorted(observations, key=lambda o: float(o["at"])):
        if float(o["at"]) < after:
            continue
        if "leader" in o and o["leader"] and o["leader"] != old and "leader_changed" not in marks:
            marks["leader_changed"] = float(o["at"])
            marks["leader"] = str(o["leader"])
        if (
            o.get("member")
            and o["member"] != old
            and o.get("role") in ("master", "primary")
            and o.get("state") == "running"
            and "promoted" not in marks
        ):
            marks["promoted"] = float(o["at"])
        if o.get("member") == old and o.get("role") not in ("master", "primary") and "old_demoted" not in marks:
            marks["old_demoted"] = float(o["at"])
    return marks


def build(
    events: list[dict[str, Any]], observations: list[dict[str, Any]], verdict: Verdict, fault_at: float | None
) -> tuple[list[dict[str, Any]], float | None, float | None]:
    """(timeline rows sorted by time, detection seconds, promotion seconds)."""
    rows: list[dict[str, Any]] = []
    t0 = fault_at

    def add(at: float, what: str, source: str) -> None:
        rows.append(
            {
                "at": round(at, 3),
                "since_fault_s": None if t0 is None else round(at - t0, 3),
                "what": what,
                "source": source,
            }
        )

    for e in events:
        add(float(e["at"]), f"{e['step']}: {e['event']}" + (f" ({e['detail']})" if e.get("detail") else ""), "drill")
    detection = promotion = None
    if t0 is not None:
        m = patroni_marks(observations, verdict.old_primary, t0)
        if "old_demoted" in m:
            add(m["old_demoted"], f"{verdict.old_primary} no longer primary (or unreachable)", "patroni")
        if "leader_changed" in m:
            detection = m["leader_changed"] - t0
            add(m["leader_changed"], f"{m['leader']} holds the leader lock (detection)", "patroni")
        if "promoted" in m:
            add(m["promoted"], "new leader reports itself primary (promotion)", "patroni")
            if "leader_changed" in m:
                promotion = m["promoted"] - m["leader_changed"]
        old = verdict.per_node.get(verdict.old_primary or "")
        if old:
            add(old[1], f"last acknowledged write on {verdict.old_primary}", "checker")
        if verdict.rto_s is not None:
            add(t0 + verdict.rto_s, f"first acknowledged write on {verdict.new_primary} (RTO)", "checker")
    rows.sort(key=lambda r: r["at"])
    return rows, detection, promotion
