"""`govcloud explain GC000` and what GC000 says about exit codes agree with what govcloud does
(issue 12.20a): explaining a rule succeeds (0), and a file GC000 refuses makes every command that reads
the topology exit 2, as the explanation says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govcloud import cli


def test_explain_gc000_exits_0_and_says_readers_of_a_refused_file_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.run(["explain", "GC000"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("GC000 readable-file (error, syntax)")
    assert "exits with 2, a usage or I/O error, not 1" in text
    assert "BLUEPRINT" not in text  # a document outside the repository is no source a reader can open


def test_explain_gc000_json_is_the_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.run(["explain", "gc000", "-o", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["name"] == "readable-file"


@pytest.mark.parametrize("command", [["validate"], ["plan"], ["render", "--out"], ["report", "--out"]])
def test_a_file_gc000_refuses_makes_every_reader_exit_2(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    not_a_file = tmp_path / "a-directory"
    not_a_file.mkdir()
    out = [str(tmp_path / "out")] if "--out" in command else []
    assert cli.run([command[0], str(not_a_file), *command[1:], *out]) == 2
    assert "GC000" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
