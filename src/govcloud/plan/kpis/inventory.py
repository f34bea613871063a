"""The seed's four inventory KPIs (上云率, 外网接入率, 电子证照用证率, 电子印章覆盖率): shares of the
systems inventory. Classified (涉密) systems live on the intranet and count towards none of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from govcloud.model.topology import Hosting, KpiMetric, NetworkKind, PlatformKind, System
from govcloud.plan.index import Index
from govcloud.plan.kpis.base import KpiMiss, Measure, Metric, share

if TYPE_CHECKING:
    from govcloud.plan import Plan


def uses_kind(ix: Index, s: System, kind: PlatformKind) -> bool:
    return any(ix.services[u].kind == kind for u in s.uses if u in ix.services)


def _open(plan: Plan) -> list[System]:
    return [s for s in plan.topology.systems if not s.classified]


def _systems(pool: list[System], passes: list[bool], reason: str) -> Measure:
    misses = tuple(
        KpiMiss("system", s.name, reason, s.department, s.path)
        for s, ok in sorted(zip(pool, passes, strict=True), key=lambda p: p[0].name)
        if not ok
    )
    n = sum(passes)
    return Measure(share(n, len(pool)), n, len(pool), misses=misses)


def cloud_adoption(plan: Plan, target: float) -> Measure:
    pool = _open(plan)
    return _systems(pool, [s.hosting == Hosting.CLOUD for s in pool], "self-hosted: not on any cloud")


def extranet_access(plan: Plan, target: float) -> Measure:
    pool = _open(plan)
    return _systems(
        pool,
        [s.network != NetworkKind.LEGACY for s in pool],
        "reached over a legacy dedicated network (业务专网), not the extranet",
    )


def e_licence_use(plan: Plan, target: float) -> Measure:
    pool = [s for s in _open(plan) if s.public_service]
    ix = plan.index
    return _systems(
        pool,
        [uses_kind(ix, s, PlatformKind.E_LICENCE) for s in pool],
        "public service that does not use the e-licence platform",
    )


def e_seal_coverage(plan: Plan, target: float) -> Measure:
    ix = plan.index
    by_department: dict[str, list[System]] = {}
    for s in _open(plan):
        by_department.setdefault(s.department, []).append(s)
    misses = []
    for dept, systems in sorted(by_department.items()):
        if not any(uses_kind(ix, s, PlatformKind.E_SEAL) for s in systems):
            names = ", ".join(sorted(s.name for s in systems))
            misses.append(KpiMiss("department", dept, f"none of its systems uses the e-seal platform ({names})", dept))
    covered = len(by_department) - len(misses)
    return Measure(share(covered, len(by_department)), covered, len(by_department), misses=tuple(misses))


METRICS = (
    Metric(
        KpiMetric.CLOUD_ADOPTION,
        "Cloud adoption of non-classified systems",
        "Non-classified systems hosted on a government cloud (hosting: cloud), as a share of all "
        "non-classified systems.",
        "systems[].classified, systems[].hosting",
        cloud_adoption,
    ),
    Metric(
        KpiMetric.EXTRANET_ACCESS,
        "Extranet access",
        "Non-classified systems reached over the extranet, intranet or internet rather than a legacy "
        "dedicated network (network: legacy), as a share of all non-classified systems.",
        "systems[].classified, systems[].network",
        extranet_access,
    ),
    Metric(
        KpiMetric.E_LICENCE_USE,
        "E-licence use",
        "Non-classified public-service systems (public_service: true) that call an e-licence platform "
        "service, as a share of all non-classified public-service systems.",
        "systems[].public_service, systems[].uses, platform_services[].kind",
        e_licence_use,
    ),
    Metric(
        KpiMetric.E_SEAL_COVERAGE,
        "E-seal coverage of departments",
        "Departments with at least one non-classified system that calls an e-seal platform service, as "
        "a share of all departments owning a non-classified system.",
        "systems[].department, systems[].uses, platform_services[].kind",
        e_seal_coverage,
    ),
)
