"""GC031: the active-active centre is in the production centre's city, near enough for sync replication."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.plan import Plan
from govcloud.rules.base import Finding, Rule, fmt_km


def check(plan: Plan) -> Iterator[Finding]:
    bounds = plan.topology.standards.distance
    for link in plan.links:
        if link.kind != "same-city":
            continue
        cloud = plan.index.clouds[link.cloud]
        prod = next(dc for dc in cloud.centres if dc.name == link.a)
        aa = next(dc for dc in cloud.centres if dc.name == link.b)
        if aa.city != prod.city:
            yield Finding(
                aa.at("city"),
                f"active-active centre '{aa.name}' is in {plan.index.city_name(aa.city)}, "
                f"production '{prod.name}' in {plan.index.city_name(prod.city)}",
                "同城双活: put both centres in one city",
            )
        if link.km < bounds.active_active_min_km:
            yield Finding(
                aa.at("location"),
                f"active-active centre '{aa.name}' is {link.km:.1f} km from '{prod.name}'; at least "
                f"{fmt_km(bounds.active_active_min_km)} apart is required (standards.distance.active_active_min_km)",
                "two centres on one site share its fire, power and flood: put the second elsewhere in the city",
            )
        if link.route_km > bounds.sync_replication_max_km or link.rtt_ms > bounds.sync_replication_max_rtt_ms:
            yield Finding(
                aa.at("location"),
                f"'{aa.name}' is {fmt_km(link.route_km)} of fibre ({link.rtt_ms:.2f} ms round trip) from "
                f"'{prod.name}'; synchronous replication allows {fmt_km(bounds.sync_replication_max_km)} "
                f"and {bounds.sync_replication_max_rtt_ms} ms",
                "move the centre closer, or make it a remote DR centre with async replication",
            )


RULE = Rule(
    "GC031",
    "same-city-distance",
    Severity.ERROR,
    "Same-city centres are close enough for synchronous replication",
    "Active-active centres commit every write in both places; each commit waits one round trip, so "
    "they must be near (the reference topology allows 100 km of fibre and 2 ms). They must also not be "
    "one site: a minimum separation keeps a fire, a substation or a flood from taking both. Both bounds, "
    "and the route factor applied to the great-circle distance, are data in each topology's "
    "standards.distance.",
    "seed 004 §九.1 同城双活; standards.distance in the topology (docs/standards.md)",
    check=check,
    category="dr",
)
