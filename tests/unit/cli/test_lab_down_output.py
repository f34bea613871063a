"""`govcloud lab down -o json` answers with a JSON object like the other commands (issue 12.9), and
`lab down` removes the files the lab made, naming what stays (issue 12.20). No process is started:
`--keep-hosts` leaves Docker out, and with no kind binary on PATH or in the cache there is no kind
cluster to ask about."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govcloud import cli
from govcloud.cli import lab as lab_cli
from govcloud.lab import tools
from govcloud.lab.hosts import StepResult


@pytest.fixture
def lab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "lab"
    monkeypatch.setenv("GOVCLOUD_LAB_DIR", str(folder))
    empty = tmp_path / "no-tools"
    empty.mkdir()
    monkeypatch.setattr(tools, "CACHE", empty)
    monkeypatch.setenv("PATH", str(empty))
    return folder


def down_json(reference_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    assert cli.run(["lab", "down", "-t", str(reference_path), "--keep-hosts", "-o", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert isinstance(data, dict)
    return data


def test_lab_down_json_on_an_empty_lab_is_ok_with_nothing_stopped(
    lab: Path, reference_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = down_json(reference_path, capsys)
    assert data["ok"] is True and data["exit_code"] == 0 and data["error"] is None
    assert data["processes"] == [] and data["ignored_pid_files"] == [] and data["unrecorded_processes"] == []
    assert data["kind_clusters"] == []
    assert data["hosts"] == {"skipped": "--keep-hosts", "toxiproxy": "kept", "containers": [], "networks": []}
    assert data["removed"] == [] and data["kept"] == []


def test_lab_down_removes_the_kind_files_and_keeps_only_the_pulumi_state(
    lab: Path, reference_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for folder in ("clusters/gc-nc-prod", "pki", "kind", "pulumi/state"):
        (lab / folder).mkdir(parents=True)
    for file in ("kubeconfig", "kind-kubeconfig", "kind/gc-nc-prod.yaml", "pulumi/passphrase"):
        (lab / file).write_text("x")
    data = down_json(reference_path, capsys)
    assert sorted(data["removed"]) == sorted(  # type: ignore[arg-type]
        str(lab / n) for n in ("clusters", "pki", "kubeconfig", "kind", "kind-kubeconfig")
    )
    assert data["kept"] == [str(lab / "pulumi")]
    assert sorted(p.name for p in lab.iterdir()) == ["pulumi"]


def test_lab_down_keep_hosts_keeps_the_hosts_keys_credentials_and_proxy_folder(
    lab: Path, reference_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for folder in ("ssh", "secrets", "toxiproxy"):
        (lab / folder).mkdir(parents=True)
    data = down_json(reference_path, capsys)
    assert data["kept"] == [str(lab / n) for n in ("ssh", "secrets", "toxiproxy")]
    assert sorted(p.name for p in lab.iterdir()) == ["secrets", "ssh", "toxiproxy"]


def test_an_empty_lab_folder_goes_too(lab: Path, reference_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (lab / "clusters").mkdir(parents=True)
    down_json(reference_path, capsys)
    assert not lab.exists()


def test_lab_down_text_names_what_it_removed(
    lab: Path, reference_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (lab / "kind").mkdir(parents=True)
    assert cli.run(["lab", "down", "-t", str(reference_path), "--keep-hosts"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == ["clusters: 0 processes stopped, 0 kind clusters deleted", f"removed {lab / 'kind'}"]


def test_lab_down_json_is_an_object_when_it_fails(
    lab: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.run(["lab", "down", "-t", str(tmp_path / "missing.yaml"), "--keep-hosts", "-o", "json"]) == 2
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False and data["exit_code"] == 2 and data["error"]


def test_lab_hosts_down_reports_container_and_network_names() -> None:
    steps = [
        StepResult("toxiproxy", "server", "removed"),
        StepResult("container", "gc-nc-prod-database-1", "removed"),
        StepResult("container", "gc-nc-aa-database-1", "removed"),
        StepResult("network", "gc-nc-prod", "removed"),
    ]
    report = json.loads(json.dumps(lab_cli.down_report(steps)))
    assert report == {
        "ok": True,
        "exit_code": 0,
        "error": None,
        "toxiproxy": "removed",
        "containers": ["gc-nc-prod-database-1", "gc-nc-aa-database-1"],
        "networks": ["gc-nc-prod"],
    }
    assert lab_cli.down_lines(report) == [
        "lab hosts: removed 2 containers, 1 networks",
        "  container gc-nc-prod-database-1",
        "  container gc-nc-aa-database-1",
        "  network   gc-nc-prod",
    ]
