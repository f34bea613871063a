"""The extranet as a tier summary: province → city → county → township → village, each tier with its
node count, its supernets and node prefixes, and how full its IPv4 plan is (~21,000 nodes would be no
picture at all)."""

from __future__ import annotations

import itertools

from govcloud.plan import Plan
from govcloud.plan.extranet import TIERS
from govcloud.render.graph.dot import Graph, html
from govcloud.render.graph.mermaid import node_id

ENGINE = ("dot",)
FILL = ("#1f4e8c", "#2f6db3", "#4a8bd0", "#7fb0e3", "#b9d5f2")


def _rows(plan: Plan) -> list[tuple[str, int, str, str, str]]:
    t = plan.topology
    out = []
    for tier in TIERS:
        use = plan.tier_use[tier]
        spec = t.addressing.extranet.get(tier)
        v4 = f"{spec.ipv4} /{spec.ipv4_node_prefix}" if spec and spec.ipv4 else "no IPv4 plan"
        v6 = f"{spec.ipv6} /{spec.ipv6_node_prefix}" if spec and spec.ipv6 else "no IPv6 plan"
        used = f"{use.nodes / use.ipv4_capacity:.0%} of IPv4 prefixes used" if use.ipv4_capacity else ""
        out.append((tier.value, use.nodes, v4, v6, used))
    return out


def _big(colour: str, content: str) -> str:
    return f'<FONT COLOR="{colour}" POINT-SIZE="14">{content}</FONT>'


def extranet_dot(plan: Plan) -> str:
    t = plan.topology
    total = sum(n for _, n, *_ in _rows(plan))
    g = Graph(
        f"{t.metadata.name}-extranet",
        {
            "label": f"{t.province.title} e-government extranet: five tiers, {total:,} nodes",
            "labelloc": "t",
            "fontname": "WenQuanYi Micro Hei",
            "fontsize": 16,
            "rankdir": "TB",
            "nodesep": 0.4,
            "pad": 0.3,
        },
        {"shape": "plaintext"},
        {"color": "#52606d", "arrowsize": 0.7},
    )
    rows = _rows(plan)
    for i, (tier, nodes, v4, v6, used) in enumerate(rows):
        fg = "white" if i < 3 else "#102a43"
        label = (
            f'<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="6" COLOR="#9fb3c8">'
            f'<TR><TD BGCOLOR="{FILL[i]}" WIDTH="120">{_big(fg, f"<B>{html(tier)}</B>")}</TD>'
            f'<TD BGCOLOR="{FILL[i]}" WIDTH="110">{_big(fg, f"<B>{nodes:,}</B> nodes")}</TD></TR>'
            f'<TR><TD COLSPAN="2" ALIGN="LEFT">IPv4 {html(v4)}<BR ALIGN="LEFT"/>IPv6 {html(v6)}<BR ALIGN="LEFT"/>'
            f'{html(used)}<BR ALIGN="LEFT"/></TD></TR></TABLE>>'
        )
        g.node(tier, {"label": label})
    for (a, *_), (b, *_) in itertools.pairwise(rows):
        g.edge(a, b, {})
    return g.text()


def extranet_mermaid(plan: Plan) -> str:
    lines = ["flowchart TB"]
    rows = _rows(plan)
    for tier, nodes, v4, v6, used in rows:
        lines.append(f'  {node_id(tier)}["<b>{tier}</b>: {nodes:,} nodes<br/>IPv4 {v4}<br/>IPv6 {v6}<br/>{used}"]')
    for (a, *_), (b, *_) in itertools.pairwise(rows):
        lines.append(f"  {node_id(a)} --> {node_id(b)}")
    return "\n".join(lines) + "\n"
