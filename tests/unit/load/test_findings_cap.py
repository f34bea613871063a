"""Output is capped per rule: a file with the same mistake many times says so in N lines and one
'… and M more', and `--max-findings 0` shows them all."""

from __future__ import annotations

from govcloud.diagnostics import MAX_PER_RULE, Diagnostic, Location, Severity, cap


def _many(rule: str, n: int) -> list[Diagnostic]:
    return [Diagnostic(rule, Severity.ERROR, f"mistake {i}", location=Location("t.yaml", i + 1, 1)) for i in range(n)]


def test_findings_beyond_the_cap_become_one_line_per_rule_that_counts_them() -> None:
    out = cap(_many("GC020", 120) + _many("GC021", 3))
    gc020 = [d for d in out if d.rule == "GC020"]
    assert len(gc020) == MAX_PER_RULE + 1
    assert gc020[-1].message == f"… and {120 - MAX_PER_RULE} more GC020 finding(s) like the ones above"
    assert "--max-findings 0" in gc020[-1].hint
    assert [d.message for d in out if d.rule == "GC021"] == ["mistake 0", "mistake 1", "mistake 2"]


def test_the_first_findings_in_file_order_are_the_ones_kept() -> None:
    out = cap(list(reversed(_many("GC020", 60))), per_rule=5)
    assert [d.location.line for d in out[:5] if d.location] == [1, 2, 3, 4, 5]


def test_max_findings_zero_shows_every_finding() -> None:
    assert len(cap(_many("GC020", 500), per_rule=0)) == 500
