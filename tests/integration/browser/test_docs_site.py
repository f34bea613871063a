"""The documentation site, built as CI builds it (`mkdocs build --strict`), opened in a real browser:
the front page shows its figures, every diagram on the diagrams page loads, nothing is fetched from
outside the site, and the screenshot is not blank."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    r = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert r.returncode == 0, r.stderr
    assert "WARNING" not in r.stderr, r.stderr
    return out


def test_the_site_builds_with_warnings_as_errors(site: Path) -> None:
    for page in ("index.html", "getting-started/architect.html", "reference-province/kpis.html", "schema.html"):
        assert (site / page).is_file(), page


def test_a_broken_link_fails_the_build(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# x\n\nSee [nowhere](missing.md).\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        (ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:")[0] + "\n", encoding="utf-8"
    )
    r = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert r.returncode != 0 and "missing.md" in r.stderr


@pytest.fixture(scope="module")
def front(site: Path, browser):
    return browser.open((site / "index.html").as_uri())


def test_the_front_page_shows_the_province_map_and_the_extranet(front) -> None:
    for figure in ("province-map", "extranet-tiers"):
        size = front.evaluate(
            f"(i => [i.complete, i.naturalWidth, i.naturalHeight])(document.getElementById('{figure}'))"
        )
        assert size[0] and size[1] > 100 and size[2] > 100, (figure, size)
    captions = " ".join(front.text("figcaption"))
    assert "20 data centres" in captions and "21,488 nodes" in captions


def test_the_front_page_links_each_user_to_their_getting_started_page(front) -> None:
    links = front.evaluate("[...document.querySelectorAll('article a')].map(a => a.getAttribute('href'))")
    for role in ("architect", "ops-engineer", "dr-drill-lead"):
        assert f"getting-started/{role}.html" in links


def test_the_site_asks_for_nothing_outside_itself(front, site: Path) -> None:
    outside = [u for u in front.requests if not u.startswith(site.as_uri()) and not u.startswith("data:")]
    assert outside == []


def test_the_front_page_screenshot_is_not_blank(front, tmp_path: Path) -> None:
    shot = front.screenshot()
    shot.save(tmp_path / "front.png")
    assert shot.colours >= 8 and shot.ink > 0.05, (shot.colours, shot.ink)


def test_every_diagram_of_the_reference_province_loads(site: Path, browser) -> None:
    page = browser.open((site / "reference-province" / "diagrams.html").as_uri())
    images = page.evaluate("[...document.images].map(i => [i.getAttribute('src'), i.naturalWidth])")
    assert len(images) == 22
    assert [src for src, width in images if width == 0] == []
