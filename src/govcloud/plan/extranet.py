"""Expand the five-tier extranet into nodes and give each its IPv4 and IPv6 prefixes.

~20,000 villages: nodes are slotted dataclasses holding integers; networks are built on demand.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Network, IPv6Network
from typing import NamedTuple

from govcloud.model.topology import City, County, Tier, TierAddressing, Topology

TIERS = (Tier.PROVINCE, Tier.CITY, Tier.COUNTY, Tier.TOWNSHIP, Tier.VILLAGE)


class ExtranetNode(NamedTuple):
    """One extranet node. A NamedTuple: the province builds ~21,000 of them."""

    tier: Tier
    id: str
    """Slash path from the province: jiangxi/nanchang/donghu/t01/v003."""
    parent: str | None
    ipv4_int: int | None
    ipv4_prefix: int
    ipv6_int: int | None
    ipv6_prefix: int

    @property
    def ipv4(self) -> IPv4Network | None:
        return None if self.ipv4_int is None else IPv4Network((self.ipv4_int, self.ipv4_prefix))

    @property
    def ipv6(self) -> IPv6Network | None:
        return None if self.ipv6_int is None else IPv6Network((self.ipv6_int, self.ipv6_prefix))


@dataclass(frozen=True, slots=True)
class TierUse:
    tier: Tier
    nodes: int
    ipv4_capacity: int  # how many node prefixes fit the supernet (0 when there is no IPv4 supernet)
    ipv6_capacity: int

    @property
    def ipv4_fits(self) -> bool:
        return self.nodes <= self.ipv4_capacity

    @property
    def ipv6_fits(self) -> bool:
        return self.nodes <= self.ipv6_capacity


class _Allocator:
    """Hands out consecutive node prefixes from a tier's supernets; None once exhausted."""

    def __init__(self, spec: TierAddressing | None) -> None:
        self.v4_next = self.v4_end = self.v4_step = 0
        self.v6_next = self.v6_end = self.v6_step = 0
        self.v4_prefix = spec.ipv4_node_prefix if spec else 32
        self.v6_prefix = spec.ipv6_node_prefix if spec else 128
        if spec and spec.ipv4 is not None and spec.ipv4_node_prefix >= spec.ipv4.prefixlen:
            self.v4_next = int(spec.ipv4.network_address)
            self.v4_step = 1 << (32 - spec.ipv4_node_prefix)
            self.v4_end = self.v4_next + spec.ipv4.num_addresses
        if spec and spec.ipv6 is not None and spec.ipv6_node_prefix >= spec.ipv6.prefixlen:
            self.v6_next = int(spec.ipv6.network_address)
            self.v6_step = 1 << (128 - spec.ipv6_node_prefix)
            self.v6_end = self.v6_next + spec.ipv6.num_addresses

    def capacity(self) -> tuple[int, int]:
        v4 = (self.v4_end - self.v4_next) // self.v4_step if self.v4_step else 0
        v6 = (self.v6_end - self.v6_next) // self.v6_step if self.v6_step else 0
        return v4, v6

    def take(self) -> tuple[int | None, int | None]:
        v4 = v6 = None
        if self.v4_step and self.v4_next < self.v4_end:
            v4, self.v4_next = self.v4_next, self.v4_next + self.v4_step
        if self.v6_step and self.v6_next < self.v6_end:
            v6, self.v6_next = self.v6_next, self.v6_next + self.v6_step
        return v4, v6


def _counts(topo: Topology) -> dict[Tier, int]:
    cities = topo.province.cities
    counties = [c for city in cities for c in city.counties]
    # a city without a county tier holds its townships itself (Dongguan, Zhongshan)
    holders: list[County | City] = [*counties, *(city for city in cities if not city.counties)]
    return {
        Tier.PROVINCE: 1,
        Tier.CITY: len(cities),
        Tier.COUNTY: len(counties),
        Tier.TOWNSHIP: sum(h.townships for h in holders),
        Tier.VILLAGE: sum(h.villages for h in holders if h.townships),
    }


def tier_usage(topo: Topology) -> dict[Tier, TierUse]:
    """Nodes per tier against what each tier's supernets hold, without building the nodes."""
    counts = _counts(topo)
    specs = topo.addressing.extranet
    return {t: TierUse(t, counts[t], *_Allocator(specs.get(t)).capacity()) for t in TIERS}


def expand(topo: Topology) -> list[ExtranetNode]:
    """All extranet nodes in document order (province, then each city's subtree), with prefixes."""
    specs = topo.addressing.extranet
    alloc = {t: _Allocator(specs.get(t)) for t in TIERS}
    nodes: list[ExtranetNode] = []

    def add(tier: Tier, node_id: str, parent: str | None) -> None:
        a = alloc[tier]
        v4, v6 = a.take()
        nodes.append(ExtranetNode(tier, node_id, parent, v4, a.v4_prefix, v6, a.v6_prefix))

    def townships(parent: str, townships: int, villages: int) -> None:
        towns = [f"{parent}/t{i + 1:02d}" for i in range(townships)]
        for t in towns:
            add(Tier.TOWNSHIP, t, parent)
        if not towns:
            return  # villages without townships: rule GC014 reports it
        # villages are spread evenly over the townships
        for v in range(villages):
            town = towns[v % len(towns)]
            add(Tier.VILLAGE, f"{town}/v{v // len(towns) + 1:03d}", town)

    root = topo.province.name
    add(Tier.PROVINCE, root, None)
    for city in topo.province.cities:
        city_id = f"{root}/{city.name}"
        add(Tier.CITY, city_id, root)
        for county in city.counties:
            county_id = f"{city_id}/{county.name}"
            add(Tier.COUNTY, county_id, city_id)
            townships(county_id, county.townships, county.villages)
        if not city.counties:  # no county tier: the city's own townships hang off the city node
            townships(city_id, city.townships, city.villages)
    return nodes
