"""GC040: classified systems stay on the intranet, never on the extranet or a cloud."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.model.topology import Hosting, NetworkKind
from govcloud.plan import Plan
from govcloud.rules.base import Finding, Rule


def check(plan: Plan) -> Iterator[Finding]:
    for s in plan.topology.systems:
        if not s.classified:
            continue
        if s.hosting == Hosting.CLOUD:
            yield Finding(
                s.at("hosting"),
                f"classified system '{s.name}' is on a cloud",
                "classified (涉密) systems are self-hosted on the intranet",
            )
        if s.network != NetworkKind.INTRANET:
            yield Finding(
                s.at("network"),
                f"classified system '{s.name}' is on the {s.network.value} network",
                "set network: intranet (政务内网), physically separate from the extranet",
            )


RULE = Rule(
    "GC040",
    "classified-isolation",
    Severity.ERROR,
    "Classified systems stay on the intranet",
    "The e-government intranet carries classified (涉密) business and is physically separate from the "
    "extranet; government clouds serve non-classified systems only.",
    "seed 004 §一(二) 非涉密政务系统上云; seed 000 政务内网与外网物理隔离; 保密法",
    check=check,
    category="security",
)
