"""GC014: all five extranet tiers are present (省市县乡村五级全覆盖)."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.plan import Plan
from govcloud.rules.base import Finding, Rule


def check(plan: Plan) -> Iterator[Finding]:
    p = plan.topology.province
    if not p.cities:
        yield Finding(p.at("cities"), "the province lists no cities", "list the cities with their counties")
    for city in p.cities:
        if not city.counties:
            yield Finding(
                city.at("counties"),
                f"city {city.name} lists no counties",
                "the extranet reaches every county, township and village",
            )
        for county in city.counties:
            if county.villages and not county.townships:
                yield Finding(
                    county.at("villages"),
                    f"county {county.name} has {county.villages} villages but no townships",
                    "villages hang off townships: give the township count",
                )
            elif county.townships and not county.villages:
                yield Finding(
                    county.at("townships"),
                    f"county {county.name} has townships but no villages",
                    "the fifth tier (村/社区) must be covered",
                )


RULE = Rule(
    "GC014",
    "extranet-tiers",
    Severity.ERROR,
    "The extranet covers all five tiers",
    "The plan is full coverage of the e-government extranet at five tiers — province, city, county, "
    "township, village. Every city lists its counties; every county's villages hang off townships.",
    "seed 004 §九.1: 推进政务外网村（社区）“最后一公里”网络接入，实现“村村通”和五级全覆盖",
    check=check,
)
