"""Which lab hosts a lab profile starts. Pure: a selection over the plan's LabLayout.

- ``full``: every host of the topology (35 for Jiangxi).
- ``compact``: enough to exercise every role and every DR path on a laptop or a CI runner —
  the provincial cloud (production, same-city active-active and remote DR centres), the first
  city cloud and the city cloud that keeps its backups (its backup partner), the first industry
  cloud, and then every backup host a selected database ships to, so no backup link is left
  dangling (13 hosts for Jiangxi).
"""

from __future__ import annotations

from govcloud.model.topology import CloudKind, Topology
from govcloud.plan.hosts import LabHost, LabLayout

PROFILES = ("compact", "full")
DEFAULT_PROFILE = "compact"


def compact_clouds(topology: Topology) -> list[str]:
    """The clouds whose hosts the compact profile starts, in topology order."""
    chosen: list[str] = []
    first_city = next((c for c in topology.clouds if c.kind == CloudKind.CITY), None)
    for c in topology.clouds:
        if c.kind == CloudKind.PROVINCIAL:
            chosen.append(c.name)
    if first_city is not None:
        chosen.append(first_city.name)
        if first_city.backup_partner:
            chosen.append(first_city.backup_partner)
    first_industry = next((c for c in topology.clouds if c.kind == CloudKind.INDUSTRY), None)
    if first_industry is not None:
        chosen.append(first_industry.name)
    return [c.name for c in topology.clouds if c.name in set(chosen)]


def select(layout: LabLayout, topology: Topology, profile: str) -> list[LabHost]:
    """The hosts of `profile`, in layout order. Raises ValueError for an unknown profile."""
    if profile not in PROFILES:
        raise ValueError(f"unknown lab profile {profile!r}; choose one of {', '.join(PROFILES)}")
    if profile == "full":
        return list(layout.hosts)
    clouds = set(compact_clouds(topology))
    names = {h.name for h in layout.hosts if h.cloud in clouds}
    names |= {b.target for b in layout.backups if b.source in names}
    names |= {r.standby for r in layout.replication if r.primary in names}
    return [h for h in layout.hosts if h.name in names]
