"""GC021: no two IPv6 ranges overlap."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.plan import Plan
from govcloud.rules.base import Finding, Rule
from govcloud.rules.gc020_ipv4_overlap import check_family


def check(plan: Plan) -> Iterator[Finding]:
    return check_family(plan, 6)


RULE = Rule(
    "GC021",
    "ipv6-overlap",
    Severity.ERROR,
    "IPv6 ranges do not overlap",
    "The same as GC020 for IPv6, which the plan requires on every network: overlapping prefixes make "
    "routes ambiguous between tiers, clouds and clusters.",
    "seed 004 §九.1: 全面推进IPv6规模化应用; RFC 4193 / RFC 3849 prefixes",
    check=check,
    category="addressing",
)
