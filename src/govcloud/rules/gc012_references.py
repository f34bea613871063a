"""GC012: every reference resolves (clouds, zones, tenants, systems, services, partners, cities)."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.plan import Plan
from govcloud.rules.base import Finding, Rule


def _near(name: str, known: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, known, n=1)
    return f"did you mean '{close[0]}'?" if close else f"known: {', '.join(sorted(known)[:8])}"


def check(plan: Plan) -> Iterator[Finding]:
    ix, t = plan.index, plan.topology
    clouds = list(ix.clouds)
    codes = {*ix.cities, t.province.code}
    for c in t.clouds:
        zones = [z.name for z in c.zones]
        if c.backup_partner is not None and c.backup_partner not in ix.clouds:
            yield Finding(
                c.at("backup_partner"),
                f"backup partner '{c.backup_partner}' is not a cloud",
                _near(c.backup_partner, clouds),
            )
        if c.city is not None and c.city not in codes:
            yield Finding(c.at("city"), f"city code {c.city} is not a city of the province")
        for dc in c.centres:
            if dc.city not in codes:
                yield Finding(dc.at("city"), f"centre '{dc.name}' stands in {dc.city}, not a city of the province")
        for b in c.boundaries:
            for side, key in ((b.from_zone, "from"), (b.to, "to")):
                if side not in zones:
                    yield Finding(
                        b.at(key),
                        f"boundary names zone '{side}', which cloud '{c.name}' does not have",
                        _near(side, zones),
                    )
    for p in t.platform_services:
        if p.cloud not in ix.clouds:
            yield Finding(
                p.at("cloud"), f"platform service '{p.name}' is on unknown cloud '{p.cloud}'", _near(p.cloud, clouds)
            )
        elif ix.zone(p.cloud, p.zone) is None:
            yield Finding(p.at("zone"), f"cloud '{p.cloud}' has no zone '{p.zone}'")
    for tn in t.tenants:
        if tn.cloud not in ix.clouds:
            yield Finding(
                tn.at("cloud"), f"tenant '{tn.name}' is on unknown cloud '{tn.cloud}'", _near(tn.cloud, clouds)
            )
        elif ix.zone(tn.cloud, tn.zone) is None:
            zones = [z.name for z in ix.clouds[tn.cloud].zones]
            yield Finding(tn.at("zone"), f"cloud '{tn.cloud}' has no zone '{tn.zone}'", _near(tn.zone, zones))
    for s in t.systems:
        if s.tenant is not None and s.tenant not in ix.tenants:
            yield Finding(
                s.at("tenant"),
                f"system '{s.name}' names unknown tenant '{s.tenant}'",
                _near(s.tenant, list(ix.tenants)),
            )
        for i, u in enumerate(s.uses):
            if u not in ix.services:
                yield Finding(s.at("uses", i), f"'{u}' is not a platform service", _near(u, list(ix.services)))
        for i, other in enumerate(s.connects_to):
            if other not in ix.systems:
                yield Finding(s.at("connects_to", i), f"'{other}' is not a system", _near(other, list(ix.systems)))
            elif other == s.name:
                yield Finding(s.at("connects_to", i), f"system '{s.name}' connects to itself")


RULE = Rule(
    "GC012",
    "references",
    Severity.ERROR,
    "References resolve",
    "Tenants name a cloud and a zone, systems a tenant, platform services and other systems, clouds a "
    "backup partner, centres a city. A reference to nothing would drop a workload or a protection "
    "without a word, so it is an error, with the closest existing name suggested.",
    "govcloud topology model",
    check=check,
)
