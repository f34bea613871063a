"""GC011: names and codes are unique where they become cluster, namespace or host names."""

from collections.abc import Iterable, Iterator

from govcloud.diagnostics import Severity
from govcloud.model.base import Node
from govcloud.plan import Plan
from govcloud.rules.base import Finding, Rule


def _dupes(kind: str, items: Iterable[Node], key: str) -> Iterator[Finding]:
    seen: dict[str, Node] = {}
    for item in items:
        value = getattr(item, key)
        if value in seen:
            first = seen[value]
            where = ".".join(map(str, first.at(key)))
            yield Finding(
                item.at(key), f"{kind} {key} '{value}' is already used (at {where})", f"give this {kind} another {key}"
            )
        else:
            seen[value] = item


def check(plan: Plan) -> Iterator[Finding]:
    t = plan.topology
    yield from _dupes("cloud", t.clouds, "name")
    yield from _dupes("centre", [dc for c in t.clouds for dc in c.centres], "name")
    yield from _dupes("city", t.province.cities, "code")
    yield from _dupes("city", t.province.cities, "name")
    for city in t.province.cities:
        yield from _dupes("county", city.counties, "name")
    for c in t.clouds:
        yield from _dupes("zone", c.zones, "name")
    # tenants, systems and platform services share one namespace: each becomes a Kubernetes name
    yield from _dupes("workload", [*t.tenants, *t.platform_services, *t.systems], "name")
    yield from _dupes("KPI", t.kpis, "metric")


RULE = Rule(
    "GC011",
    "unique-names",
    Severity.ERROR,
    "Names are unique",
    "Clouds, centres, tenants, systems and platform services become cluster, namespace, host and "
    "Deployment names; two with one name would silently merge in the lab and in the generated "
    "inventory. County names must be unique within their city, codes within the province.",
    "Kubernetes object names; GB/T 2260 division codes",
    check=check,
)
