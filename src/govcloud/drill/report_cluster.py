"""Render cluster-loss records (the Kubernetes side of losing a production centre): the latest run in
full (figures, checks, each scaled standby, the timeline) and every run as history. Text, Markdown,
JSON and an HTML section for the drill report page; pure functions of the records.
"""

from __future__ import annotations

import time
from typing import Any

from govcloud.drill.records import ClusterLossRecord
from govcloud.model.types import format_duration


def _t(at: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(at)) + "Z"


def secs(v: float | None) -> str:
    return "-" if v is None else f"{v:.2f}s"


def verdict(passed: bool) -> str:
    return "PASS" if passed else "FAIL"


def figures(r: ClusterLossRecord) -> list[tuple[str, str]]:
    target = "-" if r.rto_target_s is None else f"{format_duration(r.rto_target_s)} ({r.strictest})"
    replicas = f"{sum(s.design for s in r.standbys)} -> {sum(s.takeover for s in r.standbys)}"
    return [
        ("scenario", r.scenario),
        ("verdict", verdict(r.passed)),
        ("cloud / lost cluster", f"{r.cloud} / {r.lost_cluster} ({r.lost_centre})"),
        ("fault at", _t(r.fault_at)),
        ("processes stopped", ", ".join(p.split()[0] for p in r.stopped) or "-"),
        ("standbys scaled", f"{len(r.standbys)} in {', '.join(sorted({s.cluster for s in r.standbys}))}"),
        ("standby replicas (design -> takeover)", replicas),
        ("takeover (fault -> every standby Ready)", secs(r.ready_s)),
        ("scale request -> every standby Ready", secs(r.scale_ready_s)),
        ("strictest RTO target", target),
        (
            "same-city services sampled",
            f"{r.watched} Deployments in {', '.join(r.serving) or '-'}, {r.samples} samples",
        ),
        ("samples not serving", str(r.serving_failures)),
        ("longest outage", secs(r.longest_outage_s)),
        ("restore (control plane back, standbys at design)", secs(r.restore_s)),
    ]


def _text_one(r: ClusterLossRecord) -> list[str]:
    lines = [f"Drill {r.run}"]
    rows = figures(r)
    w = max(len(k) for k, _ in rows)
    lines += [f"  {k:<{w}}  {v}" for k, v in rows]
    lines.append("Checks")
    lines += [f"  {'ok  ' if v else 'FAIL'} {k}" for k, v in sorted(r.checks.items())]
    lines.append("Standbys (replicas design -> takeover, Ready s from the fault)")
    for s in r.standbys:
        back = "restored" if s.restored else "NOT restored"
        lines.append(
            f"  {s.cluster}/{s.namespace}/{s.deployment:<18} {s.standby:<4} {s.design} -> {s.takeover}  "
            f"{secs(s.ready_s):>7}  {back}"
        )
    lines.append("Timeline (seconds from the fault)")
    lines += [f"  {row['since_fault_s']:+8.2f}  {row['what']}  [{row['source']}]" for row in r.timeline]
    lines += [f"  note: {n}" for n in r.notes]
    return lines


def history_row(r: ClusterLossRecord) -> dict[str, Any]:
    return {
        "run": r.run,
        "scenario": r.scenario,
        "lost_cluster": r.lost_cluster,
        "passed": r.passed,
        "ready_s": r.ready_s,
        "serving_failures": r.serving_failures,
        "restore_s": r.restore_s,
    }


def render_text(records: list[ClusterLossRecord]) -> str:
    lines = _text_one(records[-1])
    if len(records) > 1:
        lines.append("")
        lines.append("History (takeover time and samples not serving per run, oldest first)")
        lines += [
            f"  {h.run:<32} {verdict(h.passed)}  takeover {secs(h.ready_s):>7}  not serving {h.serving_failures}"
            for h in records
        ]
    return "\n".join(lines)


def _md(text: str) -> str:
    return text.replace("|", "/").replace("\n", " ")


