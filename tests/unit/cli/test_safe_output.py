"""Text output escapes control characters: a topology (or its file name) cannot drive the terminal."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from govcloud import cli
from govcloud.console import safe


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b]0;owned\x07", "\\x1b]0;owned\\x07"),  # retitle the terminal
        ("red\x1b[31m", "red\\x1b[31m"),
        ("a\rb", "a\\x0db"),  # overwrite the line
        ("\u202egnp.exe", "\\u202egnp.exe"),  # right-to-left override
        ("\x9b31m", "\\x9b31m"),  # C1 CSI
        ("江西省政务云\nline two\tcol", "江西省政务云\nline two\tcol"),  # text, newlines and tabs stay
    ],
)
def test_safe_escapes_control_characters_and_keeps_text(text: str, shown: str) -> None:
    assert safe(text) == shown


def test_a_file_name_with_escapes_is_printed_escaped(
    tmp_path: Path, minimal_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = tmp_path / "a\x1b[2Jb.yaml"
    shutil.copy(minimal_path, hostile)
    assert cli.run(["validate", str(hostile)]) == 0
    printed = capsys.readouterr()
    assert "\x1b" not in printed.out + printed.err and "a\\x1b[2Jb.yaml: ok" in printed.out


def test_a_title_with_escapes_is_refused_not_printed(
    tmp_path: Path, minimal_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = minimal_path.read_text(encoding="utf-8").replace("title: Lakeland", 'title: "Lake\\e]0;owned\\aland"', 1)
    (tmp_path / "t.yaml").write_text(text, encoding="utf-8")
    assert cli.run(["plan", str(tmp_path / "t.yaml")]) == 1
    printed = capsys.readouterr()
    assert "\x1b" not in printed.out + printed.err and "title: holds a control character" in printed.err
