"""`govcloud report` in-process (no processes): the three files agree, point into the topology, need
nothing from the network, and two runs give the same bytes."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from govcloud.cli import main

ROOT = Path(__file__).resolve().parents[3]
BELOW = ROOT / "tests" / "unit" / "rules" / "cases" / "GC060_kpi_below_target.yaml"


def run_cli(*args: str) -> int:
    old = sys.argv
    sys.argv = ["govcloud", *args]
    try:
        main()
    except SystemExit as e:
        return int(e.code or 0)
    finally:
        sys.argv = old
    return 0


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "kpis"
    assert run_cli("report", "topology.yaml", "--out", str(out)) == 0
    return out


@pytest.fixture(scope="module", autouse=True)
def in_repo(monkeypatch_module: pytest.MonkeyPatch) -> None:
    monkeypatch_module.chdir(ROOT)  # the report names the topology as given: topology.yaml


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_report_writes_json_markdown_and_html(reference: Path) -> None:
    assert sorted(tree(reference)) == [".govcloud-report.json", "kpis.html", "kpis.json", "kpis.md"]


def test_two_reports_are_byte_identical(reference: Path, tmp_path: Path) -> None:
    assert run_cli("report", "topology.yaml", "--out", str(tmp_path / "again")) == 0
    assert tree(tmp_path / "again") == tree(reference)


def test_every_kpi_has_its_definition_its_basis_and_where_its_target_is_declared(reference: Path) -> None:
    doc = json.loads((reference / "kpis.json").read_text(encoding="utf-8"))
    assert [k["metric"] for k in doc["kpis"]] == [
        "cloud-adoption", "extranet-access", "e-licence-use", "e-seal-coverage",
        "ipv6-coverage", "backup-coverage", "dr-level", "capacity-headroom",
    ]  # fmt: skip
    for k in doc["kpis"]:
        assert k["definition"] and k["computed_from"] and k["target_source"]
        assert re.fullmatch(r"topology\.yaml:\d+:5", k["declared_at"]), k["declared_at"]


def test_the_markdown_and_html_show_the_json_figures(reference: Path) -> None:
    doc = json.loads((reference / "kpis.json").read_text(encoding="utf-8"))
    md = (reference / "kpis.md").read_text(encoding="utf-8")
    html = (reference / "kpis.html").read_text(encoding="utf-8")
    for k in doc["kpis"]:
        figure = f"{k['value']:.1%}"
        assert f"| {figure} |" in md
        assert f'<td class="value">{figure}</td>' in html


def test_the_html_page_is_self_contained(reference: Path) -> None:
    html = (reference / "kpis.html").read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert not re.search(r"<(script|link|img|iframe)\b", html)
    assert not re.search(r"(src|href)=\"(https?:)?//", html)


def test_a_miss_names_the_system_behind_it_with_its_line(tmp_path: Path) -> None:
    assert run_cli("report", str(BELOW), "--out", str(tmp_path / "r")) == 0
    doc = json.loads((tmp_path / "r" / "kpis.json").read_text(encoding="utf-8"))
    adoption = doc["kpis"][0]
    assert adoption["met"] is False and doc["summary"]["below_target"] == ["cloud-adoption"]
    assert adoption["misses"] == [
        {
            "kind": "system",
            "name": "permits",
            "department": "Water bureau",
            "reason": "self-hosted: not on any cloud",
            "at": f"{BELOW}:212:5",
        }
    ]
    assert "**Behind the miss** (1)" in (tmp_path / "r" / "kpis.md").read_text(encoding="utf-8")


def test_json_output_summarises_for_machines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli("report", "topology.yaml", "--out", str(tmp_path / "r"), "-o", "json") == 0
    got = json.loads(capsys.readouterr().out)
    assert got["met"] == 8 and got["files"] == ["kpis.html", "kpis.json", "kpis.md"]


def test_a_topology_with_errors_writes_nothing_and_exits_1(tmp_path: Path) -> None:
    case = ROOT / "tests" / "unit" / "rules" / "cases" / "GC033_backup_to_self.yaml"
    assert run_cli("report", str(case), "--out", str(tmp_path / "r")) == 1
    assert not (tmp_path / "r").exists()


def test_refuses_to_replace_a_folder_it_did_not_write(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me")
    assert run_cli("report", "topology.yaml", "--out", str(tmp_path)) == 2
    assert (tmp_path / "notes.txt").read_text() == "keep me"


@pytest.mark.parametrize("command", ["report", "graph"])
def test_bad_input_gets_a_located_error_and_no_output(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("apiVersion: govcloud.dev/v1alpha1\nkind: Topology\nmetadata: [1, 2\n", encoding="utf-8")
    extra = ["-f", "dot"] if command == "graph" else []
    assert run_cli(command, str(bad), "--out", str(tmp_path / "o"), *extra) == 1
    err = capsys.readouterr().err
    assert f"{bad}:" in err and "GC001" in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()
    assert run_cli(command, str(tmp_path / "missing.yaml"), "--out", str(tmp_path / "o"), *extra) == 2
