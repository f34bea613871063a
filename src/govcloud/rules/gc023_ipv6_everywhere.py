"""GC023: every network has IPv6: extranet tiers, clouds, zones, clusters."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.plan import Plan
from govcloud.rules.base import Finding, Rule


def check(plan: Plan) -> Iterator[Finding]:
    t = plan.topology
    for tier, spec in t.addressing.extranet.items():
        if spec.ipv6 is None:
            yield Finding(spec.path, f"extranet {tier.value} tier has no IPv6 supernet", "add ipv6: <prefix>")
    for c in t.clouds:
        if c.ipv6 is None:
            yield Finding(c.at("name"), f"cloud '{c.name}' has no IPv6 range", "add ipv6: <prefix>")
        for z in c.zones:
            if z.ipv6 is None:
                yield Finding(z.path, f"zone '{z.name}' of cloud '{c.name}' has no IPv6 subnet", "add ipv6: <prefix>")
    cl = t.addressing.clusters
    if cl.pod_ipv6 is None or cl.service_ipv6 is None:
        yield Finding(
            cl.path,
            "cluster pools have no IPv6 pod or service range",
            "add pod_ipv6 and service_ipv6 so clusters run dual-stack",
        )


RULE = Rule(
    "GC023",
    "ipv6-everywhere",
    Severity.ERROR,
    "IPv6 on every network",
    "The plan requires IPv6 across the e-government network, data centres and systems; a network "
    "declared IPv4-only cannot meet it.",
    "seed 004 §九.1: 推进政务网、数据中心及相关业务系统、应用平台等方面全面实现支持IPv6",
    check=check,
    category="addressing",
)
