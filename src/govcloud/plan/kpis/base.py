"""What a KPI computation gives: its value, how it breaks down, and who keeps it from 100%."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from govcloud.diagnostics import Path
from govcloud.model.topology import KpiMetric

if TYPE_CHECKING:  # the plan holds its KPIs; this module only needs the type
    from govcloud.plan import Plan

EPSILON = 1e-9  # 0.8 computed as 4/5 must meet a target of 0.8


class Unit(StrEnum):
    SHARE = "share"
    """value = numerator / denominator: the share of items that pass."""
    MINIMUM = "minimum"
    """value = the smallest group value; numerator / denominator = groups that meet the target."""
    PASS = "pass"
    """(groups only) 1.0 when the item passes, 0.0 when it does not."""


@dataclass(frozen=True, slots=True)
class KpiGroup:
    """One row of a KPI's breakdown: an MLPS level, a centre, a system."""

    label: str
    value: float | None
    numerator: int = 0
    denominator: int = 0
    note: str = ""
    path: Path = ()


@dataclass(frozen=True, slots=True)
class KpiMiss:
    """Something that does not count towards a KPI, and why: what an architect would change."""

    kind: str  # system | department | tenant | network | centre
    name: str
    reason: str
    department: str = ""
    path: Path = ()


@dataclass(frozen=True, slots=True)
class Measure:
    """What one KPI computation found in the plan, before it is held against a target."""

    value: float | None
    numerator: int
    denominator: int
    groups: tuple[KpiGroup, ...] = ()
    misses: tuple[KpiMiss, ...] = ()


def share(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def meets(value: float | None, target: float) -> bool:
    return value is not None and value + EPSILON >= target


@dataclass(frozen=True, slots=True)
class Metric:
    """How govcloud computes one KPI: its definition, the plan data it reads, and the computation."""

    metric: KpiMetric
    title: str
    """English name, used when the topology gives the KPI no title."""
    definition: str
    basis: str
    """Where in the plan (topology fields and plan parts) the figures come from."""
    measure: Callable[[Plan, float], Measure]
    unit: Unit = Unit.SHARE
    per_group: bool = False
    """The target applies to every group (each MLPS level, each centre), not only to the total."""
    group_unit: Unit = Unit.SHARE


@dataclass(frozen=True, slots=True)
class KpiValue:
    """A KPI of the plan against its target."""

    metric: KpiMetric
    title: str
    target: float
    year: int | None
    source: str
    """The plan document the target comes from (topology kpis[].source)."""
    path: Path
    """Where the target is declared in the topology."""
    definition: str
    basis: str
    unit: Unit
    per_group: bool
    group_unit: Unit
    value: float | None
    numerator: int
    denominator: int
    groups: tuple[KpiGroup, ...]
    misses: tuple[KpiMiss, ...]

    @property
    def met(self) -> bool:
        if not meets(self.value, self.target):
            return False
        return not self.per_group or all(meets(g.value, self.target) for g in self.groups)

    def group_met(self, group: KpiGroup) -> bool | None:
        """Whether one group meets the target, or None when the target is not held against groups."""
        return meets(group.value, self.target) if self.per_group else None
