"""The drill report a DR lead hands upward, as one self-contained HTML page (report/html_page.py: no
scripts, nothing fetched): per drill an inline SVG timeline chart (fault, detection, promotion,
first acknowledged write, recovered), the figures, the checker's checks and the per-system pass/fail
table against GB/T 20988 targets; then the history's RTO and lost writes per run as a chart and a
table. Same information as the Markdown and JSON (report.py), same bytes for the same records.
"""

from __future__ import annotations

import math

from govcloud.drill.records import ClusterLossRecord, Record
from govcloud.drill.report import MARKS, drills, figures, marks, measured_rpo, secs, since, verdict
from govcloud.drill.report_cluster import render_html as render_cluster_html
from govcloud.model.types import format_duration
from govcloud.report.html_page import e, page

STYLE = """
td.value { white-space: nowrap; font-variant-numeric: tabular-nums; }
.chart { display: block; width: 100%; height: auto; margin: 8px 0 4px; }
.chart text { font: 13px system-ui, sans-serif; fill: var(--ink); }
.chart .axis text, .chart .note { fill: var(--muted); font-size: 12px; }
.chart .axis line, .chart .track { stroke: var(--line); }
.headline { font-size: 22px; font-weight: 700; margin-right: 10px; }
h3 { font-size: 15px; margin: 16px 0 4px; }
details summary { cursor: pointer; color: var(--muted); margin-top: 12px; }
"""
MARK_COLOUR = {
    "fault": "#b42318",
    "detection": "#b54708",
    "promotion": "#6941c6",
    "first_write": "#1b7f3b",
    "recovered": "#175cd3",
}
WIDTH, LEFT, RIGHT = 960, 250, 90  # chart width; room for the labels left and the values right


def _badge(ok: bool, yes: str = "pass", no: str = "FAIL") -> str:
    return f'<span class="status {"met" if ok else "below"}">{yes if ok else no}</span>'


def _step(span: float, ticks: int = 8) -> float:
    """A round tick step (1, 2 or 5 × 10^n seconds) giving at most `ticks` ticks over `span`."""
    raw = max(span, 1e-9) / ticks
    base = 10.0 ** math.floor(math.log10(raw))
    return next(m * base for m in (1, 2, 5, 10) if m * base >= raw)


def _num(v: float) -> str:
    return f"{v:.0f}" if v == int(v) else f"{v:g}"


