"""The plan's KPIs: each target the topology sets (kpis:), computed from the plan, with its definition,
the plan data it reads, its breakdown and the systems, departments or centres that keep it from 100%.

One module per KPI family; METRICS is the registry of what govcloud knows how to compute.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from govcloud.model.topology import KpiMetric
from govcloud.plan.kpis import backup, dr_level, headroom, inventory, ipv6
from govcloud.plan.kpis.base import KpiGroup, KpiMiss, KpiValue, Measure, Metric, Unit

if TYPE_CHECKING:
    from govcloud.plan import Plan

__all__ = ["METRICS", "KpiGroup", "KpiMiss", "KpiValue", "Measure", "Metric", "Unit", "compute"]

METRICS: dict[KpiMetric, Metric] = {
    m.metric: m for m in (*inventory.METRICS, ipv6.METRIC, backup.METRIC, dr_level.METRIC, headroom.METRIC)
}
assert set(METRICS) == set(KpiMetric), "every KPI metric the model accepts needs a computation"


def compute(plan: Plan) -> list[KpiValue]:
    """Every KPI the topology declares, in its order."""
    out = []
    for k in plan.topology.kpis:
        m = METRICS[k.metric]
        found = m.measure(plan, k.target)
        out.append(
            KpiValue(
                metric=k.metric,
                title=k.title or m.title,
                target=k.target,
                year=k.year,
                source=k.source,
                path=k.path,
                definition=m.definition,
                basis=m.basis,
                unit=m.unit,
                per_group=m.per_group,
                group_unit=m.group_unit,
                value=found.value,
                numerator=found.numerator,
                denominator=found.denominator,
                groups=found.groups,
                misses=found.misses,
            )
        )
    return out
