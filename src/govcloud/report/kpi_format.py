"""How KPI figures read in the Markdown and HTML reports (one place, so both pages say the same)."""

from __future__ import annotations

from typing import Any

GROUP_NOUN = {
    "ipv6-coverage": "parts",
    "capacity-headroom": "centres",
}


def percent(v: float | None) -> str:
    return "–" if v is None else f"{v:.1%}"


def target(k: dict[str, Any]) -> str:
    return f"{k['target']:.0%}" + (f" by {k['year']}" if k.get("year") else "")


def counts(k: dict[str, Any]) -> str:
    """What the value is made of: 66 of 71 systems, or 20 of 20 centres at target."""
    if k["unit"] == "minimum":
        noun = GROUP_NOUN.get(k["metric"], "groups")
        return f"lowest of {k['denominator']} {noun}; {k['numerator']} meet the target"
    return f"{k['numerator']} of {k['denominator']}"


def status(k: dict[str, Any]) -> str:
    return "met" if k["met"] else "below target"


def group_status(g: dict[str, Any]) -> str:
    if g["met"] is None:
        return ""
    return "met" if g["met"] else "below target"


def group_value(k: dict[str, Any], g: dict[str, Any]) -> str:
    if k["group_unit"] == "pass":
        return "yes" if g["value"] else "no"
    return percent(g["value"])


def group_counts(g: dict[str, Any]) -> str:
    return f"{g['numerator']} of {g['denominator']}" if g["denominator"] else ""


def misses_heading(k: dict[str, Any]) -> str:
    if not k["met"]:
        return "Behind the miss"
    return "Not counted (what keeps it from 100%)" if k["unit"] == "share" else "Below target"


def owner_differs(m: dict[str, Any]) -> bool:
    """A miss names its department unless it is the department."""
    return bool(m["department"]) and m["kind"] != "department"
