"""GC013: GB/T 2260 codes fit together: cities under the province, counties' townships sane."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.plan import Plan
from govcloud.rules.base import Finding, Rule


def check(plan: Plan) -> Iterator[Finding]:
    p = plan.topology.province
    if not p.code.endswith("0000"):
        yield Finding(p.at("code"), f"province code {p.code} does not end in 0000", "e.g. 360000 for Jiangxi")
    for city in p.cities:
        if city.code[:2] != p.code[:2]:
            yield Finding(
                city.at("code"),
                f"city code {city.code} is not under province {p.code}",
                f"city codes start with {p.code[:2]}",
            )
        elif not city.code.endswith("00") or city.code.endswith("0000"):
            yield Finding(
                city.at("code"), f"{city.code} is not a prefecture-level code (dd dd 00)", "e.g. 360100 for Nanchang"
            )


RULE = Rule(
    "GC013",
    "division-codes",
    Severity.ERROR,
    "Division codes follow GB/T 2260",
    "City codes carry the province's two-digit prefix and end in 00 (360100 南昌). The codes key the "
    "extranet's tiers and the mapping of centres to cities; a wrong code puts a centre in the wrong place.",
    "GB/T 2260 中华人民共和国行政区划代码",
    check=check,
)
