"""Diagrams of a plan: the province map, the extranet's tiers and one picture per data centre, each as
DOT (for Graphviz: SVG and PNG) and as Mermaid (for Markdown). Pure functions of the plan: the same
topology gives the same text; `render/graphviz.py` runs Graphviz on it."""

from __future__ import annotations

from dataclasses import dataclass

from govcloud.plan import Plan
from govcloud.render.graph import centre, extranet, province


@dataclass(frozen=True, slots=True)
class Diagram:
    name: str
    """Relative file name without suffix: province, extranet, centres/<centre>."""
    title: str
    dot: str
    mermaid: str
    engine: tuple[str, ...]
    """The Graphviz command that lays it out: dot, or neato -n for positions given by coordinates."""


def diagrams(plan: Plan) -> list[Diagram]:
    out = [
        Diagram(
            "province", "Province map", province.province_dot(plan), province.province_mermaid(plan), province.ENGINE
        ),
        Diagram(
            "extranet", "Extranet tiers", extranet.extranet_dot(plan), extranet.extranet_mermaid(plan), extranet.ENGINE
        ),
    ]
    for k in plan.clusters:
        out.append(
            Diagram(
                f"centres/{k.centre}",
                f"Centre {k.centre}",
                centre.centre_dot(plan, k.centre),
                centre.centre_mermaid(plan, k.centre),
                centre.ENGINE,
            )
        )
    return out
