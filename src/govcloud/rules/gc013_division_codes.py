"""GC013: GB/T 2260 codes fit together: cities under the province, counties' townships sane."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.plan import Plan
from govcloud.rules.base import Finding, Rule


def _city_example(plan: Plan) -> str:
    """A well-formed city code from the file itself, to show what is meant."""
    p = plan.topology.province
    good = next(
        (c for c in p.cities if c.code[:2] == p.code[:2] and c.code.endswith("00") and c.code[2:4] != "00"), None
    )
    return f"e.g. {good.code} for {good.name}" if good else f"e.g. {p.code[:2]}0100 for the first city"


def check(plan: Plan) -> Iterator[Finding]:
    p = plan.topology.province
    if not p.code.endswith("0000"):
        yield Finding(
            p.at("code"), f"province code {p.code} does not end in 0000", f"e.g. {p.code[:2]}0000 for {p.name}"
        )
    for city in p.cities:
        if city.code[:2] != p.code[:2]:
            yield Finding(
                city.at("code"),
                f"city code {city.code} is not under province {p.code}",
                f"city codes start with {p.code[:2]}",
            )
        elif not city.code.endswith("00") or city.code.endswith("0000"):
            yield Finding(
                city.at("code"), f"{city.code} is not a prefecture-level code (dd dd 00)", _city_example(plan)
            )


RULE = Rule(
    "GC013",
    "division-codes",
    Severity.ERROR,
    "Division codes follow GB/T 2260",
    "City codes carry the province's two-digit prefix and end in 00 (in the reference topology, 360100 "
    "南昌 under 360000 江西). The codes key the "
    "extranet's tiers and the mapping of centres to cities; a wrong code puts a centre in the wrong place.",
    "GB/T 2260 中华人民共和国行政区划代码",
    check=check,
)
