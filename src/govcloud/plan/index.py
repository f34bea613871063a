"""Name lookups over a topology, tolerant of broken references (rules report those)."""

from __future__ import annotations

from dataclasses import dataclass, field

from govcloud.model.topology import (
    Centre,
    CentreRole,
    City,
    Cloud,
    CloudKind,
    PlatformService,
    System,
    Tenant,
    Topology,
    Zone,
)


@dataclass(slots=True)
class Index:
    topology: Topology
    clouds: dict[str, Cloud] = field(default_factory=dict)
    centres: dict[str, tuple[Cloud, Centre]] = field(default_factory=dict)
    cities: dict[str, City] = field(default_factory=dict)
    tenants: dict[str, Tenant] = field(default_factory=dict)
    systems: dict[str, System] = field(default_factory=dict)
    services: dict[str, PlatformService] = field(default_factory=dict)

    @classmethod
    def build(cls, topo: Topology) -> Index:
        ix = cls(topo)
        # first definition wins; duplicates are reported by rule GC011
        for c in topo.clouds:
            ix.clouds.setdefault(c.name, c)
            for dc in c.centres:
                ix.centres.setdefault(dc.name, (c, dc))
        for city in topo.province.cities:
            ix.cities.setdefault(city.code, city)
        for t in topo.tenants:
            ix.tenants.setdefault(t.name, t)
        for s in topo.systems:
            ix.systems.setdefault(s.name, s)
        for p in topo.platform_services:
            ix.services.setdefault(p.name, p)
        return ix

    def zone(self, cloud: str, zone: str) -> Zone | None:
        c = self.clouds.get(cloud)
        if c is None:
            return None
        return next((z for z in c.zones if z.name == zone), None)

    def centre(self, cloud: Cloud, role: CentreRole) -> Centre | None:
        return next((dc for dc in cloud.centres if dc.role == role), None)

    def backup_centre(self, cloud: Cloud) -> Centre | None:
        """Where a cloud's backups land: its partner's remote DR centre if it has one, else the
        partner's production centre (a city cloud's partner is another city cloud)."""
        partner = self.clouds.get(cloud.backup_partner or "")
        if partner is None:
            return None
        return self.centre(partner, CentreRole.REMOTE_DR) or self.centre(partner, CentreRole.PRODUCTION)

    def offsite_centre(self, cloud: Cloud) -> Centre | None:
        """Where a cloud's data goes off site: its own remote DR centre, else its backup partner's centre
        (the same choice the lab makes for backups)."""
        return self.centre(cloud, CentreRole.REMOTE_DR) or self.backup_centre(cloud)

    def provincial(self) -> Cloud | None:
        return next((c for c in self.topology.clouds if c.kind == CloudKind.PROVINCIAL), None)

    def city_name(self, code: str) -> str:
        city = self.cities.get(code)
        if city is not None:
            return city.name
        if code == self.topology.province.code:
            return self.topology.province.name
        return code

    def system_cloud(self, s: System) -> Cloud | None:
        t = self.tenants.get(s.tenant) if s.tenant else None
        return self.clouds.get(t.cloud) if t else None

    def system_zone(self, s: System) -> Zone | None:
        t = self.tenants.get(s.tenant) if s.tenant else None
        return self.zone(t.cloud, t.zone) if t else None
