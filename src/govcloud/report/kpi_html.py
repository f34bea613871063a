"""The KPI report as one self-contained HTML page: styles inline, no scripts, no fonts, images or
anything else fetched (its Content-Security-Policy forbids it), so it opens the same from a mail
attachment, a USB stick or an air-gapped network."""

from __future__ import annotations

from typing import Any

from govcloud.report import kpi_format as f
from govcloud.report.html_page import e as _e
from govcloud.report.html_page import page

OPEN_ROWS = 12  # longer breakdowns (one row per system) start folded

STYLE = """
td.value, td.target { white-space: nowrap; font-variant-numeric: tabular-nums; }
.bar { position: relative; width: 220px; height: 14px; background: #e4e7eb; border-radius: 3px; }
.bar .fill { position: absolute; left: 0; top: 0; bottom: 0; border-radius: 3px; }
.bar .fill.met { background: var(--ok); } .bar .fill.below { background: var(--bad); }
.bar .mark { position: absolute; top: -3px; bottom: -3px; width: 2px; background: var(--ink); }
.headline { font-size: 28px; font-weight: 700; margin-right: 12px; }
dl { display: grid; grid-template-columns: 150px 1fr; gap: 4px 12px; margin: 12px 0; }
dt { color: var(--muted); } dd { margin: 0; }
.misses li { margin: 2px 0; } .misses.below { border-left: 4px solid var(--bad); padding-left: 28px; }
"""


def _badge(met: bool | None) -> str:
    if met is None:
        return ""
    return f'<span class="status {"met" if met else "below"}">{"met" if met else "below target"}</span>'


def _bar(value: float | None, target: float, met: bool) -> str:
    width = 0.0 if value is None else max(0.0, min(1.0, value)) * 100
    return (
        f'<div class="bar" role="img" aria-label="{_e(f.percent(value))} of target {target:.0%}">'
        f'<div class="fill {"met" if met else "below"}" style="width:{width:.1f}%"></div>'
        f'<div class="mark" style="left:{target * 100:.1f}%"></div></div>'
    )


def _overview(doc: dict[str, Any]) -> str:
    rows = "".join(
        f'<tr data-metric="{_e(k["metric"])}"><td><a href="#{_e(k["metric"])}">{_e(k["title"])}</a></td>'
        f'<td class="value">{_e(f.percent(k["value"]))}</td><td class="target">{_e(f.target(k))}</td>'
        f"<td>{_bar(k['value'], k['target'], k['met'])}</td><td>{_badge(k['met'])}</td></tr>"
        for k in doc["kpis"]
    )
    head = "<tr><th>KPI</th><th>value</th><th>target</th><th></th><th>status</th></tr>"
    return f'<section id="overview"><h2>Every KPI against its target</h2><table>{head}{rows}</table></section>'


def _groups(k: dict[str, Any]) -> str:
    groups = k["groups"]
    if not groups:
        return ""
    judged, counted = k["target_per_group"], any(g["denominator"] for g in groups)
    head = "<tr><th></th><th>value</th>" + ("<th>count</th>" if counted else "")
    head += ("<th>status</th>" if judged else "") + "<th>detail</th></tr>"
    rows = ""
    for g in groups:
        rows += f'<tr><td>{_e(g["label"])}</td><td class="value">{_e(f.group_value(k, g))}</td>'
        rows += f"<td>{_e(f.group_counts(g))}</td>" if counted else ""
        rows += f"<td>{_badge(g['met'])}</td>" if judged else ""
        rows += f"<td>{_e(g['note'])}</td></tr>"
    opened = " open" if len(groups) <= OPEN_ROWS else ""
    return (
        f'<details class="groups"{opened}><summary>Breakdown ({len(groups)})</summary>'
        f"<table>{head}{rows}</table></details>"
    )


def _misses(k: dict[str, Any]) -> str:
    if not k["misses"]:
        return ""
    items = ""
    for m in k["misses"]:
        owner = f" ({_e(m['department'])})" if f.owner_differs(m) else ""
        at = f" — <code>{_e(m['at'])}</code>" if m["at"] else ""
        items += f"<li>{_e(m['kind'])} <code>{_e(m['name'])}</code>{owner}: {_e(m['reason'])}{at}</li>"
    cls = "misses" if k["met"] else "misses below"
    return f'<div class="{cls}"><h3>{_e(f.misses_heading(k))} ({len(k["misses"])})</h3><ul>{items}</ul></div>'


def _kpi(k: dict[str, Any]) -> str:
    declared = f" — declared at <code>{_e(k['declared_at'])}</code>" if k["declared_at"] else ""
    return (
        f'<section id="{_e(k["metric"])}" data-metric="{_e(k["metric"])}"><h2>{_e(k["title"])}</h2>'
        f'<p><span class="headline value">{_e(f.percent(k["value"]))}</span>'
        f"{_badge(k['met'])} target {_e(f.target(k))} · {_e(f.counts(k))}</p>"
        f"<dl><dt>Definition</dt><dd><b>{_e(k['name'])}.</b> {_e(k['definition'])}</dd>"
        f"<dt>Computed from</dt><dd><code>{_e(k['computed_from'])}</code></dd>"
        f"<dt>Target source</dt><dd>{_e(k['target_source'])}{declared}</dd></dl>"
        f"{_groups(k)}{_misses(k)}</section>"
    )


def render_html(doc: dict[str, Any]) -> str:
    s = doc["summary"]
    below = f" Below target: {', '.join(s['below_target'])}." if s["below_target"] else ""
    untargeted = ""
    if doc["not_targeted"]:
        untargeted = "<p>The topology sets no target for: " + ", ".join(doc["not_targeted"]) + ".</p>"
    header = (
        f"<h1>KPI report: {_e(doc['title'])}</h1>"
        f"<p>Topology <code>{_e(doc['topology'])}</code> ({_e(doc['name'])}): {s['clouds']} clouds, "
        f'{s["centres"]} centres, {s["systems"]} systems. <span id="met-count">{s["met"]} of {s["kpis"]}</span> '
        f"KPIs meet their target.{_e(below)}</p>"
    )
    body = _overview(doc) + "\n" + "\n".join(_kpi(k) for k in doc["kpis"]) + f"\n{untargeted}"
    footer = (
        f"Generated by {_e(doc['generator'])} (govcloud report); "
        "every figure is computed from the plan of the topology above."
    )
    return page(f"KPI report: {doc['title']}", STYLE, header, body, footer)
