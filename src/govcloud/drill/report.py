"""Render drill records: each scenario's latest run in full (figures, the timeline's marks, the
checker's checks, the timeline, per-system pass/fail against GB/T 20988 targets) and every run as
history (RTO and lost writes per run). Text, Markdown and JSON here, HTML in report_html.py; all
carry the same information. Pure functions of the records (unit-tested); nothing depends on when
they are rendered.
"""

from __future__ import annotations

import time
from typing import Any

from govcloud.drill.records import SCENARIOS, Record
from govcloud.model.types import format_duration

# The marks of a drill's timeline, in seconds from the fault: what a DR lead reads off the chart.
MARKS = (
    ("fault", "fault injected"),
    ("detection", "detection: new leader lock (city: restore begins; whole city: disaster declared)"),
    ("promotion", "promotion: new primary (city: the copy serves; whole city: DR timeline begins)"),
    ("first_write", "first acknowledged write (RTO)"),
    ("recovered", "recovered: steady writes"),
)
RECOVERED_EVENT = "observe: recovered"  # the observe step's event row in the timeline (steps.py)


def _t(at: float | None) -> str:
    return "-" if at is None else time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(at)) + "Z"


def secs(v: float | None) -> str:
    return "-" if v is None else f"{v:.2f}s"


def verdict(passed: bool) -> str:
    return "PASS" if passed else "FAIL"


def figures(r: Record) -> list[tuple[str, str]]:
    city = r.cluster.startswith("city:")
    how = (
        [
            ("detection (fault -> the partner begins the restore)", secs(r.detection_s)),
            ("promotion (restore of base backup + WAL -> the copy serves)", secs(r.promotion_s)),
        ]
        if city
        else [
            ("declared (fault -> city fenced, DCS quorum of one, promotion asked)", secs(r.detection_s)),
            ("promotion (declared -> the DR centre's new timeline, Patroni /history)", secs(r.promotion_s)),
        ]
        if r.scenario == "whole-city"
        else [
            ("detection (fault -> new leader lock, Patroni)", secs(r.detection_s)),
            ("promotion (leader lock -> primary, Patroni)", secs(r.promotion_s)),
        ]
    )
    return [
        ("scenario", r.scenario),
        ("verdict", verdict(r.passed)),
        ("cluster / centre", f"{r.cluster} / {r.centre}"),
        ("fault at", _t(r.fault_at)),
        ("primary", f"{r.old_primary or '-'} -> {r.new_primary or '-'}"),
        ("RTO (fault -> first acknowledged write on the new primary)", secs(r.rto_s)),
        *how,
        ("RPO: acknowledged writes lost", f"{r.lost} ({r.lost_seconds:.1f}s of history)"),
        ("writes acknowledged / attempted", f"{r.acknowledged} / {r.attempts}"),
        ("duplicates", str(r.duplicates)),
        ("split brain", ("yes: " + r.split_brain_detail) if r.split_brain else "no"),
        ("longest gap between acknowledgements", secs(r.longest_gap_s)),
    ]


def marks(r: Record) -> dict[str, float | None]:
    """Seconds from the fault of each mark; None when the drill did not measure it. Promotion is the
    moment the new leader reported itself primary (detection + the lock-to-primary time)."""
    det, prom = r.detection_s, r.promotion_s
    recovered = next(
        (row.get("since_fault_s") for row in r.timeline if str(row.get("what", "")).startswith(RECOVERED_EVENT)),
        None,
    )
    return {
        "fault": 0.0 if r.fault_at is not None else None,
        "detection": det,
        "promotion": None if det is None or prom is None else round(det + prom, 3),
        "first_write": r.rto_s,
        "recovered": recovered,
    }


def drills(records: list[Record]) -> list[Record]:
    """Each scenario's latest run, in the scenarios' order (records are oldest first)."""
    latest: dict[str, Record] = {}
    for r in records:
        latest[r.scenario] = r
    order = {s: i for i, s in enumerate(SCENARIOS)}
    return sorted(latest.values(), key=lambda r: (order.get(r.scenario, len(order)), r.scenario))


def history_row(h: Record) -> dict[str, Any]:
    return {
        "run": h.run,
        "scenario": h.scenario,
        "passed": h.passed,
        "rto_s": h.rto_s,
        "detection_s": h.detection_s,
        "promotion_s": h.promotion_s,
        "lost": h.lost,
        "lost_seconds": h.lost_seconds,
        "acknowledged": h.acknowledged,
        "split_brain": h.split_brain,
    }


def measured_rpo(r: Record) -> str:
    return f"{r.lost} lost ({r.lost_seconds:.1f}s)"


def since(v: float | None) -> str:
    return "not measured" if v is None else f"{v:+.2f}s"


