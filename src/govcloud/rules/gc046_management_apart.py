"""GC046: every cloud keeps management traffic in its own zone, apart from tenants."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.model.topology import ZoneKind
from govcloud.plan import Plan
from govcloud.rules.base import Finding, Rule


def check(plan: Plan) -> Iterator[Finding]:
    ix = plan.index
    for c in plan.topology.clouds:
        mgmt = [z for z in c.zones if z.kind == ZoneKind.MANAGEMENT]
        if len(mgmt) != 1:
            yield Finding(
                c.at("zones"),
                f"cloud '{c.name}' has {len(mgmt)} management zones; it needs one",
                "add a zone with kind: management",
            )
        kinds = {z.name: z.kind for z in c.zones}
        for b in c.boundaries:
            if kinds.get(b.to) == ZoneKind.MANAGEMENT and kinds.get(b.from_zone) == ZoneKind.INTERNET:
                yield Finding(
                    b.at("to"),
                    f"cloud '{c.name}' lets the internet zone into the management zone",
                    "management is reached from a bastion, never from the internet",
                )
    for items, what in ((plan.topology.tenants, "tenant"), (plan.topology.platform_services, "platform service")):
        for t in items:
            z = ix.zone(t.cloud, t.zone)
            if z is not None and z.kind == ZoneKind.MANAGEMENT:
                yield Finding(
                    t.at("zone"),
                    f"{what} '{t.name}' is placed in management zone '{z.name}'",
                    "tenant workloads stay out of the management zone",
                )


RULE = Rule(
    "GC046",
    "management-apart",
    Severity.ERROR,
    "Tenant and management traffic are apart",
    "The cloud extension of MLPS 2.0 requires the cloud's management traffic to be separated from "
    "tenants' business traffic (应实现管理流量和业务流量分离).",
    "GB/T 22239-2019 8.2.4.1 (云计算扩展: 集中管控) / 8.2.2.1 网络架构",
    check=check,
    category="security",
)
