"""GC032: the remote DR centre is in another city, far enough from production."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.plan import Plan
from govcloud.rules.base import Finding, Rule, fmt_km


def check(plan: Plan) -> Iterator[Finding]:
    bound = plan.topology.standards.distance.remote_dr_min_km
    for link in plan.links:
        if link.kind != "remote-dr":
            continue
        cloud = plan.index.clouds[link.cloud]
        prod = next(dc for dc in cloud.centres if dc.name == link.a)
        dr = next(dc for dc in cloud.centres if dc.name == link.b)
        if dr.city == prod.city:
            yield Finding(
                dr.at("city"),
                f"remote DR centre '{dr.name}' is in the production centre's city",
                "异地灾备: put it in another city",
            )
        elif link.km < bound:
            yield Finding(
                dr.at("location"),
                f"remote DR centre '{dr.name}' is {fmt_km(link.km)} from "
                f"'{prod.name}'; at least {fmt_km(bound)} is required",
                "choose a site further away",
            )


RULE = Rule(
    "GC032",
    "remote-dr-distance",
    Severity.ERROR,
    "The remote DR centre is far enough away",
    "A remote DR centre must not share the production centre's city, power grid or flood plain; the "
    "minimum great-circle distance is data in standards.distance.remote_dr_min_km.",
    "seed 004 §九.1 异地灾备数据中心; GB/T 20988-2007 §5 (backup site selection)",
    check=check,
    category="dr",
)
