"""GC024: the lab range is private, so lab traffic cannot leave the machine."""

from collections.abc import Iterator
from ipaddress import IPv4Network, IPv6Network, ip_network

from govcloud.diagnostics import Severity
from govcloud.plan import Plan
from govcloud.rules.base import Finding, Rule

# Python's `is_private` also says yes to loopback, link-local, documentation, shared (100.64/10) and
# IPv4-mapped space: none of them is a range a lab may route on. Only these are.
RFC1918 = (ip_network("10.0.0.0/8"), ip_network("172.16.0.0/12"), ip_network("192.168.0.0/16"))
ULA_LOCAL = ip_network("fd00::/8")  # RFC 4193 locally assigned (L=1); fc00::/8 is reserved


def _inside(net: IPv4Network | IPv6Network, blocks: tuple[IPv4Network | IPv6Network, ...]) -> bool:
    if isinstance(net, IPv4Network):
        return any(isinstance(b, IPv4Network) and net.subnet_of(b) for b in blocks)
    return any(isinstance(b, IPv6Network) and net.subnet_of(b) for b in blocks)


def check(plan: Plan) -> Iterator[Finding]:
    lab = plan.topology.addressing.lab
    if not _inside(lab.ipv4, RFC1918):
        yield Finding(
            lab.at("ipv4"),
            f"lab range {lab.ipv4} is not inside a private RFC 1918 block",
            "use a block of 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16",
        )
    if lab.ipv6 is not None and not _inside(lab.ipv6, (ULA_LOCAL,)):
        yield Finding(lab.at("ipv6"), f"lab range {lab.ipv6} is not a unique-local range", "use a block of fd00::/8")


RULE = Rule(
    "GC024",
    "lab-range-private",
    Severity.ERROR,
    "The lab uses private addresses",
    "Lab host containers get addresses from this range; a public range would send lab traffic to "
    "somebody else's network, and loopback, link-local, documentation or IPv4-mapped space is not "
    "routable between containers at all. Only RFC 1918 blocks and locally assigned unique-local "
    "addresses (fd00::/8) stay on the machine.",
    "RFC 1918; RFC 4193 §3.1 (L bit); RFC 6890 special-purpose registries",
    check=check,
    category="addressing",
)
