"""GC010: one provincial cloud, and one city cloud for every city ("1 + M + N")."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.model.topology import Cloud, CloudKind
from govcloud.plan import Plan
from govcloud.rules.base import Finding, Rule


def check(plan: Plan) -> Iterator[Finding]:
    t = plan.topology
    provincial = [c for c in t.clouds if c.kind == CloudKind.PROVINCIAL]
    if len(provincial) != 1:
        where = provincial[1].at("kind") if len(provincial) > 1 else ("clouds",)
        yield Finding(
            where,
            f"{len(provincial)} provincial clouds; a province has exactly one",
            "keep one cloud with kind: provincial",
        )
    by_city: dict[str, list[Cloud]] = {}
    for c in t.clouds:
        if c.kind == CloudKind.CITY:
            if c.city is None:
                yield Finding(
                    c.at("kind"),
                    f"city cloud '{c.name}' does not say which city it serves",
                    "add city: <GB/T 2260 code>",
                )
                continue
            by_city.setdefault(c.city, []).append(c)
        elif c.kind == CloudKind.INDUSTRY and not c.sector:
            yield Finding(c.at("kind"), f"industry cloud '{c.name}' names no sector", "add sector: water, ecology, …")
    for city in t.province.cities:
        clouds = by_city.get(city.code, [])
        if not clouds:
            yield Finding(
                city.at("code"),
                f"city {city.name} ({city.code}) has no city cloud",
                "add a cloud with kind: city and this city's code",
            )
        for extra in clouds[1:]:
            yield Finding(
                extra.at("city"),
                f"city {city.name} has a second city cloud '{extra.name}'",
                "a city has one city cloud; add centres to it instead",
            )


RULE = Rule(
    "GC010",
    "cloud-counts",
    Severity.ERROR,
    "1 provincial cloud and one cloud per city",
    "The province's cloud is '1+11+N': one provincial cloud, one cloud for each of the cities, and N "
    "industry clouds. govcloud models any '1 + M + N': M is the number of cities in the topology.",
    "seed 004 §九.1 扩容完善政务云平台: 形成1个省级政务云、11个设区市政务云和N个行业云的“1+11+N”架构",
    check=check,
)
