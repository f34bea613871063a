"""The CLI contract: compiler-style messages, exit codes 0/1/2, machine formats."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

CASES = Path(__file__).resolve().parents[2] / "unit" / "rules" / "cases"


def govcloud(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "govcloud", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def test_valid_topology_exits_0(minimal_path: Path) -> None:
    r = govcloud("validate", str(minimal_path))
    assert r.returncode == 0, r.stderr
    assert "ok" in r.stdout


def test_design_errors_exit_1_with_compiler_style_lines() -> None:
    case = CASES / "GC034_backup_same_city.yaml"
    r = govcloud("validate", str(case))
    assert r.returncode == 1
    line = r.stderr.strip().splitlines()[0]
    assert line.startswith(f"{case}:") and ": error: GC034 " in line and "govcloud explain GC034" in line


def test_missing_file_exits_2_without_traceback(tmp_path: Path) -> None:
    r = govcloud("validate", str(tmp_path / "nope.yaml"))
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and "GC000" in r.stderr


def test_unknown_option_is_a_usage_error() -> None:
    assert govcloud("validate", "--frobnicate").returncode == 2


@pytest.mark.parametrize(
    ("content", "rule", "code"),
    [
        (b"", "GC001", 1),
        (b"\x00\x01\x02binary", "GC000", 2),  # not a topology at all: an I/O error
        (b"\xff\xfe not utf-8", "GC000", 2),
        (b"[" * 50_000, "GC001", 1),
        (b"a: [1, 2\n", "GC001", 1),
    ],
)
def test_bad_input_never_shows_a_traceback(tmp_path: Path, content: bytes, rule: str, code: int) -> None:
    p = tmp_path / "bad.yaml"
    p.write_bytes(content)
    r = govcloud("validate", str(p))
    assert r.returncode == code
    assert "Traceback" not in r.stderr and rule in r.stderr


def test_strict_makes_warnings_fail() -> None:
    case = CASES / "GC060_kpi_below_target.yaml"
    assert govcloud("validate", str(case)).returncode == 0
    assert govcloud("validate", "--strict", str(case)).returncode == 1


def test_json_output_lists_diagnostics_with_locations() -> None:
    r = govcloud("validate", "-o", "json", str(CASES / "GC033_backup_to_self.yaml"))
    data = json.loads(r.stdout)
    assert data["ok"] is False
    assert [(d["rule"], d["line"]) for d in data["diagnostics"]] == [("GC033", 93)]


def test_sarif_output_is_sarif_2_1_0() -> None:
    r = govcloud("validate", "-o", "sarif", str(CASES / "GC033_backup_to_self.yaml"))
    sarif = json.loads(r.stdout)
    assert sarif["version"] == "2.1.0"
    res = sarif["runs"][0]["results"][0]
    assert res["ruleId"] == "GC033"
    assert res["locations"][0]["physicalLocation"]["region"]["startLine"] == 93


def test_explain_prints_rationale_and_source() -> None:
    r = govcloud("explain", "GC042")
    assert r.returncode == 0 and "GB/T 22239-2019" in r.stdout
    assert govcloud("explain", "GC999").returncode == 2


def test_plan_json_summarizes_the_province(reference_path: Path) -> None:
    r = govcloud("plan", "-o", "json", str(reference_path))
    s = json.loads(r.stdout)
    assert s["formula"].startswith("1+11+") and len(s["clusters"]) >= 20


def test_plan_refuses_a_broken_topology() -> None:
    r = govcloud("plan", str(CASES / "GC033_backup_to_self.yaml"))
    assert r.returncode == 1 and "GC033" in r.stderr


def test_schema_is_json_schema_with_descriptions() -> None:
    schema = json.loads(govcloud("schema").stdout)
    assert schema["$schema"].endswith("2020-12/schema")
    assert "description" in schema["$defs"]["Centre"]["properties"]["nodes"]
