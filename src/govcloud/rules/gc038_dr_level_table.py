"""GC038: the DR level table has levels 1–6 once each, with bounds that tighten as the level rises."""

import itertools
from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.plan import Plan
from govcloud.rules.base import Finding, Rule


def check(plan: Plan) -> Iterator[Finding]:
    st = plan.topology.standards
    rows = st.dr_levels
    levels = [r.level for r in rows]
    missing = sorted(set(range(1, 7)) - set(levels))
    if missing:
        yield Finding(
            st.at("dr_levels"),
            f"DR level table lacks level(s) {', '.join(map(str, missing))}",
            "give one row per GB/T 20988 level 1–6",
        )
    seen: set[int] = set()
    for r in rows:
        if r.level in seen:
            yield Finding(r.at("level"), f"DR level {r.level} appears twice")
        seen.add(r.level)
    ordered = sorted(rows, key=lambda r: r.level)
    for lower, higher in itertools.pairwise(ordered):
        if higher.level == lower.level:
            continue
        for f in ("rto", "rpo"):
            if getattr(higher, f) > getattr(lower, f):
                yield Finding(
                    higher.at(f),
                    f"level {higher.level} allows a longer {f.upper()} than level {lower.level}",
                    "a higher level never allows more loss or downtime",
                )


RULE = Rule(
    "GC038",
    "dr-level-table",
    Severity.ERROR,
    "The DR level table is complete and monotone",
    "Published per-level RTO/RPO figures differ between sources and GB/T 20988 was revised in 2025, so "
    "the table is data in the topology; it must still cover every level once and never let a higher "
    "level promise less.",
    "GB/T 20988-2007 Annex A; GB/T 20988-2025",
    check=check,
    category="dr",
)
