"""The drill's view of one city cloud: its database host, the backup partner's host that holds its
base backups and WAL archive, where the load generator writes, and the credentials.

A city cloud has one centre and one database host (a plain PostgreSQL primary, no standby): its
protection is what it ships to its backup partner (plan/hosts.py `backups`). Losing the city means
restoring that shipment at the partner (`gc-takeover`, installed by the backup role) and serving the
city's database from there. The service address lists both: libpq takes the first that accepts a
read-write session, as a city application with both addresses configured would.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from govcloud.diagnostics import RuntimeFailure, UsageError
from govcloud.drill.cluster import DATABASE, DRILL_USER
from govcloud.drill.judge import systems_on
from govcloud.model.topology import CloudKind, DrPolicy, System
from govcloud.plan import Plan
from govcloud.plan.ha import PG_PORT
from govcloud.plan.hosts import LabHost

TAKEOVER_PORT = 5433  # roles/backup/defaults/main.yml backup_takeover_port
TAKEOVER = "/usr/local/sbin/gc-takeover"


@dataclass(frozen=True, slots=True)
class CityDrill:
    plan: Plan
    city: str  # the city cloud's name
    source: LabHost  # the city's database host
    partner: LabHost  # the backup host at its partner that keeps the shipments
    secrets: Path

    @property
    def policy(self) -> DrPolicy:
        return self.plan.topology.dr_policy

    @property
    def scenario(self) -> str:
        return f"city-{self.city}"

    def conninfo(self, *, timeout_s: int = 2) -> str:
        return (
            f"host={self.source.ipv4},{self.partner.ipv4} port={PG_PORT},{TAKEOVER_PORT} dbname={DATABASE} "
            f"user={DRILL_USER} password={self.secret('pg-drill')} target_session_attrs=read-write "
            f"connect_timeout={timeout_s} application_name=govcloud-drill"
        )

    def service(self) -> str:
        return f"{self.source.ipv4}:{PG_PORT}, then {self.partner.ipv4}:{TAKEOVER_PORT} (the partner's copy)"

    def node_name(self, address: str) -> str:
        ip = address.split("/")[0]
        for h in (self.source, self.partner):
            if str(h.ipv4) == ip:
                return h.name
        return address

    def names(self) -> dict[str, str]:
        return {str(self.source.ipv4): self.source.name, str(self.partner.ipv4): self.partner.name}

    def secret(self, kind: str) -> str:
        f = self.secrets / f"{kind}-{self.source.name}"
        try:
            return f.read_text(encoding="utf-8").split()[0]
        except (OSError, IndexError) as e:
            raise RuntimeFailure(f"no {kind} secret at {f}: run playbooks/site.yml first") from e

    def city_hosts(self) -> list[LabHost]:
        """Every lab host of the city cloud's centres: all of them are lost with the city."""
        return [h for h in self.plan.lab.hosts if h.cloud == self.city]

    def hosted_systems(self) -> list[System]:
        return systems_on(self.plan.topology, self.city)


def city_clouds(plan: Plan) -> list[str]:
    """City clouds whose database host ships its backups to a lab backup host, in topology order."""
    shipping = {b.source for b in plan.lab.backups}
    out = []
    for c in plan.topology.clouds:
        if c.kind == CloudKind.CITY and any(h.cloud == c.name and h.name in shipping for h in plan.lab.hosts):
            out.append(c.name)
    return out


def city_drill(plan: Plan, lab: Path, city: str) -> CityDrill:
    known = city_clouds(plan)
    if city not in known:
        raise UsageError(
            f"no city cloud {city!r} with a database host shipping backups; cities: {', '.join(known) or 'none'}"
        )
    hosts = {h.name: h for h in plan.lab.hosts}
    link = next(b for b in plan.lab.backups if hosts[b.source].cloud == city)
    return CityDrill(plan, city, hosts[link.source], hosts[link.target], lab / "secrets")
