"""The HTML KPI report in a real browser: the figures are on the page, it asks the network for nothing,
and it draws something (a person opening it sees a report, not a blank page)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
BELOW = ROOT / "tests" / "unit" / "rules" / "cases" / "GC060_kpi_below_target.yaml"


def report(topology: Path, out: Path) -> dict:
    r = subprocess.run(
        [sys.executable, "-m", "govcloud", "report", str(topology), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    return json.loads((out / "kpis.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, browser):
    out = tmp_path_factory.mktemp("report") / "kpis"
    doc = report(ROOT / "topology.yaml", out)
    return doc, browser.open((out / "kpis.html").as_uri())


def pct(v: float) -> str:
    return f"{v:.1%}"


def test_every_kpi_value_and_target_is_on_the_page(reference) -> None:
    doc, page = reference
    assert len(doc["kpis"]) == 8
    for k in doc["kpis"]:
        row = f'#overview tr[data-metric="{k["metric"]}"]'
        assert page.text(f"{row} td.value") == [pct(k["value"])], k["metric"]
        assert page.text(f"{row} td.target")[0].startswith(f"{k['target']:.0%}")
        assert page.text(f'section[data-metric="{k["metric"]}"] .headline') == [pct(k["value"])]
    assert page.text("#met-count") == [f"{doc['summary']['met']} of 8"]


def test_the_systems_behind_a_kpi_are_named_on_the_page(reference) -> None:
    doc, page = reference
    adoption = next(k for k in doc["kpis"] if k["metric"] == "cloud-adoption")
    shown = " ".join(page.text('section[data-metric="cloud-adoption"] .misses li'))
    assert adoption["misses"] and all(m["name"] in shown for m in adoption["misses"])


def test_the_report_loads_nothing_but_itself_and_raises_no_errors(reference) -> None:
    _, page = reference
    assert len(page.requests) == 1 and page.requests[0].endswith("/kpis.html"), page.requests
    assert page.console == []
    assert page.evaluate("document.querySelectorAll('script, link, img, iframe').length") == 0


def test_the_report_screenshot_is_not_blank(reference, tmp_path: Path) -> None:
    _, page = reference
    shot = page.screenshot()
    shot.save(tmp_path / "kpis.png")
    assert (shot.width, shot.height) == (1280, 900)
    assert shot.colours >= 8 and shot.ink > 0.05, (shot.colours, shot.ink)


def test_a_kpi_below_target_is_flagged_with_who_keeps_it_there(tmp_path: Path, browser) -> None:
    doc = report(BELOW, tmp_path / "below")
    page = browser.open((tmp_path / "below" / "kpis.html").as_uri())
    assert doc["summary"]["below_target"] == ["cloud-adoption"]
    assert page.text('#overview tr[data-metric="cloud-adoption"] .status') == ["below target"]
    assert page.text('section[data-metric="cloud-adoption"] .misses.below h3') == ["Behind the miss (1)"]
    assert "permits" in page.text('section[data-metric="cloud-adoption"] .misses li')[0]
