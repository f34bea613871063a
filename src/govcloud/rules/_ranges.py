"""The address ranges the addressing rules compare: top-level supernets and each cloud's zones."""

from __future__ import annotations

from collections.abc import Iterator
from ipaddress import IPv4Network, IPv6Network

from govcloud.diagnostics import Path
from govcloud.plan import Plan

Net = IPv4Network | IPv6Network
Labelled = tuple[Net, Path, str]


def supernets(plan: Plan) -> Iterator[Labelled]:
    """Ranges that must be disjoint from one another: extranet tiers, clouds, cluster pools, lab."""
    a = plan.topology.addressing
    for tier, spec in a.extranet.items():
        for fam in ("ipv4", "ipv6"):
            net = getattr(spec, fam)
            if net is not None:
                yield net, spec.at(fam), f"extranet {tier.value} tier"
    for c in plan.topology.clouds:
        for fam in ("ipv4", "ipv6"):
            net = getattr(c, fam)
            if net is not None:
                yield net, c.at(fam), f"cloud '{c.name}'"
    cl = a.clusters
    for key in ("pod_ipv4", "service_ipv4", "pod_ipv6", "service_ipv6"):
        net = getattr(cl, key)
        if net is not None:
            yield net, cl.at(key), f"cluster {key.replace('_', ' ')} pool"
    for fam in ("ipv4", "ipv6"):
        net = getattr(a.lab, fam)
        if net is not None:
            yield net, a.lab.at(fam), "lab range"


def overlaps(items: list[Labelled]) -> Iterator[tuple[Labelled, Labelled]]:
    """Each overlapping pair once, the later-written one first (that is where the finding points)."""
    for i, later in enumerate(items):
        for earlier in items[:i]:
            if later[0].version == earlier[0].version and later[0].overlaps(earlier[0]):
                yield later, earlier
