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
    """Overlapping ranges, each reported once against one range it overlaps, the later-written of
    the two first (that is where the finding points). Sort-based: O(n log n), never pairwise, so 1,000
    copies of one range give 999 findings, not half a million."""
    order = {id(item): i for i, item in enumerate(items)}
    by_start = sorted(
        (x for x in items), key=lambda x: (x[0].version, int(x[0].network_address), -x[0].num_addresses, order[id(x)])
    )
    reach: Labelled | None = None  # the range seen so far that reaches furthest
    reported: set[int] = set()
    for item in by_start:
        net = item[0]
        if (
            reach is not None
            and reach[0].version == net.version
            and int(net.network_address) <= int(reach[0].broadcast_address)
        ):
            later, earlier = (item, reach) if order[id(item)] > order[id(reach)] else (reach, item)
            if id(later) not in reported:
                reported.add(id(later))
                yield later, earlier
        if (
            reach is None
            or reach[0].version != net.version
            or int(net.broadcast_address) > int(reach[0].broadcast_address)
        ):
            reach = item
