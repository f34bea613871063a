"""The loader: positions for every node, and a located GC001 (never a traceback) for bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from govcloud.diagnostics import GovcloudError
from govcloud.load import MAX_DEPTH, load_file, load_text


def error_of(text: str) -> tuple[str, int, int, str]:
    with pytest.raises(GovcloudError) as e:
        load_text(text, "t.yaml")
    d = e.value.diagnostics[0]
    assert d.location is not None
    return d.rule, d.location.line, d.location.column, d.message


def test_positions_point_at_keys_and_sequence_items() -> None:
    doc = load_text("a: 1\nb:\n  - x: 2\n    y: [1, 2]\n", "t.yaml")
    assert doc.positions[("b",)] == (2, 1)
    assert doc.positions[("b", 0)] == (3, 5)
    assert doc.positions[("b", 0, "y", 1)] == (4, 12)


def test_locate_falls_back_to_the_nearest_written_ancestor() -> None:
    doc = load_text("a:\n  b: 1\n", "t.yaml")
    assert (doc.locate(("a", "missing", 3)).line, doc.locate(("a", "missing")).column) == (1, 1)


def test_duplicate_keys_are_refused_at_the_second_key() -> None:
    rule, line, col, msg = error_of("a: 1\nb: 2\na: 3\n")
    assert (rule, line, col) == ("GC001", 3, 1)
    assert "duplicate key 'a'" in msg and "line 1" in msg


@pytest.mark.parametrize("text", ["", "\n\n  \n", "# only a comment\n"])
def test_empty_files_get_a_clear_error(text: str) -> None:
    rule, line, _, msg = error_of(text)
    assert rule == "GC001" and line == 1
    assert "empty" in msg or "no YAML document" in msg


def test_deep_nesting_is_refused_before_anything_recursive_runs() -> None:
    rule, _, _, msg = error_of("[" * 100_000)
    assert rule == "GC001" and f"deeper than {MAX_DEPTH}" in msg


def test_alias_bombs_are_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    rule, _, _, msg = error_of("\n".join(lines) + "\n")
    assert rule == "GC001" and "alias bomb" in msg


def test_python_tags_are_not_constructed() -> None:
    rule, line, _, _ = error_of("x: !!python/object/apply:os.system ['true']\n")
    assert (rule, line) == ("GC001", 1)


def test_syntax_errors_are_located() -> None:
    rule, line, _, msg = error_of("a: [1, 2\nb: 3\n")
    assert rule == "GC001" and line == 2 and msg.startswith("invalid YAML")


def test_several_documents_are_refused() -> None:
    rule, line, _, _ = error_of("a: 1\n---\nb: 2\n")
    assert (rule, line) == ("GC001", 3)


def test_binary_and_non_utf8_files_are_refused(tmp_path: Path) -> None:
    binary = tmp_path / "b.yaml"
    binary.write_bytes(b"\x7fELF\x00\x01\x02")
    latin = tmp_path / "l.yaml"
    latin.write_bytes("a: caf\xe9\n".encode("latin-1"))
    for path, words in ((binary, "binary"), (latin, "not UTF-8")):
        with pytest.raises(GovcloudError) as e:
            load_file(path)
        assert words in e.value.diagnostics[0].message


def test_unreadable_paths_exit_with_2(tmp_path: Path) -> None:
    for path in (tmp_path / "missing.yaml", tmp_path):
        with pytest.raises(GovcloudError) as e:
            load_file(path)
        assert e.value.exit_code in (1, 2)
    with pytest.raises(GovcloudError) as e:
        load_file(tmp_path / "missing.yaml")
    assert e.value.exit_code == 2


def test_a_utf8_bom_is_accepted(tmp_path: Path) -> None:
    p = tmp_path / "bom.yaml"
    p.write_bytes("\ufeffa: 南昌\n".encode())
    assert load_file(p).data == {"a": "南昌"}
