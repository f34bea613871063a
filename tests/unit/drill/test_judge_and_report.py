"""Per-system judging against GB/T 20988 targets, and the report renderings of a record."""

from __future__ import annotations

import json

from govcloud import pipeline
from govcloud.drill.judge import judge_systems, strictest
from govcloud.drill.records import Record, open_run
from govcloud.drill.report import render_json, render_markdown, render_text


def _systems(reference_path):  # type: ignore[no-untyped-def]
    plan = pipeline.load_plan(reference_path)
    tenants = {t.name for t in plan.topology.tenants if t.cloud == "provincial"}
    return [s for s in plan.topology.systems if s.tenant in tenants]


def test_rpo_zero_systems_fail_on_any_lost_write_others_within_their_rpo(reference_path) -> None:  # type: ignore[no-untyped-def]
    verdicts = {v.system: v for v in judge_systems(_systems(reference_path), rto_s=20.0, lost=1, lost_seconds=0.1)}
    assert not verdicts["population-registry"].rpo_pass  # level 6, RPO 0s
    assert verdicts["social-insurance"].rpo_pass  # level 5, RPO 5m
    assert all(v.rto_pass for v in verdicts.values())


def test_no_recovery_fails_every_system(reference_path) -> None:  # type: ignore[no-untyped-def]
    assert not any(v.rto_pass for v in judge_systems(_systems(reference_path), rto_s=None, lost=0, lost_seconds=0))


def test_the_strictest_system_is_the_level_6_registry(reference_path) -> None:  # type: ignore[no-untyped-def]
    s = strictest(_systems(reference_path))
    assert s is not None and s.name == "population-registry"


def _record(reference_path, run: str = "20260101T000000Z-same-city", rto: float = 21.5) -> Record:  # type: ignore[no-untyped-def]
    systems = judge_systems(_systems(reference_path), rto_s=rto, lost=0, lost_seconds=0)
    return Record(
        run=run, scenario=run.split("-", 1)[1], cluster="provincial", centre="nc-prod", started_at=0.0,
        fault_at=10.0, old_primary="nc-prod-database-1", new_primary="nc-aa-database-1", acknowledged=400,
        attempts=420, lost=0, lost_seconds=0.0, duplicates=0, split_brain=False, rto_s=rto, longest_gap_s=rto,
        detection_s=20.1, promotion_s=0.05,
        timeline=[{"at": 10.0, "since_fault_s": 0.0, "what": "fault: injected", "source": "drill"}],
        systems=systems, checks={"no_acknowledged_write_lost": True}, passed=True,
    )  # fmt: skip


def test_reports_show_figures_timeline_systems_and_history(reference_path) -> None:  # type: ignore[no-untyped-def]
    recs = [
        _record(reference_path, "20260101T000000Z-same-city", 24.0),
        _record(reference_path, "20260102T000000Z-same-city"),
    ]
    text = render_text(recs)
    assert "RTO (fault -> first acknowledged write on the new primary)  21.50s" in text
    assert "pass population-registry" in text and "History" in text
    md = render_markdown(recs)
    assert "| split brain | no |" in md and "## History" in md
    data = json.loads(json.dumps(render_json(recs)))
    assert data["latest"]["run"] == "20260102T000000Z-same-city" and len(data["history"]) == 2


def test_a_run_id_must_name_a_scenario(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GOVCLOUD_REPORTS_DIR", str(tmp_path))
    import pytest

    from govcloud.diagnostics import UsageError

    with pytest.raises(UsageError, match="names no scenario"):
        open_run("20260101T000000Z-meltdown", create=True)
    with pytest.raises(UsageError, match="bad run id"):
        open_run("../etc", create=True)
    run = open_run("20260101T000000Z-partition", create=True)
    run.event("fault", "injected", at=5.0)
    assert run.first("injected") == {"at": 5.0, "step": "fault", "event": "injected"}
