"""`govcloud graph` with Debian's Graphviz: real SVG and PNG files, identical from run to run, and the
reference province's diagrams in docs/ current (the docs site embeds them)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PNG = b"\x89PNG\r\n\x1a\n"

if shutil.which("dot") is None:
    why = "Graphviz (Debian's graphviz: scripts/setup-docs.sh)"
    if os.environ.get("CI"):
        pytest.fail(f"CI must have {why}", pytrace=False)
    pytest.skip(f"needs {why}", allow_module_level=True)


def graph(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "govcloud", "graph", *args], capture_output=True, text=True, cwd=ROOT, timeout=300
    )


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("graph") / "g"
    r = graph("topology.yaml", "--out", str(out))
    assert r.returncode == 0, r.stderr
    return out


def test_graph_writes_an_svg_and_a_png_of_every_diagram(drawn: Path) -> None:
    files = tree(drawn)
    svgs = [n for n in files if n.endswith(".svg")]
    pngs = [n for n in files if n.endswith(".png")]
    assert len(svgs) == len(pngs) == 22
    assert all(files[n].startswith(PNG) for n in pngs)
    province = files["province.svg"].decode()
    assert "<svg" in province and "sync 13 km" in province and "async 328 km" in province
    assert "省政务云赣州异地灾备中心" in province


def test_two_runs_of_graph_give_byte_identical_svg_and_png(drawn: Path, tmp_path: Path) -> None:
    r = graph("topology.yaml", "--out", str(tmp_path / "again"))
    assert r.returncode == 0, r.stderr
    assert tree(tmp_path / "again") == tree(drawn)


def test_the_docs_diagrams_are_those_of_the_current_topology(tmp_path: Path) -> None:
    r = graph("topology.yaml", "--out", str(tmp_path / "d"), "--format", "svg")
    assert r.returncode == 0, r.stderr
    assert tree(tmp_path / "d") == tree(ROOT / "docs" / "diagrams"), "docs/diagrams is stale: run `make docs`"
