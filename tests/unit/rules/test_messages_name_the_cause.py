"""Findings speak of the file being checked and point at the cause: hints built from the file, not
from the reference province; a misaligned network says which aligned one was meant; a pool that
is too small is named."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from govcloud import pipeline
from govcloud.diagnostics import Diagnostic, GovcloudError
from govcloud.rules import REGISTRY

ROOT = Path(__file__).resolve().parents[3]
CASES = Path(__file__).parent / "cases"


def _findings(path: Path, rule: str) -> list[Diagnostic]:
    try:
        diags = pipeline.check(path).diagnostics
    except GovcloudError as e:
        diags = e.diagnostics
    return [d for d in diags if d.rule == rule]


def test_gc013s_hints_are_built_from_the_checked_file_not_the_reference() -> None:
    minimal = (ROOT / "tests/fixtures/minimal.yaml").read_text(encoding="utf-8")
    province = re.search(r"code: (\d{2})0000", minimal)
    assert province is not None
    (under,) = _findings(CASES / "GC013_city_not_under_province.yaml", "GC013")
    assert under.hint == f"city codes start with {province.group(1)}"
    (level,) = _findings(CASES / "GC013_city_code_not_prefecture_level.yaml", "GC013")
    assert re.search(r"e\.g\. (\d{6}) for (\S+)", level.hint), level.hint
    for f in (under, level):
        assert "360100" not in f.hint and "Nanchang" not in f.hint, f.hint
    example = re.search(r"e\.g\. (\d{6}) for (\S+)", level.hint)
    assert example and f"code: {example.group(1)}" in minimal and example.group(2) in minimal


def test_a_misaligned_ipv6_network_names_the_aligned_one_it_meant(tmp_path: Path) -> None:
    text = (ROOT / "tests/fixtures/minimal.yaml").read_text(encoding="utf-8")
    bad = text.replace('ipv6: "2001:db8:1::/48"', 'ipv6: "2001:db8:1::1/48"', 1)
    assert bad != text
    (tmp_path / "t.yaml").write_text(bad, encoding="utf-8")
    (f,) = _findings(tmp_path / "t.yaml", "GC002")
    assert "host bits set" in f.message and "2001:db8:1::/48" in f.message, f.message


def test_a_pool_too_small_is_named_in_its_finding() -> None:
    (f,) = _findings(CASES / "GC022_cluster_pool_too_small.yaml", "GC022")
    assert "service ipv6 pool" in f.message, f.message


def test_no_rule_text_carries_the_reference_provinces_figures_unlabelled() -> None:
    texts = {r.id: " ".join((r.title, r.rationale, r.source, r.hint)) for r in REGISTRY.values()}
    assert "360100" in texts["GC013"] and "Jiangxi" in texts["GC060"]  # the labelled mentions are seen
    for rule_id, text in texts.items():
        assert "20,000" not in text, rule_id
        for figure in ("360100", "Jiangxi", "Nanchang"):
            if figure in text:  # allowed only where the text says it is the reference's
                assert "reference" in text, (rule_id, figure)


def test_only_the_cli_entry_point_exits() -> None:
    calls = []
    for path in sorted((ROOT / "src/govcloud").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "exit"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "sys"
            ):
                calls.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert [c.split(":")[0] for c in calls] == ["src/govcloud/cli/__init__.py", "src/govcloud/docsgen.py"], calls
