"""GC030: the provincial cloud has the two-site-three-centre shape; other clouds one production centre."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.model.topology import CentreRole, CloudKind
from govcloud.plan import Plan
from govcloud.rules.base import Finding, Rule


def check(plan: Plan) -> Iterator[Finding]:
    for c in plan.topology.clouds:
        roles = [dc.role for dc in c.centres]
        if c.kind == CloudKind.PROVINCIAL:
            for role in CentreRole:
                n = roles.count(role)
                if n != 1:
                    yield Finding(
                        c.at("centres"),
                        f"provincial cloud '{c.name}' has {n} {role.value} centres; "
                        "two-site-three-centre needs exactly one",
                        "one production, one same-city active-active and one remote DR centre",
                    )
        elif roles.count(CentreRole.PRODUCTION) != 1:
            yield Finding(
                c.at("centres"),
                f"cloud '{c.name}' has {roles.count(CentreRole.PRODUCTION)} production centres; it needs exactly one",
                "mark one centre role: production",
            )


RULE = Rule(
    "GC030",
    "two-sites-three-centres",
    Severity.ERROR,
    "Two sites, three centres",
    "The provincial cloud runs a production centre, a same-city active-active centre (同城双活) and a "
    "remote disaster-recovery centre (异地灾备): losing one building or one city leaves the province "
    "served. Every other cloud has one production centre and relies on a backup partner.",
    "seed 004 §九.1: 完善省级政务云同城双活数据中心和异地灾备数据中心建设; GB/T 20988-2007",
    check=check,
    category="dr",
)
