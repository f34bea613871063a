"""GC060: each KPI the plan sets is met by the inventory (a warning when it is not)."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.plan import Plan
from govcloud.rules.base import Finding, Rule


def check(plan: Plan) -> Iterator[Finding]:
    for k in plan.kpis:
        if k.value is None:
            yield Finding(k.path, f"{k.title}: nothing to measure (no systems count towards it)")
        elif not k.met:
            yield Finding(
                k.path,
                f"{k.title} is {k.value:.1%} ({k.numerator}/{k.denominator}), below the target {k.target:.0%}",
                "see `govcloud plan` for what counts towards it",
            )


RULE = Rule(
    "GC060",
    "kpi-targets",
    Severity.WARNING,
    "KPIs meet the plan's targets",
    "A province's plan sets targets for cloud adoption, extranet access, e-licence use and e-seal "
    "coverage; each topology declares its own in kpis[].target, and the finding quotes that value. "
    "(The reference topology carries Jiangxi's: 80%, 80%, 70% and 90%.) govcloud computes each KPI "
    "from the systems inventory and warns below target (--strict makes warnings fail).",
    "seed 004 §一(二) 主要目标",
    check=check,
    category="kpi",
)
