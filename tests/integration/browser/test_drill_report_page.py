"""The DR drill report in a real browser: `govcloud drill report -o html` over a reports folder of real
shape; every drill's figures and timeline marks are on the page, the charts are laid out in time order
and drawn, the page asks the network for nothing, and its screenshot is not blank."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
FIXTURE = ROOT / "tests" / "fixtures" / "drill-records.json"


def svg_text(page, selector: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Text of SVG elements (they have no innerText, which Page.text reads)."""
    return page.evaluate(f"[...document.querySelectorAll({json.dumps(selector)})].map(e => e.textContent.trim())")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory, browser):  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("drills")
    records = json.loads(FIXTURE.read_text(encoding="utf-8"))
    for r in records:  # the folders `govcloud drill new-run` makes, each with its verify step's record
        (tmp / "drills" / r["run"]).mkdir(parents=True)
        (tmp / "drills" / r["run"] / "record.json").write_text(json.dumps(r), encoding="utf-8")
    out = tmp / "drills.html"
    cmd = [sys.executable, "-m", "govcloud", "drill", "report", "-o", "html", "--reports", str(tmp / "drills")]
    r = subprocess.run([*cmd, "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return records, browser.open(out.as_uri())


def test_every_drill_is_on_the_page_with_its_figures(report) -> None:  # type: ignore[no-untyped-def]
    records, page = report
    assert page.evaluate("[...document.querySelectorAll('section.drill')].map(s => s.dataset.scenario)") == [
        "same-city",
        "partition",
        "failback",
    ]
    latest = {r["scenario"]: r for r in records}  # oldest first: the last of each scenario wins
    for scenario, r in latest.items():
        values = page.text(f"#drill-{scenario} table.figures td.value")
        assert f"{r['rto_s']:.2f}s" in values and f"{r['acknowledged']} / {r['attempts']}" in values
        systems = page.text(f"#drill-{scenario} table.systems tr[data-system]")
        assert len(systems) == len(r["systems"]) and systems[0].startswith("population-registry")
    assert page.text("#pass-count") == ["3 of 3"]


def test_each_timeline_shows_its_marks_in_time_order(report) -> None:  # type: ignore[no-untyped-def]
    _, page = report
    assert svg_text(page, "#drill-partition svg.timeline g.mark text.value") == [
        "+0.00s",
        "+19.73s",
        "+19.78s",
        "+20.74s",
        "+25.83s",
    ]
    xs = page.evaluate(
        "[...document.querySelectorAll('#drill-partition svg.timeline circle')]"
        ".map(c => c.getBoundingClientRect().left)"
    )
    assert len(xs) == 5 and xs == sorted(xs) and xs[-1] - xs[0] > 300, xs


def test_the_history_shows_rto_and_lost_writes_of_every_run(report) -> None:  # type: ignore[no-untyped-def]
    records, page = report
    assert page.text("table.history td.rto") == [f"{r['rto_s']:.2f}s" for r in records]
    assert page.text("table.history td.lost") == [str(r["lost"]) for r in records]
    assert svg_text(page, "svg.trend g.run text.lost") == [f"lost {r['lost']}" for r in records]
    heights = page.evaluate(
        "[...document.querySelectorAll('svg.trend g.run rect')].map(b => b.getBoundingClientRect().height)"
    )
    # bars scale with the RTO: the 2.7 s failback bar is far shorter than the 22.9 s same-city one
    assert len(heights) == 4 and heights[1] < heights[0] / 5, heights


def test_the_report_loads_nothing_but_itself_and_raises_no_errors(report) -> None:  # type: ignore[no-untyped-def]
    _, page = report
    assert len(page.requests) == 1 and page.requests[0].endswith("/drills.html"), page.requests
    assert page.console == []
    assert page.evaluate("document.querySelectorAll('script, link, img, iframe').length") == 0


def test_the_screenshot_and_the_timeline_chart_are_not_blank(report, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, page = report
    shot = page.screenshot()
    shot.save(tmp_path / "drills.png")
    assert (shot.width, shot.height) == (1280, 900)
    assert shot.colours >= 8 and shot.ink > 0.05, (shot.colours, shot.ink)
    chart = page.screenshot(selector="#drill-partition svg.timeline")
    chart.save(tmp_path / "partition-timeline.png")
    # five coloured marks, their bars and the labels: far more than a background and a line
    assert chart.colours >= 6 and chart.ink > 0.03, (chart.colours, chart.ink)
