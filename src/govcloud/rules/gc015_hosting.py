"""GC015: a cloud-hosted system names its tenant; a self-hosted one names none."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.model.topology import Hosting
from govcloud.plan import Plan
from govcloud.rules.base import Finding, Rule


def check(plan: Plan) -> Iterator[Finding]:
    for s in plan.topology.systems:
        if s.hosting == Hosting.CLOUD and s.tenant is None:
            yield Finding(
                s.at("hosting"),
                f"system '{s.name}' is on a cloud but names no tenant",
                "add tenant: <name> (the tenant gives its cloud and zone)",
            )
        elif s.hosting == Hosting.SELF_HOSTED and s.tenant is not None:
            yield Finding(
                s.at("tenant"), f"self-hosted system '{s.name}' names a tenant", "drop tenant, or set hosting: cloud"
            )


RULE = Rule(
    "GC015",
    "hosting",
    Severity.ERROR,
    "Placement is stated once and consistently",
    "Whether a system is on a cloud decides the cloud-adoption KPI and where it is deployed; the tenant "
    "is what places it, so a cloud system needs one and a self-hosted one must not have one.",
    "seed 004 §一(二): 非涉密政务系统上云率",
    check=check,
)
