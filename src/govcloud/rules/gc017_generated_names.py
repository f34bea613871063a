"""GC017: names govcloud builds from declared ones fit Kubernetes' limits."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.model.topology import CloudKind
from govcloud.plan import Plan
from govcloud.plan.names import LABEL_VALUE_MAX, instance
from govcloud.rules.base import Finding, Rule

EXCHANGE_SCOPE = "provincial-and-cities"


def check(plan: Plan) -> Iterator[Finding]:
    t = plan.topology
    for p in t.platform_services:
        clouds = [c for c in t.clouds if c.name == p.cloud or (p.scope == EXCHANGE_SCOPE and c.kind == CloudKind.CITY)]
        centres = sorted({dc.name for c in clouds for dc in c.centres}, key=lambda n: (-len(n), n))
        if centres and len(instance(p.name, centres[0])) > LABEL_VALUE_MAX:
            value = instance(p.name, centres[0])
            yield Finding(
                p.at("name"),
                f"platform service '{p.name}' in centre '{centres[0]}' gets the instance label '{value}' "
                f"({len(value)} characters; Kubernetes allows {LABEL_VALUE_MAX})",
                f"shorten the service name or the centre name by {len(value) - LABEL_VALUE_MAX} characters",
            )


RULE = Rule(
    "GC017",
    "generated-names",
    Severity.ERROR,
    "Generated names fit Kubernetes' limits",
    "Some labels join two declared names, such as a shared service's app.kubernetes.io/instance "
    "(<service>-<centre>). Each declared name is short enough on its own, but the pair can pass the "
    "63 characters Kubernetes allows a label value, and the API server would refuse every object of "
    "that service. Caught here, where the names are written.",
    "Kubernetes API conventions: label values (RFC 1123 label, 63 characters)",
    check=check,
)
