"""GC060: each KPI the plan sets is met by the inventory (a warning when it is not)."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.plan import KpiValue, Plan
from govcloud.rules.base import Finding, Rule


def _first(k: KpiValue, n: int = 3) -> str:
    names = list(dict.fromkeys(m.name for m in k.misses))
    more = f" and {len(names) - n} more" if len(names) > n else ""
    return ", ".join(names[:n]) + more


def check(plan: Plan) -> Iterator[Finding]:
    for k in plan.kpis:
        if k.value is None:
            yield Finding(k.path, f"{k.title}: nothing to measure (no systems count towards it)")
        elif not k.met:
            yield Finding(
                k.path,
                f"{k.title} is {k.value:.1%} ({k.numerator}/{k.denominator}), below the target {k.target:.0%}",
                f"see `govcloud report` for who keeps it below target ({_first(k)})",
            )


RULE = Rule(
    "GC060",
    "kpi-targets",
    Severity.WARNING,
    "KPIs meet the plan's targets",
    "A province's plan sets targets for cloud adoption, extranet access, e-licence use, e-seal coverage, "
    "IPv6 everywhere, and DR and backups as each system's level asks; each topology declares its own in "
    "kpis[].target and the finding quotes that value (the reference topology carries Jiangxi's: 80%, "
    "80%, 70%, 90% for the first four). govcloud computes each KPI the topology declares from the plan "
    "and warns below target (--strict makes warnings fail); `govcloud report` lists the systems, "
    "departments or centres behind a miss.",
    "seed 004 §一(二) 主要目标; seed 004 §九.1",
    check=check,
    category="kpi",
)
