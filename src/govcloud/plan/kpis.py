"""The plan's KPIs (上云率, 外网接入率, 电子证照用证率, 电子印章覆盖率), computed from the inventory."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from govcloud.diagnostics import Path
from govcloud.model.topology import Hosting, KpiMetric, NetworkKind, PlatformKind, System
from govcloud.plan.index import Index


@dataclass(frozen=True, slots=True)
class KpiValue:
    metric: KpiMetric
    title: str
    target: float
    numerator: int
    denominator: int
    source: str
    path: Path

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def met(self) -> bool:
        v = self.value
        return v is not None and v + 1e-9 >= self.target


def _uses_kind(ix: Index, s: System, kind: PlatformKind) -> bool:
    return any(ix.services[u].kind == kind for u in s.uses if u in ix.services)


def _cloud_adoption(ix: Index) -> tuple[int, int]:
    pool = [s for s in ix.topology.systems if not s.classified]
    return sum(s.hosting == Hosting.CLOUD for s in pool), len(pool)


def _extranet_access(ix: Index) -> tuple[int, int]:
    pool = [s for s in ix.topology.systems if not s.classified]
    return sum(s.network != NetworkKind.LEGACY for s in pool), len(pool)


def _e_licence(ix: Index) -> tuple[int, int]:
    pool = [s for s in ix.topology.systems if s.public_service and not s.classified]
    return sum(_uses_kind(ix, s, PlatformKind.E_LICENCE) for s in pool), len(pool)


def _e_seal(ix: Index) -> tuple[int, int]:
    pool = [s for s in ix.topology.systems if not s.classified]
    departments = {s.department for s in pool}
    covered = {s.department for s in pool if _uses_kind(ix, s, PlatformKind.E_SEAL)}
    return len(covered), len(departments)


COMPUTE: dict[KpiMetric, Callable[[Index], tuple[int, int]]] = {
    KpiMetric.CLOUD_ADOPTION: _cloud_adoption,
    KpiMetric.EXTRANET_ACCESS: _extranet_access,
    KpiMetric.E_LICENCE_USE: _e_licence,
    KpiMetric.E_SEAL_COVERAGE: _e_seal,
}


def compute(ix: Index) -> list[KpiValue]:
    out = []
    for k in ix.topology.kpis:
        num, den = COMPUTE[k.metric](ix)
        out.append(KpiValue(k.metric, k.title or k.metric.value, k.target, num, den, k.source, k.path))
    return out
