"""GC020: no two IPv4 ranges overlap."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.plan import Plan
from govcloud.rules._ranges import overlaps, supernets
from govcloud.rules.base import Finding, Rule

VERSION = 4


def check_family(plan: Plan, version: int) -> Iterator[Finding]:
    top = [x for x in supernets(plan) if x[0].version == version]
    for (net, path, label), (onet, _, olabel) in overlaps(top):
        yield Finding(path, f"{label} {net} overlaps {olabel} {onet}", "give each range its own block")
    for c in plan.topology.clouds:
        fam = "ipv4" if version == 4 else "ipv6"
        zones = [(getattr(z, fam), z.at(fam), f"zone '{z.name}'") for z in c.zones if getattr(z, fam) is not None]
        for (net, path, label), (onet, _, olabel) in overlaps(zones):
            yield Finding(
                path,
                f"{label} {net} of cloud '{c.name}' overlaps {olabel} {onet}",
                "zones of a cloud get disjoint subnets",
            )


def check(plan: Plan) -> Iterator[Finding]:
    return check_family(plan, VERSION)


RULE = Rule(
    "GC020",
    "ipv4-overlap",
    Severity.ERROR,
    "IPv4 ranges do not overlap",
    "Extranet tiers, clouds, zones, cluster pod and service pools and the lab range are routed between "
    "one another; an overlap makes some addresses unreachable and breaks joining clusters later.",
    "RFC 1918 address planning; Kubernetes multi-cluster networking (non-overlapping pod CIDRs)",
    check=check,
    category="addressing",
)
