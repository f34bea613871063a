"""Distances that DR rules and reports need: between a cloud's centres, and to backup partners."""

from __future__ import annotations

from dataclasses import dataclass

from govcloud.model.topology import Centre, CentreRole
from govcloud.plan.geo import fibre_rtt_ms, great_circle_km
from govcloud.plan.index import Index


@dataclass(frozen=True, slots=True)
class Link:
    kind: str  # "same-city" | "remote-dr" | "backup-partner"
    cloud: str
    a: str  # centre names
    b: str
    km: float  # great circle
    route_km: float  # estimated fibre route
    rtt_ms: float

    @property
    def mode(self) -> str:
        """How data crosses the link: sync (same-city active-active), async (to the remote DR centre),
        or backup (base backups and WAL to a backup partner) — as the lab replicates it."""
        return {"same-city": "sync", "remote-dr": "async"}.get(self.kind, "backup")


def measure(ix: Index) -> list[Link]:
    factor = ix.topology.standards.distance.fibre_route_factor
    out: list[Link] = []

    def link(kind: str, cloud: str, a: Centre, b: Centre) -> None:
        km = great_circle_km(a.location, b.location)
        out.append(Link(kind, cloud, a.name, b.name, km, km * factor, fibre_rtt_ms(km * factor)))

    for cloud in ix.topology.clouds:
        prod = ix.centre(cloud, CentreRole.PRODUCTION)
        if prod is None:
            continue
        for dc in cloud.centres:
            if dc.role == CentreRole.ACTIVE_ACTIVE:
                link("same-city", cloud.name, prod, dc)
            elif dc.role == CentreRole.REMOTE_DR:
                link("remote-dr", cloud.name, prod, dc)
        target = ix.backup_centre(cloud)
        if target is not None:
            link("backup-partner", cloud.name, prod, target)
    return out
