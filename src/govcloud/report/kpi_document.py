"""The KPI report as data: every KPI the topology sets against its target, with its definition, where
its figures come from, its breakdown and who keeps it below 100%. `govcloud report` writes this as
JSON, and the Markdown and HTML pages are drawn from it, so the three always say the same.

A pure function of the plan; `locate` turns a node's path into file:line:column (the load stage's
positions), so every target and every system behind a miss points back into the topology.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from govcloud import __version__
from govcloud.diagnostics import Location, Path
from govcloud.model.topology import KpiMetric
from govcloud.plan import Plan
from govcloud.plan.kpis import METRICS, KpiValue

SCHEMA = "govcloud.dev/kpi-report/v1"
Locate = Callable[[Path], Location | None]


def _pct(v: float | None) -> float | None:
    return None if v is None else round(v, 4)


def _at(locate: Locate, path: Path) -> str | None:
    if not path:
        return None
    loc = locate(path)
    return str(loc) if loc else None


def _kpi(k: KpiValue, locate: Locate) -> dict[str, Any]:
    return {
        "metric": k.metric.value,
        "title": k.title,
        "name": METRICS[k.metric].title,
        "definition": k.definition,
        "computed_from": k.basis,
        "unit": k.unit.value,
        "value": _pct(k.value),
        "numerator": k.numerator,
        "denominator": k.denominator,
        "target": k.target,
        "year": k.year,
        "met": k.met,
        "target_source": k.source,
        "declared_at": _at(locate, k.path),
        "target_per_group": k.per_group,
        "group_unit": k.group_unit.value,
        "groups": [
            {
                "label": g.label,
                "value": _pct(g.value),
                "numerator": g.numerator,
                "denominator": g.denominator,
                "met": k.group_met(g),
                "note": g.note,
                "at": _at(locate, g.path),
            }
            for g in k.groups
        ],
        "misses": [
            {"kind": m.kind, "name": m.name, "department": m.department, "reason": m.reason, "at": _at(locate, m.path)}
            for m in k.misses
        ],
    }


def kpi_document(plan: Plan, locate: Locate, topology_file: str) -> dict[str, Any]:
    t = plan.topology
    kpis = [_kpi(k, locate) for k in plan.kpis]
    declared = {k.metric for k in plan.kpis}
    return {
        "schema": SCHEMA,
        "generator": f"govcloud {__version__}",
        "topology": topology_file,
        "name": t.metadata.name,
        "title": t.metadata.title or t.province.title,
        "summary": {
            "kpis": len(kpis),
            "met": sum(k["met"] for k in kpis),
            "below_target": [k["metric"] for k in kpis if not k["met"]],
            "systems": len(t.systems),
            "clouds": len(t.clouds),
            "centres": len(plan.clusters),
        },
        "kpis": kpis,
        "not_targeted": [m.value for m in KpiMetric if m not in declared],
    }