def timeline_svg(r: Record) -> str:
    """The marks as dots on one time axis from the fault, one row each, the seconds beside each dot."""
    m = marks(r)
    measured = [v for v in m.values() if v is not None]
    step = _step(max([*measured, 1.0]))
    end = step * math.ceil(max([*measured, 1.0]) / step)
    plot = WIDTH - LEFT - RIGHT
    row_h, top = 28, 14
    axis_y = top + row_h * len(MARKS)
    height = axis_y + 36

    def x(v: float) -> float:
        return LEFT + plot * max(0.0, v) / end

    parts = [
        f'<svg class="chart timeline" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="timeline of {e(r.run)}, seconds from the fault">'
    ]
    for i, (key, label) in enumerate(MARKS):
        y = top + row_h * i + row_h / 2
        v = m[key]
        parts.append(f'<g class="mark" data-mark="{key}">')
        parts.append(f'<text x="8" y="{y + 4:.1f}">{e(label)}</text>')
        parts.append(f'<line class="track" x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot}" y2="{y:.1f}"/>')
        if v is None:
            parts.append(f'<text class="note value" x="{LEFT + 6}" y="{y + 4:.1f}">not measured</text>')
        else:
            c = MARK_COLOUR[key]
            parts.append(
                f'<line x1="{LEFT}" y1="{y:.1f}" x2="{x(v):.1f}" y2="{y:.1f}" stroke="{c}" stroke-width="4" '
                'stroke-linecap="round"/>'
            )
            parts.append(f'<circle cx="{x(v):.1f}" cy="{y:.1f}" r="6" fill="{c}"/>')
            parts.append(f'<text class="value" x="{x(v) + 10:.1f}" y="{y + 4:.1f}">{v:+.2f}s</text>')
        parts.append("</g>")
    parts.append(f'<g class="axis"><line x1="{LEFT}" y1="{axis_y}" x2="{LEFT + plot}" y2="{axis_y}"/>')
    for k in range(round(end / step) + 1):
        t = k * step
        parts.append(f'<line x1="{x(t):.1f}" y1="{axis_y}" x2="{x(t):.1f}" y2="{axis_y + 5}"/>')
        parts.append(f'<text x="{x(t):.1f}" y="{axis_y + 18}" text-anchor="middle">{_num(t)}s</text>')
    parts.append(f'<text x="8" y="{axis_y + 18}">seconds from the fault</text></g>')
    parts.append(
        f'<line x1="{LEFT}" y1="{top}" x2="{LEFT}" y2="{axis_y}" stroke="{MARK_COLOUR["fault"]}" '
        'stroke-dasharray="4 3"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _short(run: str) -> tuple[str, str]:
    """`20261201T215659Z-partition` → (`12-01 21:56`, `partition`) for the trend chart's labels."""
    stamp, _, scenario = run.partition("-")
    if len(stamp) >= 13 and "T" in stamp:
        return f"{stamp[4:6]}-{stamp[6:8]} {stamp[9:11]}:{stamp[11:13]}", scenario
    return stamp, scenario


def trend_svg(records: list[Record]) -> str:
    """RTO per run as bars (green pass, red fail), the acknowledged writes lost above each bar."""
    n = len(records)
    rtos = [h.rto_s for h in records if h.rto_s is not None]
    step = _step(max([*rtos, 1.0]), 5)
    top_v = step * math.ceil(max([*rtos, 1.0]) / step)
    left, top, plot_h = 60, 56, 150  # room above the tallest bar for its two labels, below the caption
    plot_w = WIDTH - left - 20
    slot = plot_w / max(n, 1)
    bar = min(56.0, slot * 0.6)
    base = top + plot_h
    height = base + 44
    parts = [
        f'<svg class="chart trend" viewBox="0 0 {WIDTH} {height}" role="img" '
        'aria-label="RTO and acknowledged writes lost per run">'
    ]
    parts.append(f'<g class="axis"><line x1="{left}" y1="{base}" x2="{left + plot_w}" y2="{base}"/>')
    for k in range(round(top_v / step) + 1):
        y = base - plot_h * k * step / top_v
        parts.append(f'<line x1="{left - 4}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" class="track"/>')
        parts.append(f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">{_num(k * step)}s</text>')
    parts.append(f'<text x="{left}" y="14">RTO per run (seconds); lost = acknowledged writes lost</text></g>')
    for i, h in enumerate(records):
        cx = left + slot * i + slot / 2
        when, scenario = _short(h.run)
        parts.append(f'<g class="run" data-run="{e(h.run)}">')
        if h.rto_s is None:
            parts.append(f'<text class="note" x="{cx:.1f}" y="{base - 6}" text-anchor="middle">no RTO</text>')
            label_y = base - 22.0
        else:
            bh = plot_h * h.rto_s / top_v
            colour = "#1b7f3b" if h.passed else "#b42318"
            parts.append(
                f'<rect x="{cx - bar / 2:.1f}" y="{base - bh:.1f}" width="{bar:.1f}" height="{bh:.1f}" '
                f'fill="{colour}" rx="2"/>'
            )
            parts.append(
                f'<text class="value" x="{cx:.1f}" y="{base - bh - 6:.1f}" text-anchor="middle">{h.rto_s:.1f}s</text>'
            )
            label_y = base - bh - 22
        lost_fill = ' style="fill: var(--bad)"' if h.lost else ""
        parts.append(
            f'<text class="lost" x="{cx:.1f}" y="{label_y:.1f}" text-anchor="middle"{lost_fill}>lost {h.lost}</text>'
        )
        parts.append(f'<text class="note" x="{cx:.1f}" y="{base + 16}" text-anchor="middle">{e(scenario)}</text>')
        parts.append(f'<text class="note" x="{cx:.1f}" y="{base + 32}" text-anchor="middle">{e(when)}</text>')
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def _offset(v: float | None) -> str:
    return "" if v is None else f"{v:+.2f}"


def _drill(r: Record) -> str:
    m = marks(r)
    figs = "".join(f'<tr><th>{e(k)}</th><td class="value">{e(v)}</td></tr>' for k, v in figures(r))
    mark_rows = "".join(
        f'<tr data-mark="{key}"><td>{e(label)}</td><td class="value">{since(m[key])}</td></tr>' for key, label in MARKS
    )
    checks = "".join(
        f'<tr data-check="{e(k)}"><td><code>{e(k)}</code></td><td>{_badge(v, "ok")}</td></tr>'
        for k, v in sorted(r.checks.items())
    )
    systems = "".join(
        f'<tr data-system="{e(s.system)}"><td>{e(s.system)}<br><small>{e(s.title)}</small></td>'
        f'<td class="value">{s.dr_level}</td><td class="value">{format_duration(s.rto_target_s)}</td>'
        f'<td class="value">{e(secs(r.rto_s))}</td><td>{_badge(s.rto_pass)}</td>'
        f'<td class="value">{format_duration(s.rpo_target_s)}</td><td class="value">{e(measured_rpo(r))}</td>'
        f"<td>{_badge(s.rpo_pass)}</td><td>{_badge(s.passed)}</td></tr>"
        for s in r.systems
    )
    sys_head = (
        "<tr><th>system</th><th>GB/T 20988 level</th><th>RTO target</th><th>RTO measured</th><th>RTO</th>"
        "<th>RPO target</th><th>RPO measured</th><th>RPO</th><th>verdict</th></tr>"
    )
    timeline = "".join(
        f'<tr><td class="value">{_offset(row["since_fault_s"])}</td>'
        f"<td>{e(row['what'])}</td><td>{e(row['source'])}</td></tr>"
        for row in r.timeline
    )
    return (
        f'<section class="drill" id="drill-{e(r.scenario)}" data-run="{e(r.run)}" data-scenario="{e(r.scenario)}">'
        f'<h2><span class="headline">{e(r.scenario)}</span>{_badge(r.passed, "PASS")} <code>{e(r.run)}</code></h2>'
        f"<p>RTO <b>{e(secs(r.rto_s))}</b> · lost <b>{r.lost}</b> acknowledged writes · "
        f"{e(r.old_primary or '-')} → {e(r.new_primary or '-')}</p>"
        f"{timeline_svg(r)}"
        f'<table class="marks"><tr><th>mark</th><th>seconds from the fault</th></tr>{mark_rows}</table>'
        f'<h3>Figures (the checker)</h3><table class="figures">{figs}</table>'
        f'<h3>Checks</h3><table class="checks">{checks}</table>'
        f"<h3>Hosted systems against their GB/T 20988 targets</h3>"
        f'<table class="systems">{sys_head}{systems}</table>'
        f"<details><summary>Timeline ({len(r.timeline)} events)</summary>"
        f'<table class="timeline"><tr><th>s from fault</th><th>event</th><th>source</th></tr>{timeline}</table>'
        "</details></section>"
    )


def _history(records: list[Record]) -> str:
    rows = "".join(
        f'<tr data-run="{e(h.run)}"><td><code>{e(h.run)}</code></td><td>{e(h.scenario)}</td>'
        f'<td>{_badge(h.passed, "PASS")}</td><td class="value rto">{e(secs(h.rto_s))}</td>'
        f'<td class="value">{e(secs(h.detection_s))}</td><td class="value">{e(secs(h.promotion_s))}</td>'
        f'<td class="value lost">{h.lost}</td><td class="value">{h.lost_seconds:.1f}</td></tr>'
        for h in records
    )
    head = (
        "<tr><th>run</th><th>scenario</th><th>verdict</th><th>RTO</th><th>detection</th><th>promotion</th>"
        "<th>lost</th><th>lost s</th></tr>"
    )
    return (
        '<section id="trend"><h2>History: RTO and acknowledged writes lost per run</h2>'
        f'{trend_svg(records)}<table class="history">{head}{rows}</table></section>'
    )


def render_html(records: list[Record], cluster_loss: list[ClusterLossRecord] | None = None) -> str:
    """The page: each database scenario's latest drill and the history, then (when there are any) the
    Kubernetes side's cluster-loss drills (report_cluster.py)."""
    shown = drills(records)
    passed = sum(r.passed for r in shown)
    parts = []
    if records:
        parts.append(
            f'<p><span id="pass-count">{passed} of {len(shown)}</span> drills pass '
            f"({e(', '.join(f'{r.scenario} {verdict(r.passed)}' for r in shown))}); latest run "
            f"<code>{e(records[-1].run)}</code>; {len(records)} run(s) in the history.</p>"
        )
    if cluster_loss:
        last = cluster_loss[-1]
        parts.append(
            f"<p>Kubernetes side: cluster-loss {verdict(last.passed)} (latest run <code>{e(last.run)}</code>, "
            f"{len(cluster_loss)} run(s)).</p>"
        )
    header = "<h1>DR drill report</h1>" + "".join(parts)
    body = ("\n".join(_drill(r) for r in shown) + "\n" + _history(records)) if records else ""
    if cluster_loss:
        body += "\n" + render_cluster_html(cluster_loss)
    footer = (
        "Generated by govcloud drill report from the drills' records (reports/drills/*/record.json); "
        "the checker (acknowledged writes against the surviving primary) is the only judge of RTO and RPO."
    )
    return page("DR drill report", STYLE, header, body, footer)
