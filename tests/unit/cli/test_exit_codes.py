"""Every documented exit code, reached the way a user reaches it (in-process: `cli.run` is `main`
without the exit), and `-o json` answering with a JSON object whatever happened."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govcloud import cli, pipeline
from govcloud.diagnostics import RuntimeFailure

CASES = Path(__file__).resolve().parents[1] / "rules" / "cases"


def test_exit_0_for_a_clean_topology(reference_path: Path) -> None:
    assert cli.run(["validate", str(reference_path)]) == 0


def test_exit_1_for_design_errors() -> None:
    assert cli.run(["validate", str(CASES / "GC033_backup_to_self.yaml")]) == 1


@pytest.mark.parametrize(
    "argv",
    [["validate", "--frobnicate"], ["nosuch"], ["validate", "-o", "xml"], ["explain", "GC999"], ["validate", "/"]],
    ids=["unknown-option", "unknown-command", "bad-choice", "unknown-rule", "a-directory"],
)
def test_exit_2_for_usage_and_io_errors_in_one_line(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.run(argv) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in lines[0]
    assert lines[0].startswith(("govcloud: error: ", "/:1:1: error: GC000"))


def test_exit_3_only_for_a_bug(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def broken(*_: object, **__: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(pipeline, "check", broken)
    assert cli.run(["validate", "x.yaml"]) == 3
    assert "internal error (ZeroDivisionError: a bug)" in capsys.readouterr().err


def test_exit_4_for_a_runtime_failure(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], reference_path: Path
) -> None:
    def no_docker(*_: object, **__: object) -> None:
        raise RuntimeFailure("cannot reach dockerd")

    monkeypatch.setattr(pipeline, "load_plan", no_docker)
    assert cli.run(["plan", str(reference_path)]) == 4
    assert capsys.readouterr().err.strip() == "govcloud: error: cannot reach dockerd"


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["validate", "-o", "json", "/nonexistent.yaml"], 2),
        (["plan", "--output=json", str(CASES / "GC033_backup_to_self.yaml")], 1),
        (["explain", "-ojson", "GC999"], 2),
        (["plan", "-o", "json", "--frobnicate"], 2),
    ],
)
def test_json_output_is_a_json_object_even_on_errors(
    argv: list[str], code: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.run(argv) == code
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False and data["exit_code"] == code and data["error"]
