"""`govcloud drill cluster-loss` refuses bad input by name (exit 2, one line, no traceback, nothing
written), and `govcloud drill report` shows cluster-loss records beside the database drills."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govcloud import cli
from govcloud.drill.records import ClusterLossRecord, StandbyFigure, write_atomic

ROOT = Path(__file__).resolve().parents[3]
DB_FIXTURE = ROOT / "tests" / "fixtures" / "drill-records.json"


@pytest.fixture
def no_lab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GOVCLOUD_LAB_DIR", str(tmp_path / "lab"))
    monkeypatch.setenv("GOVCLOUD_REPORTS_DIR", str(tmp_path / "reports"))
    return tmp_path


def test_an_unknown_cluster_is_a_usage_error_naming_the_drillable_ones(
    no_lab: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.run(["drill", "cluster-loss", "--cluster", "gc-nope"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "govcloud: error: cannot drill the loss of 'gc-nope' (no such lab cluster); choose one of: gc-nc-prod"
    ]
    assert cli.run(["drill", "cluster-loss", "--cluster", "gc-gz-dr", "-o", "json"]) == 2
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is False and out["exit_code"] == 2 and "its loss scales no standby" in out["error"]


def test_no_running_lab_is_a_usage_error_and_leaves_no_run_folder(
    no_lab: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.run(["drill", "cluster-loss"]) == 2
    err = capsys.readouterr().err
    assert "no lab is up" in err and "govcloud lab up --profile compact" in err and "Traceback" not in err
    assert cli.run(["drill", "cluster-loss", "--restore"]) == 2
    assert not (no_lab / "reports").exists()


def record(run: str, ready_s: float | None, failures: int = 0) -> ClusterLossRecord:
    checks = {
        "lost_cluster_stopped": True,
        "standbys_ready": ready_s is not None,
        "same_city_served_throughout": failures == 0,
        "within_strictest_rto": ready_s is not None,
        "restored": True,
    }
    return ClusterLossRecord(
        run=run,
        cloud="provincial",
        lost_cluster="gc-nc-prod",
        lost_centre="nc-prod",
        survivors=["gc-nc-aa", "gc-gz-dr"],
        serving=["gc-nc-aa"],
        started_at=1796200000.0,
        fault_at=1796200010.0,
        stopped=["etcd 101", "kube-apiserver 102"],
        ready_s=ready_s,
        scale_ready_s=None if ready_s is None else ready_s - 0.1,
        restore_s=12.5,
        standbys=[
            StandbyFigure(
                cluster="gc-gz-dr",
                namespace="gc-platform",
                deployment="e-seal",
                standby="warm",
                design=1,
                takeover=3,
                ready_s=ready_s,
                restored=True,
            )
        ],
        watched=10,
        samples=40,
        serving_failures=failures,
        longest_outage_s=0.0 if not failures else 1.5,
        rto_target_s=1800,
        strictest="population-registry",
        timeline=[{"at": 1796200010.0, "since_fault_s": 0.0, "what": "gc-nc-prod declared lost", "source": "drill"}],
        checks=checks,
        passed=all(checks.values()),
    )


def write_runs(reports: Path, *records: ClusterLossRecord) -> None:
    for r in records:
        (reports / r.run).mkdir(parents=True)
        write_atomic(reports / r.run / "record.json", r.model_dump(mode="json"))


def test_the_report_shows_the_latest_cluster_loss_in_full_and_every_run_as_history(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_runs(
        tmp_path,
        record("20261202T080000Z-cluster-loss", None, failures=3),
        record("20261202T090000Z-cluster-loss", 4.25),
    )
    assert cli.run(["drill", "report", "--reports", str(tmp_path)]) == 0
    text = capsys.readouterr().out
    assert "Drill 20261202T090000Z-cluster-loss" in text
    assert "takeover (fault -> every standby Ready)" in text and "4.25s" in text
    assert "gc-gz-dr/gc-platform/e-seal" in text and "1 -> 3" in text
    assert "20261202T080000Z-cluster-loss    FAIL  takeover       -  not serving 3" in text
    assert cli.run(["drill", "report", "--reports", str(tmp_path), "-o", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["latest"] is None
    assert data["cluster_loss"]["latest"]["ready_s"] == 4.25
    assert [h["passed"] for h in data["cluster_loss"]["history"]] == [False, True]
    assert cli.run(["drill", "report", "--reports", str(tmp_path), "-o", "html"]) == 0
    page = capsys.readouterr().out
    assert '<section id="cluster-loss">' in page and "gc-nc-prod lost" in page


def test_database_drills_render_as_before_with_the_cluster_loss_section_after_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for r in json.loads(DB_FIXTURE.read_text(encoding="utf-8")):
        (tmp_path / r["run"]).mkdir()
        write_atomic(tmp_path / r["run"] / "record.json", r)
    assert cli.run(["drill", "report", "--reports", str(tmp_path), "-o", "markdown"]) == 0
    before = capsys.readouterr().out
    write_runs(tmp_path, record("20261202T090000Z-cluster-loss", 4.25))
    assert cli.run(["drill", "report", "--reports", str(tmp_path), "-o", "markdown"]) == 0
    after = capsys.readouterr().out
    assert after.startswith(before)
    assert "# Kubernetes side: cluster-loss drills" in after[len(before) :]
    assert cli.run(["drill", "report", "--reports", str(tmp_path), "--scenario", "partition"]) == 0
    assert "cluster-loss" not in capsys.readouterr().out