def render_markdown(records: list[ClusterLossRecord]) -> str:
    r = records[-1]
    out = [f"## Drill {r.run}: {verdict(r.passed)}", "", "| figure | value |", "|---|---|"]
    out += [f"| {k} | {_md(v)} |" for k, v in figures(r)]
    out += ["", "### Checks", "", "| check | result |", "|---|---|"]
    out += [f"| {k} | {'ok' if v else 'FAIL'} |" for k, v in sorted(r.checks.items())]
    out += ["", "### Standbys", "", "| deployment | standby | design | takeover | Ready s | restored |"]
    out += ["|---|---|---:|---:|---:|---|"]
    out += [
        f"| {s.cluster}/{s.namespace}/{s.deployment} | {s.standby} | {s.design} | {s.takeover} "
        f"| {secs(s.ready_s)} | {'yes' if s.restored else 'NO'} |"
        for s in r.standbys
    ]
    out += ["", "### Timeline", "", "| s from fault | event | source |", "|---:|---|---|"]
    out += [f"| {row['since_fault_s']:+.2f} | {_md(row['what'])} | {row['source']} |" for row in r.timeline]
    out += ["", "### History", "", "| run | lost cluster | verdict | takeover | not serving | restore |"]
    out += ["|---|---|---|---:|---:|---:|"]
    out += [
        f"| {h.run} | {h.lost_cluster} | {verdict(h.passed)} | {secs(h.ready_s)} | {h.serving_failures} "
        f"| {secs(h.restore_s)} |"
        for h in records
    ]
    return "\n".join(out) + "\n"


def render_json(records: list[ClusterLossRecord]) -> dict[str, Any]:
    return {"latest": records[-1].model_dump(mode="json"), "history": [history_row(h) for h in records]}


def render_html(records: list[ClusterLossRecord]) -> str:
    """A section of the drill report page: the latest run's figures, checks and standbys, and the history."""
    from govcloud.report.html_page import e

    r = records[-1]
    ok = "met" if r.passed else "below"
    parts = [
        '<section id="cluster-loss">',
        f'<h2>Kubernetes side: {e(r.lost_cluster)} lost <span class="status {ok}">{verdict(r.passed)}</span></h2>',
        f"<p>Run {e(r.run)}.</p>",
        "<table><tbody>",
        *[f'<tr><th scope="row">{e(k)}</th><td class="value">{e(v)}</td></tr>' for k, v in figures(r)],
        "</tbody></table>",
        "<h3>Checks</h3><table><tbody>",
        *[
            f'<tr><th scope="row">{e(k)}</th><td><span class="status {"met" if v else "below"}">'
            f"{'ok' if v else 'FAIL'}</span></td></tr>"
            for k, v in sorted(r.checks.items())
        ],
        "</tbody></table>",
        "<h3>Standbys</h3><table><thead><tr><th>deployment</th><th>standby</th><th>design</th>"
        "<th>takeover</th><th>Ready (s from the fault)</th><th>restored</th></tr></thead><tbody>",
        *[
            f"<tr><td>{e(f'{s.cluster}/{s.namespace}/{s.deployment}')}</td><td>{e(s.standby)}</td>"
            f'<td class="value">{s.design}</td><td class="value">{s.takeover}</td>'
            f'<td class="value">{e(secs(s.ready_s))}</td><td>{"yes" if s.restored else "NO"}</td></tr>'
            for s in r.standbys
        ],
        "</tbody></table>",
        "<h3>History</h3><table><thead><tr><th>run</th><th>lost cluster</th><th>verdict</th><th>takeover</th>"
        "<th>samples not serving</th><th>restore</th></tr></thead><tbody>",
        *[
            f"<tr><td>{e(h.run)}</td><td>{e(h.lost_cluster)}</td><td>{verdict(h.passed)}</td>"
            f'<td class="value">{e(secs(h.ready_s))}</td><td class="value">{h.serving_failures}</td>'
            f'<td class="value">{e(secs(h.restore_s))}</td></tr>'
            for h in records
        ],
        "</tbody></table>",
        "</section>",
    ]
    return "\n".join(parts)