def _text_drill(r: Record) -> list[str]:
    lines = [f"Drill {r.run}"]
    w = max(len(k) for k, _ in figures(r))
    lines += [f"  {k:<{w}}  {v}" for k, v in figures(r)]
    lines.append("Marks (seconds from the fault)")
    m = marks(r)
    lines += [f"  {since(m[key]):>12}  {label}" for key, label in MARKS]
    lines.append("Checks")
    lines += [f"  {'ok  ' if v else 'FAIL'} {k}" for k, v in sorted(r.checks.items())]
    lines.append("Timeline (seconds from the fault)")
    for row in r.timeline:
        off = row["since_fault_s"]
        lines.append(f"  {'' if off is None else f'{off:+8.2f}':>8}  {row['what']}  [{row['source']}]")
    lines.append(f"Hosted systems (GB/T 20988 targets; measured RTO {secs(r.rto_s)}, RPO {measured_rpo(r)})")
    for s in r.systems:
        rto = format_duration(s.rto_target_s)
        rpo = format_duration(s.rpo_target_s)
        ok = "pass" if s.passed else "FAIL"
        lines.append(f"  {ok:<4} {s.system:<26} level {s.dr_level}  RTO {rto:>4}  RPO {rpo:>4}")
    return lines


def render_text(records: list[Record]) -> str:
    lines: list[str] = []
    for i, r in enumerate(drills(records)):
        lines += ([""] if i else []) + _text_drill(r)
    if len(records) > 1:
        lines.append("")
        lines.append("History (RTO and acknowledged writes lost per run, oldest first)")
        lines += [f"  {h.run:<32} {verdict(h.passed)}  RTO {secs(h.rto_s):>7}  lost {h.lost}" for h in records]
    return "\n".join(lines)


def _md(text: str) -> str:
    return text.replace("|", "/").replace("\n", " ")


def _md_drill(r: Record) -> list[str]:
    out = [f"## Drill {r.run}: {verdict(r.passed)}", "", "| figure | value |", "|---|---|"]
    out += [f"| {k} | {_md(v)} |" for k, v in figures(r)]
    out += ["", "### Marks", "", "| mark | s from fault |", "|---|---:|"]
    m = marks(r)
    out += [f"| {label} | {since(m[key])} |" for key, label in MARKS]
    out += ["", "### Checks", "", "| check | result |", "|---|---|"]
    out += [f"| {k} | {'ok' if v else 'FAIL'} |" for k, v in sorted(r.checks.items())]
    out += ["", "### Timeline", "", "| s from fault | event | source |", "|---:|---|---|"]
    for row in r.timeline:
        off = "" if row["since_fault_s"] is None else f"{row['since_fault_s']:+.2f}"
        out.append(f"| {off} | {_md(row['what'])} | {row['source']} |")
    out += [
        "",
        "### Hosted systems (GB/T 20988 targets against the measured RTO and RPO)",
        "",
        "| system | level | RTO target | RTO measured | RTO | RPO target | RPO measured | RPO | verdict |",
        "|---|---:|---:|---:|---|---:|---:|---|---|",
    ]
    for s in r.systems:
        out.append(
            f"| {s.system} | {s.dr_level} | {format_duration(s.rto_target_s)} | {secs(r.rto_s)} "
            f"| {'pass' if s.rto_pass else 'FAIL'} | {format_duration(s.rpo_target_s)} | {measured_rpo(r)} "
            f"| {'pass' if s.rpo_pass else 'FAIL'} | {'pass' if s.passed else 'FAIL'} |"
        )
    return out


def render_markdown(records: list[Record]) -> str:
    shown = drills(records)
    passed = sum(r.passed for r in shown)
    out = ["# DR drill report", "", f"{len(shown)} drill(s), {passed} pass; latest run {records[-1].run}.", ""]
    for r in shown:
        out += [*_md_drill(r), ""]
    out += [
        "## History: RTO and acknowledged writes lost per run",
        "",
        "| run | scenario | verdict | RTO | detection | promotion | lost | lost s |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    out += [
        f"| {h.run} | {h.scenario} | {verdict(h.passed)} | {secs(h.rto_s)} | {secs(h.detection_s)} "
        f"| {secs(h.promotion_s)} | {h.lost} | {h.lost_seconds:.1f} |"
        for h in records
    ]
    return "\n".join(out) + "\n"


def render_json(records: list[Record]) -> dict[str, Any]:
    """`latest`: the newest run's record; `drills`: each scenario's latest record with its marks;
    `history`: every run, oldest first."""
    return {
        "latest": records[-1].model_dump(mode="json"),
        "drills": [{**r.model_dump(mode="json"), "marks": marks(r)} for r in drills(records)],
        "history": [history_row(h) for h in records],
    }
