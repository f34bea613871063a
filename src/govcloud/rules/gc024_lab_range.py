"""GC024: the lab range is private, so lab traffic cannot leave the machine."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.plan import Plan
from govcloud.rules.base import Finding, Rule


def check(plan: Plan) -> Iterator[Finding]:
    lab = plan.topology.addressing.lab
    if not lab.ipv4.is_private:
        yield Finding(
            lab.at("ipv4"),
            f"lab range {lab.ipv4} is not a private range",
            "use a block of 10/8, 172.16/12 or 192.168/16",
        )
    if lab.ipv6 is not None and not lab.ipv6.is_private:
        yield Finding(lab.at("ipv6"), f"lab range {lab.ipv6} is not a unique-local range", "use fd00::/8")


RULE = Rule(
    "GC024",
    "lab-range-private",
    Severity.ERROR,
    "The lab uses private addresses",
    "Lab host containers get addresses from this range; a public range would send lab traffic to "
    "somebody else's network. Private (RFC 1918) and unique-local (RFC 4193) ranges stay on the machine.",
    "RFC 1918; RFC 4193",
    check=check,
    category="addressing",
)
