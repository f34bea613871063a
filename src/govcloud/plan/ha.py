"""The HA database cluster of each two-site-three-centre cloud, and the proxied links between its centres.

A cloud whose production and same-city centres both have a database host gets a Patroni cluster:
the production host is the design primary, the same-city host its synchronous standby, and the
remote DR centre's host (if any) a Patroni *standby cluster* that replicates from the primary
cluster. The etcd DCS has one member on each of those database hosts, one per centre, so losing any
single centre keeps a quorum of two.

Every path between two centres of such a cloud goes through the lab's fault proxy (Toxiproxy, on
the controller): a host reaches a member in another centre at a *proxy address*, an extra address
of its own centre network's bridge on the controller, one per remote member, where the proxy
listens on the member's real ports and forwards to it. Containers resolve `<member>.ha` names to those
addresses (docker `--add-host`), so Patroni, etcd and HAProxy use the proxy without knowing it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from ipaddress import IPv4Address

from govcloud.model.topology import CentreRole, HostRole
from govcloud.plan.geo import fibre_rtt_ms, great_circle_km
from govcloud.plan.hosts import LabHost, LabLayout
from govcloud.plan.index import Index

PG_PORT = 5432
PATRONI_PORT = 8008
ETCD_CLIENT_PORT = 2379
ETCD_PEER_PORT = 2380
SERVICE_PORT = 5000  # HAProxy: the read-write service address in every centre
# Members are reached as `<host>.ha`: a name only the containers' /etc/hosts knows (docker's embedded
# DNS resolves plain host names to backbone addresses, which would bypass the fault proxy).
HA_DOMAIN = "ha"


def ha_name(host: str) -> str:
    return f"{host}.{HA_DOMAIN}"


# The ports a member serves to other centres; each gets a proxy on every inter-centre route.
MEMBER_PORTS = (ETCD_CLIENT_PORT, ETCD_PEER_PORT, PG_PORT, PATRONI_PORT)


@dataclass(frozen=True, slots=True)
class Member:
    host: str
    centre: str
    centre_role: CentreRole
    role: str  # "primary" (design leader) | "sync-standby" | "standby-cluster"
    ipv4: IPv4Address


@dataclass(frozen=True, slots=True)
class Route:
    """One direction of an inter-centre link: hosts of `source` reach `target` at `listen` (proxied)."""

    source: str  # centre the traffic comes from
    target: str  # member host it goes to
    target_centre: str
    listen: IPv4Address  # proxy address on the source centre's bridge
    upstream: IPv4Address  # the target's own address
    link: str  # "same-city" | "remote-dr"
    rtt_ms: float

    def name(self, port: int) -> str:
        return f"{self.source}__{self.target}__{port}"

    @property
    def latency_ms(self) -> tuple[int, int]:
        """Toxiproxy latency (whole ms) towards the target and back; together ≈ the link's RTT."""
        total = round(self.rtt_ms)
        up = math.floor(total / 2)
        return up, total - up


@dataclass(slots=True)
class HaCluster:
    cloud: str
    scope: str  # Patroni scope of the primary cluster; the standby cluster is `<scope>-dr`
    members: list[Member] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)

    @property
    def primary_members(self) -> list[Member]:
        """Members of the Patroni primary cluster (production and same-city)."""
        return [m for m in self.members if m.role != "standby-cluster"]

    @property
    def design_primary(self) -> Member:
        return next(m for m in self.members if m.role == "primary")

    @property
    def sync_standby(self) -> Member:
        return next(m for m in self.members if m.role == "sync-standby")

    @property
    def standby_cluster(self) -> Member | None:
        return next((m for m in self.members if m.role == "standby-cluster"), None)

    @property
    def standby_scope(self) -> str:
        return f"{self.scope}-dr"

    def member(self, host: str) -> Member:
        return next(m for m in self.members if m.host == host)

    def address_of(self, target: str, seen_from_centre: str) -> IPv4Address:
        """Where a host in `seen_from_centre` reaches member `target` (its own address when local)."""
        m = self.member(target)
        if m.centre == seen_from_centre:
            return m.ipv4
        return next(r.listen for r in self.routes if r.source == seen_from_centre and r.target == target)

    def hosts_entries(self, centre: str) -> dict[str, IPv4Address]:
        """`<member>.ha` → address, as hosts in `centre` must resolve them (their /etc/hosts)."""
        return {ha_name(m.host): self.address_of(m.host, centre) for m in self.members}


def plan_clusters(ix: Index, layout: LabLayout) -> list[HaCluster]:
    """One HA cluster per cloud with database hosts in both its production and same-city centres."""
    by_centre: dict[str, list[LabHost]] = {}
    for h in layout.hosts:
        if h.role == HostRole.DATABASE:
            by_centre.setdefault(h.centre, []).append(h)
    nets = {n.centre: n for n in layout.networks if n.centre}
    out: list[HaCluster] = []
    for cloud in ix.topology.clouds:
        roles = {
            CentreRole.PRODUCTION: "primary",
            CentreRole.ACTIVE_ACTIVE: "sync-standby",
            CentreRole.REMOTE_DR: "standby-cluster",
        }
        members: list[Member] = []
        for centre_role, role in roles.items():
            dc = ix.centre(cloud, centre_role)
            hosts = by_centre.get(dc.name, []) if dc else []
            if dc and hosts:
                members.append(Member(hosts[0].name, dc.name, centre_role, role, hosts[0].ipv4))
        if {m.role for m in members} < {"primary", "sync-standby"}:
            continue
        cluster = HaCluster(cloud.name, cloud.name, members)
        centres = {dc.name: dc for dc in cloud.centres}
        factor = ix.topology.standards.distance.fibre_route_factor
        for src in members:
            net = nets.get(src.centre)
            if net is None:
                continue
            for k, dst in enumerate(members):
                if dst.centre == src.centre:
                    continue
                km = great_circle_km(centres[src.centre].location, centres[dst.centre].location) * factor
                remote = CentreRole.REMOTE_DR in (src.centre_role, dst.centre_role)
                cluster.routes.append(
                    Route(
                        source=src.centre,
                        target=dst.host,
                        target_centre=dst.centre,
                        # proxy addresses from the top of the centre's subnet down, clear of the hosts
                        listen=net.ipv4.broadcast_address - 1 - k,
                        upstream=dst.ipv4,
                        link="remote-dr" if remote else "same-city",
                        rtt_ms=fibre_rtt_ms(km),
                    )
                )
        out.append(cluster)
    return out
