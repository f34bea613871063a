"""The setup scripts share one library (scripts/lib/common.sh) instead of copies that drift: every
helper is defined once, every Go build goes through the library's need_go (so GOTOOLCHAIN=local
and one minimum Go version always apply). Read as text: nothing is run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
LIB = ROOT / "scripts" / "lib" / "common.sh"
SETUP_SCRIPTS = sorted((ROOT / "scripts").glob("setup*.sh"))
SOURCE_LINE = '. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"'

FUNCTION = re.compile(r"^\s*(?:function\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*\(\)\s*\{", re.MULTILINE)
# a build by the go command that need_go checked
BUILD = re.compile(r'"\$GO_CMD"\s+(?:build|install)\b')
# any other go command at a command position: `go build`, `&& GOFLAGS=x go install`, `"$GO" build`
OTHER_GO = re.compile(
    r'(?:^|&&|;|\||\bthen|\bdo|!)\s*(?:[A-Z_]+=\S*\s+)*(?:go|"?\$\{?GO\}?"?)\s+(?:build|install|get|mod|env)\b',
    re.MULTILINE,
)
HELPER_CALL = re.compile(r"(?:^|[\s;&|(])(?:say|die|usage|pinned|open_cache|link|need_go)\b")
MINIMUM_STATED = re.compile(r"Go\s*(?:>=|≥)\s*\d")
# the Go a generated go.mod asks for: `\ngo 1.N[.P]\n` and `godebug default=go1.N`
GO_DIRECTIVE = re.compile(r"\\ngo (1\.\d+)(?:\.\d+)?\\n|default=go(1\.\d+)")
GO_BUILDERS = {"setup-k8s-tools.sh", "setup-pulumi.sh", "setup-toxiproxy.sh"}


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def code(path: Path) -> str:
    """The script without its comment lines."""
    return "\n".join(line for line in text(path).splitlines() if not line.lstrip().startswith("#"))


def functions(path: Path) -> list[str]:
    return FUNCTION.findall(text(path))


def body(path: Path, name: str) -> str:
    """The lines of function `name` up to the closing brace at column 0."""
    m = re.search(rf"^{name}\(\) \{{\n(.*?)^\}}", text(path), re.MULTILINE | re.DOTALL)
    assert m, f"{path.name} defines no {name}()"
    return m.group(1)


def go_min_version() -> tuple[int, int]:
    values = re.findall(r"^GO_MIN_VERSION=(\S+)", text(ROOT / "tools" / "versions.env"), re.MULTILINE)
    assert len(values) == 1, f"tools/versions.env sets GO_MIN_VERSION {len(values)} times"
    major, minor = values[0].split(".")
    return int(major), int(minor)


def test_the_setup_scripts_are_found() -> None:
    names = {p.name for p in SETUP_SCRIPTS}
    assert {"setup.sh", "setup-k8s-tools.sh", "setup-pulumi.sh", "setup-toxiproxy.sh"} <= names
    assert LIB.is_file()


def test_no_function_is_defined_in_two_setup_scripts() -> None:
    where: dict[str, list[str]] = {}
    for path in [LIB, *SETUP_SCRIPTS]:
        for name in functions(path):
            where.setdefault(name, []).append(path.name)
    twice = {name: files for name, files in where.items() if len(files) > 1}
    assert not twice, f"defined more than once (move it to scripts/lib/common.sh): {twice}"


def test_the_library_defines_the_shared_helpers() -> None:
    assert {"say", "die", "usage", "pinned", "open_cache", "link", "need_go"} <= set(functions(LIB))


@pytest.mark.parametrize("script", SETUP_SCRIPTS, ids=lambda p: p.name)
def test_every_setup_script_sources_the_library_before_using_it(script: Path) -> None:
    lines = code(script).splitlines()
    assert SOURCE_LINE in lines, f"{script.name} does not source scripts/lib/common.sh"
    first_use = next(i for i, line in enumerate(lines) if HELPER_CALL.search(line))
    assert lines.index(SOURCE_LINE) < first_use


def test_the_go_builds_are_found() -> None:
    assert {p.name for p in SETUP_SCRIPTS if BUILD.search(code(p))} == GO_BUILDERS


@pytest.mark.parametrize("script", SETUP_SCRIPTS, ids=lambda p: p.name)
def test_every_go_build_goes_through_need_go(script: Path) -> None:
    src = code(script)
    assert not OTHER_GO.findall(src), f"{script.name} runs a go command need_go did not check"
    if not BUILD.search(src):
        return
    assert re.search(r"^\s*need_go\b|\bneed_go;", src, re.MULTILINE), f"{script.name} builds without need_go"
    # the go command, its toolchain and cgo come from need_go only
    for own in ("GO_CMD=", "GOTOOLCHAIN", "CGO_ENABLED"):
        assert own not in src, f"{script.name} sets {own.rstrip('=')} itself"


def test_need_go_pins_the_toolchain_and_checks_the_minimum_version() -> None:
    need_go = body(LIB, "need_go")
    assert "export GOTOOLCHAIN=local" in need_go
    assert "export CGO_ENABLED=0" in need_go
    assert "pinned GO_MIN_VERSION go" in need_go and "go_at_least" in need_go
    # the version check comes before GO_CMD is set, so no build can start with a Go that is too old
    assert need_go.index("go_at_least") < need_go.index("GO_CMD=$candidate")


def test_one_minimum_go_version_for_every_go_build() -> None:
    minimum = go_min_version()
    directives = 0
    for path in [LIB, *SETUP_SCRIPTS]:
        stated = MINIMUM_STATED.findall(text(path))
        assert not stated, f"{path.name} states a minimum Go of its own ({stated}); GO_MIN_VERSION is the one"
        # a generated go.mod may not ask for a newer Go than the minimum need_go accepts
        for pair in GO_DIRECTIVE.findall(code(path)):
            directive = next(v for v in pair if v)
            directives += 1
            major, minor = (int(x) for x in directive.split("."))
            assert (major, minor) <= minimum, f"{path.name} writes go {directive}, above GO_MIN_VERSION"
    assert directives >= 2  # setup-k8s-tools.sh's wrapper go.mod: its `go` and `godebug` lines
