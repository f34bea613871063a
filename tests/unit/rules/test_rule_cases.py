"""Table-driven rule tests: each file in cases/ is a small broken topology whose offending lines
carry `# <- GCnnn` markers; exactly those (rule, line) pairs must be reported, nothing else."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from govcloud import pipeline
from govcloud.diagnostics import GovcloudError
from govcloud.rules import REGISTRY, SEMANTIC

CASES = sorted((Path(__file__).parent / "cases").glob("*.yaml"))
MARK = re.compile(r"#\s*<-\s*((?:GC\d{3}\s*)+)$")


def expected(path: Path) -> set[tuple[str, int]]:
    out = set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        m = MARK.search(line)
        if m:
            out |= {(rule, n) for rule in m.group(1).split()}
    return out


def reported(path: Path) -> set[tuple[str, int]]:
    try:
        diags = pipeline.check(path).diagnostics
    except GovcloudError as e:
        diags = e.diagnostics
    return {(d.rule, d.location.line) for d in diags if d.location}


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_case_reports_exactly_the_marked_rules_and_lines(case: Path) -> None:
    want = expected(case)
    assert want, f"{case.name} marks no line"
    assert reported(case) == want


def test_every_rule_has_a_case() -> None:
    covered = {c.stem.split("_")[0] for c in CASES}
    missing = [r.id for r in SEMANTIC if r.id not in covered]
    assert not missing, f"rules without a case in cases/: {missing}"


def test_the_minimal_fixture_is_clean(minimal_path: Path) -> None:
    assert pipeline.check(minimal_path).diagnostics == []


def test_the_reference_topology_has_no_errors(reference_path: Path) -> None:
    assert pipeline.check(reference_path).errors == []


def test_rule_ids_are_unique_and_well_formed() -> None:
    ids = [r.id for r in SEMANTIC]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"GC\d{3}", i) for i in REGISTRY)
    assert len(SEMANTIC) >= 25
