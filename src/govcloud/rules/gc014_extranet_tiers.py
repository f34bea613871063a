"""GC014: all five extranet tiers are present (省市县乡村五级全覆盖)."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.model.topology import City, County
from govcloud.plan import Plan
from govcloud.rules.base import Finding, Rule


def _villages_hang_off_townships(kind: str, holder: City | County) -> Iterator[Finding]:
    if holder.villages and not holder.townships:
        yield Finding(
            holder.at("villages"),
            f"{kind} {holder.name} has {holder.villages} villages but no townships",
            "villages hang off townships: give the township count",
        )
    elif holder.townships and not holder.villages:
        yield Finding(
            holder.at("townships"),
            f"{kind} {holder.name} has townships but no villages",
            "the fifth tier (村/社区) must be covered",
        )


def check(plan: Plan) -> Iterator[Finding]:
    p = plan.topology.province
    if not p.cities:
        yield Finding(p.at("cities"), "the province lists no cities", "list the cities with their counties")
    for city in p.cities:
        if city.counties and (city.townships or city.villages):
            yield Finding(
                city.at("townships" if city.townships else "villages"),
                f"city {city.name} lists counties and also townships or villages of its own",
                "a city either has counties (with their townships) or, without a county tier, its townships itself",
            )
        elif not city.counties and not city.townships and not city.villages:
            yield Finding(
                city.at("counties") if "counties" in city.model_fields_set else city.path,
                f"city {city.name} lists no counties and no townships",
                "list its counties, or, for a city without a county tier, give townships: and villages:",
            )
        elif not city.counties:
            yield from _villages_hang_off_townships("city", city)
        for county in city.counties:
            yield from _villages_hang_off_townships("county", county)


RULE = Rule(
    "GC014",
    "extranet-tiers",
    Severity.ERROR,
    "The extranet covers all five tiers",
    "The plan is full coverage of the e-government extranet at five tiers — province, city, county, "
    "township, village. Every city lists its counties — or, where a prefecture-level city has no county "
    "tier (Dongguan and Zhongshan in Guangdong, Jiayuguan in Gansu, Danzhou in Hainan), its townships "
    "directly; every village hangs off a township.",
    "seed 004 §九.1: 推进政务外网村（社区）“最后一公里”网络接入，实现“村村通”和五级全覆盖",
    check=check,
)
