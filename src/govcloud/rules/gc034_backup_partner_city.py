"""GC034: backups land in another city than the production centre they protect."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.model.topology import CentreRole
from govcloud.plan import Plan
from govcloud.rules.base import Finding, Rule


def check(plan: Plan) -> Iterator[Finding]:
    ix = plan.index
    for c in plan.topology.clouds:
        if c.backup_partner in (None, c.name):
            continue
        prod = ix.centre(c, CentreRole.PRODUCTION)
        target = ix.backup_centre(c)
        if prod is not None and target is not None and target.city == prod.city:
            yield Finding(
                c.at("backup_partner"),
                f"cloud '{c.name}' backs up to '{c.backup_partner}' centre '{target.name}' in the same "
                f"city ({ix.city_name(prod.city)})",
                "pick a partner in another city",
            )


RULE = Rule(
    "GC034",
    "backup-partner-other-city",
    Severity.ERROR,
    "Backups leave the city",
    "City clouds back each other up; a partner in the same city shares the disasters the backup is "
    "meant to survive. A partner with a remote DR centre takes backups there.",
    "seed 004 §九.1 备份合作机制; GB/T 20988-2007 (backup site away from the primary site's risks)",
    check=check,
    category="dr",
)
