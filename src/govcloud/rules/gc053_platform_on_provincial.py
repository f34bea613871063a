"""GC053: shared platform services run on the provincial cloud."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.model.topology import CloudKind
from govcloud.plan import Plan
from govcloud.rules.base import Finding, Rule


def check(plan: Plan) -> Iterator[Finding]:
    for p in plan.topology.platform_services:
        c = plan.index.clouds.get(p.cloud)
        if c is not None and c.kind != CloudKind.PROVINCIAL:
            yield Finding(
                p.at("cloud"),
                f"platform service '{p.name}' is on {c.kind.value} cloud '{c.name}'",
                "shared platform services (统一应用支撑) run on the provincial cloud",
            )


RULE = Rule(
    "GC053",
    "platform-on-provincial",
    Severity.ERROR,
    "Shared platform services are provincial",
    "Unified identity, e-licence, e-seal, payment, workflow, hotline, BaaS, AI and geospatial services "
    "are built once for the whole province and run on the provincial cloud (统建共用).",
    "seed 004 §九.2(1) 统一应用支撑",
    check=check,
    category="capacity",
)
