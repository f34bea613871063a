"""GC034: backups land in another city than the production centre they protect."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.model.topology import CentreRole
from govcloud.plan import Plan
from govcloud.plan.geo import great_circle_km
from govcloud.rules.base import Finding, Rule, fmt_km


def check(plan: Plan) -> Iterator[Finding]:
    ix = plan.index
    bound = plan.topology.standards.distance.backup_partner_min_km
    for c in plan.topology.clouds:
        if c.backup_partner in (None, c.name):
            continue
        prod = ix.centre(c, CentreRole.PRODUCTION)
        target = ix.backup_centre(c)
        if prod is None or target is None:
            continue
        if target.city == prod.city:
            yield Finding(
                c.at("backup_partner"),
                f"cloud '{c.name}' backs up to '{c.backup_partner}' centre '{target.name}' in the same "
                f"city ({ix.city_name(prod.city)})",
                "pick a partner in another city",
            )
            continue
        km = great_circle_km(prod.location, target.location)
        if km < bound:
            yield Finding(
                c.at("backup_partner"),
                f"cloud '{c.name}' backs up to '{c.backup_partner}' centre '{target.name}', {km:.1f} km from "
                f"production '{prod.name}'; at least {fmt_km(bound)} is required "
                "(standards.distance.backup_partner_min_km)",
                "pick a partner further away, out of reach of the same regional disaster",
            )


RULE = Rule(
    "GC034",
    "backup-partner-other-city",
    Severity.ERROR,
    "Backups leave the city",
    "City clouds back each other up; a partner in the same city, or just across a city line, shares the "
    "disasters the backup is meant to survive, so the partner's centre must be in another city and at "
    "least standards.distance.backup_partner_min_km away. A partner with a remote DR centre takes "
    "backups there.",
    "seed 004 §九.1 备份合作机制; GB/T 20988-2007 (backup site away from the primary site's risks)",
    check=check,
    category="dr",
)
