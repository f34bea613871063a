"""The drill report a DR lead hands upward: each scenario's latest drill in full (timeline marks,
figures, checks, per-system pass/fail against GB/T 20988 targets) and the history, the same in
Markdown, JSON and a self-contained HTML page. Records of real shape: tests/fixtures/drill-records.json
(the figures of docs/dr-drills.md, and one failed partition run that lost writes)."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from govcloud import cli
from govcloud.drill.records import Record
from govcloud.drill.report import drills, figures, marks, render_json, render_markdown, render_text
from govcloud.drill.report_html import render_html

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "drill-records.json"


@pytest.fixture()
def records() -> list[Record]:
    return [Record.model_validate(r) for r in json.loads(FIXTURE.read_text(encoding="utf-8"))]


def test_marks_come_from_the_checker_patroni_and_the_observe_step(records) -> None:  # type: ignore[no-untyped-def]
    partition = records[-1]
    assert marks(partition) == {
        "fault": 0.0,
        "detection": 19.73,
        "promotion": 19.78,  # the lock at 19.73 s, then 0.05 s to primary
        "first_write": 20.74,
        "recovered": 25.83,
    }
    assert marks(records[2])["recovered"] is None  # that run never reported steady writes


def test_each_scenario_shows_its_latest_run_and_the_history_keeps_every_run(records) -> None:  # type: ignore[no-untyped-def]
    shown = drills(records)
    assert [r.run for r in shown] == [
        "20261201T214323Z-same-city",
        "20261201T215659Z-partition",
        "20261201T214443Z-failback",
    ]
    data = render_json(records)
    assert [d["run"] for d in data["drills"]] == [r.run for r in shown]
    assert data["latest"]["run"] == "20261201T215659Z-partition"
    assert [h["run"] for h in data["history"]] == [r.run for r in records]
    failed = data["history"][2]
    assert (failed["passed"], failed["rto_s"], failed["lost"], failed["lost_seconds"]) == (False, 24.12, 3, 0.15)


def test_markdown_json_and_html_carry_the_same_figures_marks_checks_and_systems(records) -> None:  # type: ignore[no-untyped-def]
    md, page, data = render_markdown(records), render_html(records), render_json(records)
    for r, d in zip(drills(records), data["drills"], strict=True):
        assert d["marks"] == marks(r) and d["rto_s"] == r.rto_s and d["checks"] == r.checks
        for label, value in figures(r):
            assert f"| {label} | {value} |" in md
            assert f'<th>{label.replace(">", "&gt;")}</th><td class="value">{value.replace(">", "&gt;")}</td>' in page
        for key, v in marks(r).items():
            shown = "not measured" if v is None else f"{v:+.2f}s"
            assert shown in md and shown in page, key
        for check in r.checks:
            assert f'data-check="{check}"' in page and f"| {check} |" in md
        for s in r.systems:
            assert f'data-system="{s.system}"' in page and f"| {s.system} | {s.dr_level} |" in md
    for h in records:
        assert f"| {h.run} | {h.scenario} |" in md and f'<tr data-run="{h.run}">' in page
        assert f'<g class="run" data-run="{h.run}">' in page  # one bar of the trend chart per run


def test_a_system_whose_rpo_is_missed_fails_in_every_format(records) -> None:  # type: ignore[no-untyped-def]
    failed = records[2]  # 3 acknowledged writes lost: the RPO-0 registry fails, the 5-minute RPO holds
    md, page = render_markdown([failed]), render_html([failed])
    assert "| population-registry | 6 | 30m | 24.12s | pass | 0s | 3 lost (0.1s) | FAIL | FAIL |" in md
    assert "| social-insurance | 5 | 1h | 24.12s | pass | 5m | 3 lost (0.1s) | pass | pass |" in md
    row = re.search(r'<tr data-system="population-registry">.*?</tr>', page)
    assert row and row.group().count('class="status below"') == 2  # RPO and the verdict
    assert "| no_acknowledged_write_lost | FAIL |" in md
    assert "FAIL" in render_text([failed]).splitlines()[2]


def test_each_drill_has_a_timeline_chart_with_every_mark_on_one_axis(records) -> None:  # type: ignore[no-untyped-def]
    page = render_html(records)
    charts = re.findall(r'<svg class="chart timeline".*?</svg>', page, re.S)
    assert len(charts) == 3
    partition = charts[1]
    for key in ("fault", "detection", "promotion", "first_write", "recovered"):
        assert f'data-mark="{key}"' in partition
    assert ">+20.74s</text>" in partition and "seconds from the fault" in partition
    assert partition.count("<circle") == 5
    assert "not measured" not in partition
    lone = render_html([records[2]])
    assert lone.count("<circle") == 4 and "not measured" in lone


def test_the_page_is_self_contained_and_escapes_what_the_records_say(records) -> None:  # type: ignore[no-untyped-def]
    records[-1].timeline.append(
        {"at": 1.0, "since_fault_s": 1.0, "what": '<script>alert("x")</script>', "source": "drill"}
    )
    page = render_html(records)
    assert "default-src 'none'" in page
    assert not re.search(r"<(script|link|img|iframe)\b", page)
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_the_same_records_render_the_same_bytes_whenever_rendered(records, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    first = (render_html(records), render_markdown(records), json.dumps(render_json(records)))
    monkeypatch.setattr(time, "time", lambda: 4102444800.0)  # 2100-01-01: a rendering clock must not show
    assert (render_html(records), render_markdown(records), json.dumps(render_json(records))) == first


def _reports(tmp_path: Path, records: list[Record], monkeypatch: pytest.MonkeyPatch) -> Path:
    # `--reports` sets GOVCLOUD_REPORTS_DIR for the process: monkeypatch puts it back afterwards
    monkeypatch.setenv("GOVCLOUD_REPORTS_DIR", str(tmp_path / "elsewhere"))
    for r in records:
        (tmp_path / "drills" / r.run).mkdir(parents=True)
        (tmp_path / "drills" / r.run / "record.json").write_text(r.model_dump_json(), encoding="utf-8")
    return tmp_path / "drills"


def test_drill_report_writes_the_html_page_to_a_file(records, tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    reports = _reports(tmp_path, records, monkeypatch)
    out = tmp_path / "drills.html"
    assert cli.run(["drill", "report", "--reports", str(reports), "-o", "html", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == render_html(records)
    assert capsys.readouterr().out == ""
    assert cli.run(["drill", "report", "--reports", str(reports), "-o", "markdown"]) == 0
    assert capsys.readouterr().out == render_markdown(records)


def test_drill_report_to_a_missing_folder_is_a_usage_error(records, tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    reports = _reports(tmp_path, records, monkeypatch)
    out = tmp_path / "no-such-dir" / "drills.html"
    assert cli.run(["drill", "report", "--reports", str(reports), "-o", "html", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "cannot write" in err and "Traceback" not in err


def test_every_scenario_s_latest_drill_stays_on_the_page_beyond_the_history_window(
    records, tmp_path, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    oldest = records[0]
    base = next(r for r in records if r.scenario == "failback")
    assert oldest.scenario != "failback"
    later = [
        base.model_copy(update={"run": f"20991231T00{i:04d}Z-failback", "scenario": "failback"}) for i in range(12)
    ]
    reports = _reports(tmp_path, [oldest, *later], monkeypatch)
    assert cli.run(["drill", "report", "--reports", str(reports), "--history", "3", "-o", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {d["scenario"] for d in data["drills"]} == {oldest.scenario, "failback"}
    assert [h["run"] for h in data["history"]] == [oldest.run, *(r.run for r in later[-4:])]
