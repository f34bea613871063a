"""The lab's two cluster engines seen as one: which clusters run, and on which engine.

A lab folder holds one engine's clusters at a time (they share the kubeconfig and its context
names), so `up` on one engine refuses while the other's clusters run.
"""

from __future__ import annotations

from pathlib import Path

from govcloud.diagnostics import UsageError
from govcloud.lab.kind import KindLab
from govcloud.lab.kwok import ClusterStatus, KwokLab
from govcloud.plan import Plan

ENGINES = ("kwok", "kind")


def statuses(plan: Plan, root: Path) -> list[tuple[str, ClusterStatus]]:
    """(engine, row) for every cluster of the plan that runs on either engine."""
    rows = [("kwok", s) for s in KwokLab(plan, root).status()]
    rows += [("kind", s) for s in KindLab(plan, root).status()]
    return rows


def refuse_other(plan: Plan, root: Path, engine: str) -> None:
    """UsageError if clusters of the other engine run for this plan."""
    other = [s.name for e, s in statuses(plan, root) if e != engine]
    if other:
        theirs = "kind" if engine == "kwok" else "kwok"
        raise UsageError(
            f"{len(other)} {theirs} cluster(s) of this lab are running ({', '.join(sorted(other)[:4])}"
            f"{', …' if len(other) > 4 else ''}); a lab runs one engine at a time: `govcloud lab down` first"
        )
