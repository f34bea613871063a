"""Render drill records: the latest run in full (figures, checker verdict, timeline, per-system
pass/fail) and the earlier runs as history. Pure functions of the records (unit-tested)."""

from __future__ import annotations

import time
from typing import Any

from govcloud.drill.records import Record
from govcloud.model.types import format_duration


def _t(at: float | None) -> str:
    return "-" if at is None else time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(at)) + "Z"


def _s(v: float | None) -> str:
    return "-" if v is None else f"{v:.2f}s"


def figures(r: Record) -> list[tuple[str, str]]:
    return [
        ("scenario", r.scenario),
        ("verdict", "PASS" if r.passed else "FAIL"),
        ("cluster / centre", f"{r.cluster} / {r.centre}"),
        ("fault at", _t(r.fault_at)),
        ("primary", f"{r.old_primary or '-'} -> {r.new_primary or '-'}"),
        ("RTO (fault -> first acknowledged write on the new primary)", _s(r.rto_s)),
        ("detection (fault -> new leader lock, Patroni)", _s(r.detection_s)),
        ("promotion (leader lock -> primary, Patroni)", _s(r.promotion_s)),
        ("RPO: acknowledged writes lost", f"{r.lost} ({r.lost_seconds:.1f}s of history)"),
        ("writes acknowledged / attempted", f"{r.acknowledged} / {r.attempts}"),
        ("duplicates", str(r.duplicates)),
        ("split brain", ("yes: " + r.split_brain_detail) if r.split_brain else "no"),
        ("longest gap between acknowledgements", _s(r.longest_gap_s)),
    ]


def render_text(records: list[Record]) -> str:
    r = records[-1]
    lines = [f"Drill {r.run}"]
    w = max(len(k) for k, _ in figures(r))
    lines += [f"  {k:<{w}}  {v}" for k, v in figures(r)]
    lines.append("Checks")
    lines += [f"  {'ok  ' if v else 'FAIL'} {k}" for k, v in sorted(r.checks.items())]
    lines.append("Timeline (seconds from the fault)")
    for row in r.timeline:
        since = row["since_fault_s"]
        lines.append(f"  {'' if since is None else f'{since:+8.2f}':>8}  {row['what']}  [{row['source']}]")
    lines.append("Hosted systems (GB/T 20988 targets)")
    for s in r.systems:
        verdict = "pass" if s.passed else "FAIL"
        rto = format_duration(s.rto_target_s)
        rpo = format_duration(s.rpo_target_s)
        lines.append(f"  {verdict:<4} {s.system:<26} level {s.dr_level}  RTO {rto:>4}  RPO {rpo:>4}")
    if len(records) > 1:
        lines.append("History")
        lines += [
            f"  {h.run:<32} {'PASS' if h.passed else 'FAIL'}  RTO {_s(h.rto_s):>6}  lost {h.lost}" for h in records
        ]
    return "\n".join(lines)


def render_markdown(records: list[Record]) -> str:
    r = records[-1]
    out = [f"# Drill {r.run}", "", "| figure | value |", "|---|---|"]
    out += [f"| {k} | {v.replace('|', '/')} |" for k, v in figures(r)]
    out += ["", "## Checks", "", "| check | result |", "|---|---|"]
    out += [f"| {k} | {'ok' if v else 'FAIL'} |" for k, v in sorted(r.checks.items())]
    out += ["", "## Timeline", "", "| s from fault | event | source |", "|---:|---|---|"]
    for row in r.timeline:
        since = "" if row["since_fault_s"] is None else f"{row['since_fault_s']:+.2f}"
        out.append(f"| {since} | {row['what'].replace('|', '/')} | {row['source']} |")
    out += [
        "",
        "## Hosted systems",
        "",
        "| system | level | RTO target | RPO target | RTO | RPO |",
        "|---|---:|---:|---:|---|---|",
    ]
    for s in r.systems:
        out.append(
            f"| {s.system} | {s.dr_level} | {format_duration(s.rto_target_s)} | {format_duration(s.rpo_target_s)} "
            f"| {'pass' if s.rto_pass else 'FAIL'} | {'pass' if s.rpo_pass else 'FAIL'} |"
        )
    if len(records) > 1:
        out += ["", "## History", "", "| run | verdict | RTO | lost |", "|---|---|---:|---:|"]
        out += [f"| {h.run} | {'PASS' if h.passed else 'FAIL'} | {_s(h.rto_s)} | {h.lost} |" for h in records]
    return "\n".join(out) + "\n"


def render_json(records: list[Record]) -> dict[str, Any]:
    return {
        "latest": records[-1].model_dump(mode="json"),
        "history": [
            {"run": h.run, "scenario": h.scenario, "passed": h.passed, "rto_s": h.rto_s, "lost": h.lost}
            for h in records
        ],
    }
