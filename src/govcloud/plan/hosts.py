"""Lab hosts: one container network per centre plus a backbone, and the hosts of each centre.

Also derives who replicates to whom (PostgreSQL per the DR policy) and where city backups go.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network

from govcloud.model.topology import CentreRole, CloudKind, HostRole
from govcloud.plan import names
from govcloud.plan.index import Index

FIRST_HOST_OFFSET = 10  # .1 is the gateway docker takes; leave room for fixed service addresses


@dataclass(frozen=True, slots=True)
class LabNetwork:
    name: str
    ipv4: IPv4Network
    ipv6: IPv6Network | None
    centre: str | None  # None for the backbone


@dataclass(frozen=True, slots=True)
class LabHost:
    name: str
    cloud: str
    cloud_kind: CloudKind
    centre: str
    centre_role: CentreRole
    role: HostRole
    network: str
    ipv4: IPv4Address
    ipv6: IPv6Address | None
    backbone_ipv4: IPv4Address
    mlps_level: int


@dataclass(frozen=True, slots=True)
class ReplicationLink:
    primary: str
    standby: str
    mode: str  # "sync" | "async"


@dataclass(frozen=True, slots=True)
class BackupLink:
    source: str  # database host whose base backups and WAL are shipped
    target: str  # backup host that keeps them (partner city's, or the remote DR centre's)


@dataclass(slots=True)
class LabLayout:
    networks: list[LabNetwork] = field(default_factory=list)
    hosts: list[LabHost] = field(default_factory=list)
    replication: list[ReplicationLink] = field(default_factory=list)
    backups: list[BackupLink] = field(default_factory=list)
    fits: bool = True
    """False when the lab range cannot hold a network per centre plus the backbone (rule GC022)."""
    crowded: list[Crowded] = field(default_factory=list)
    """Networks too small for their hosts (rule GC022); no host is laid out then."""


@dataclass(frozen=True, slots=True)
class Crowded:
    centre: str | None  # None for the backbone
    hosts: int
    room: int  # usable addresses from FIRST_HOST_OFFSET to the last before broadcast


def _room(prefix: int, bits: int) -> int:
    """Host addresses a network of `prefix` has from FIRST_HOST_OFFSET on (IPv4 keeps its broadcast)."""
    size = 1 << (bits - prefix)
    return max(0, size - FIRST_HOST_OFFSET - (1 if bits == 32 else 0))


def lay_out(ix: Index) -> LabLayout:
    lab = ix.topology.addressing.lab
    centres = [(c, dc) for c in ix.topology.clouds for dc in c.centres]
    layout = LabLayout()
    subnets = 1 << max(0, lab.centre_prefix - lab.ipv4.prefixlen)
    v6_subnets = 1 << max(0, lab.centre_ipv6_prefix - lab.ipv6.prefixlen) if lab.ipv6 is not None else 0
    if (
        lab.centre_prefix < lab.ipv4.prefixlen
        or len(centres) + 1 > subnets
        or (lab.ipv6 is not None and (lab.centre_ipv6_prefix < lab.ipv6.prefixlen or len(centres) > v6_subnets))
    ):
        layout.fits = False  # rule GC022 reports it
        return layout
    room = _room(lab.centre_prefix, 32)
    if lab.ipv6 is not None:
        room = min(room, _room(lab.centre_ipv6_prefix, 128))
    for _, dc in centres:
        n = sum(dc.hosts.values())
        if n > room:
            layout.crowded.append(Crowded(dc.name, n, room))
    total = sum(sum(dc.hosts.values()) for _, dc in centres)
    if total > _room(lab.centre_prefix, 32):
        layout.crowded.append(Crowded(None, total, _room(lab.centre_prefix, 32)))
    if layout.crowded:
        return layout  # addresses would fall outside their networks
    size = 1 << (32 - lab.centre_prefix)
    base = int(lab.ipv4.network_address)
    v6size = 1 << (128 - lab.centre_ipv6_prefix) if lab.ipv6 is not None else 0
    v6base = int(lab.ipv6.network_address) if lab.ipv6 is not None else 0
    backbone = IPv4Network((base + (subnets - 1) * size, lab.centre_prefix))
    layout.networks.append(LabNetwork(names.BACKBONE_NETWORK, backbone, None, None))
    seq = 0
    by_centre: dict[str, dict[HostRole, list[str]]] = {}
    for i, (cloud, dc) in enumerate(centres):
        net4 = IPv4Network((base + i * size, lab.centre_prefix))
        net6 = IPv6Network((v6base + i * v6size, lab.centre_ipv6_prefix)) if v6size else None
        layout.networks.append(LabNetwork(names.lab_network(dc.name), net4, net6, dc.name))
        k = 0
        for role in sorted(dc.hosts, key=lambda r: list(HostRole).index(r)):
            for n in range(dc.hosts[role]):
                name = f"{dc.name}-{role.value}-{n + 1}"
                layout.hosts.append(
                    LabHost(
                        name=name,
                        cloud=cloud.name,
                        cloud_kind=cloud.kind,
                        centre=dc.name,
                        centre_role=dc.role,
                        role=role,
                        network=names.lab_network(dc.name),
                        ipv4=net4.network_address + FIRST_HOST_OFFSET + k,
                        ipv6=(net6.network_address + FIRST_HOST_OFFSET + k) if net6 else None,
                        backbone_ipv4=backbone.network_address + FIRST_HOST_OFFSET + seq,
                        mlps_level=cloud.mlps_level,
                    )
                )
                by_centre.setdefault(dc.name, {}).setdefault(role, []).append(name)
                k += 1
                seq += 1

    def first(centre: str | None, role: HostRole) -> str | None:
        names = by_centre.get(centre or "", {}).get(role)
        return names[0] if names else None

    for cloud in ix.topology.clouds:
        prod = ix.centre(cloud, CentreRole.PRODUCTION)
        primary = first(prod.name if prod else None, HostRole.DATABASE)
        if primary is None:
            continue
        for centre_role, mode in ((CentreRole.ACTIVE_ACTIVE, "sync"), (CentreRole.REMOTE_DR, "async")):
            standby_dc = ix.centre(cloud, centre_role)
            standby = first(standby_dc.name if standby_dc else None, HostRole.DATABASE)
            if standby:
                layout.replication.append(ReplicationLink(primary, standby, mode))
        # backups go to the remote DR centre when the cloud has one, else to the backup partner
        dr = ix.centre(cloud, CentreRole.REMOTE_DR)
        target = first(dr.name, HostRole.BACKUP) if dr else None
        if target is None:
            partner_dc = ix.backup_centre(cloud)
            target = first(partner_dc.name if partner_dc else None, HostRole.BACKUP)
        if target is not None:
            layout.backups.append(BackupLink(primary, target))
    return layout
