"""Judge a drill's measured figures against the targets of the systems the centre hosts.

Each system declares a GB/T 20988 level and its RTO/RPO (topology `systems[].dr`). A system passes
when the measured RTO is within its RTO and the acknowledged history lost is within its RPO (an
RPO of 0s means no acknowledged write may be lost at all). No RTO measured (no write was ever
acknowledged on a new primary) fails every system.
"""

from __future__ import annotations

from govcloud.drill.records import SystemVerdict
from govcloud.model.topology import System, Topology


def judge_systems(systems: list[System], rto_s: float | None, lost: int, lost_seconds: float) -> list[SystemVerdict]:
    out = []
    for s in sorted(systems, key=lambda s: (s.dr.rto if s.dr else 0, s.name)):
        if s.dr is None:
            continue
        rpo_ok = lost == 0 if s.dr.rpo == 0 else lost_seconds <= s.dr.rpo
        out.append(
            SystemVerdict(
                system=s.name,
                title=s.title,
                dr_level=s.dr.level,
                rto_target_s=s.dr.rto,
                rpo_target_s=s.dr.rpo,
                rto_pass=rto_s is not None and rto_s <= s.dr.rto,
                rpo_pass=rpo_ok,
            )
        )
    return out


def strictest(systems: list[System]) -> System | None:
    """The hosted system with the shortest RTO target (ties: the shorter RPO)."""
    with_dr = [(s, s.dr) for s in systems if s.dr is not None]
    return min(with_dr, key=lambda sd: (sd[1].rto, sd[1].rpo, sd[0].name))[0] if with_dr else None


def systems_on(topology: Topology, cloud: str) -> list[System]:
    """Systems whose tenant is on `cloud` and that declare DR targets: they run in its production
    centre, so a drill that loses that centre is judged against their targets."""
    tenants = {t.name for t in topology.tenants if t.cloud == cloud}
    return [s for s in topology.systems if s.tenant in tenants and s.dr is not None]
