"""Lab hosts library: profiles, docker arguments, state folder (no docker needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from govcloud import pipeline
from govcloud.lab import hosts
from govcloud.lab.profiles import compact_clouds, select

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def plan():  # type: ignore[no-untyped-def]
    return pipeline.load_plan(ROOT / "topology.yaml")


def test_full_profile_is_every_host(plan) -> None:  # type: ignore[no-untyped-def]
    assert [h.name for h in select(plan.lab, plan.topology, "full")] == [h.name for h in plan.lab.hosts]


def test_compact_profile_keeps_every_dr_path(plan) -> None:  # type: ignore[no-untyped-def]
    chosen = {h.name for h in select(plan.lab, plan.topology, "compact")}
    assert compact_clouds(plan.topology) == ["provincial", "nanchang", "jiujiang", "water"]
    assert len(chosen) == 13
    for link in plan.lab.backups:
        if link.source in chosen:
            assert link.target in chosen
    for link in plan.lab.replication:
        if link.primary in chosen:
            assert link.standby in chosen
    assert {r.mode for r in plan.lab.replication if r.primary in chosen} == {"sync", "async"}


def test_unknown_profile_is_refused(plan) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="unknown lab profile"):
        select(plan.lab, plan.topology, "tiny")


def test_container_args_use_the_plan_addresses(plan, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    h = next(h for h in plan.lab.hosts if h.name == "nc-aa-database-1")
    args = hosts.container_args(h, "govcloud/labhost:abc", tmp_path)
    assert args[:3] == ["create", "--name", "gc-nc-aa-database-1"]
    assert args[args.index("--ip") + 1] == "172.29.1.10"
    assert args[args.index("--network") + 1] == "gc-nc-aa"
    assert f"{hosts.LABEL}={hosts.lab_id(tmp_path)}" in args
    assert f"{hosts.LAB_DIR_LABEL}={tmp_path.resolve()}" in args
    assert "--privileged" not in args and "--cap-add" not in args
    assert args[-1] == "govcloud/labhost:abc"


def test_each_lab_folder_labels_its_hosts_with_its_own_id(tmp_path: Path) -> None:
    # one lab's `down` filters on its own id: another folder's hosts are never among them
    a, b = tmp_path / "a" / ".lab", tmp_path / "b" / ".lab"
    assert hosts.lab_id(a) != hosts.lab_id(b)
    assert hosts.lab_id(a) == hosts.lab_id(tmp_path / "a" / "x" / ".." / ".lab")
    assert len(hosts.lab_id(a)) == 12


def test_down_removes_only_the_containers_and_networks_of_its_own_lab(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    calls: list[tuple[str, ...]] = []

    def docker(
        self: hosts.Docker, *args: str, check: bool = True, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        calls.append(args)
        return subprocess.CompletedProcess([self.binary, *args], 0, "", "")

    monkeypatch.setattr(hosts.Docker, "run", docker)
    monkeypatch.setattr(hosts.Docker, "ping", lambda self: None)
    hosts.down(state=tmp_path)
    filters = [a[a.index("--filter") + 1] for a in calls if "--filter" in a]
    assert filters == [f"label={hosts.LABEL}={hosts.lab_id(tmp_path)}"] * 2


def test_up_refuses_a_container_of_another_lab_by_the_same_name(
    plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from govcloud.diagnostics import UsageError

    h = plan.lab.hosts[0]
    other = {"Config": {"Labels": {hosts.LABEL: "0123456789ab", hosts.LAB_DIR_LABEL: "/elsewhere/.lab"}}}
    monkeypatch.setattr(hosts.Docker, "inspect", lambda self, kind, name: other)
    with pytest.raises(UsageError, match=r"belongs to another lab \(made by /elsewhere/.lab\)"):
        hosts.ensure_container(hosts.Docker(), h, "img", tmp_path / "k.pub", tmp_path, recreate=False)


def test_lab_sysctls_equal_the_base_role_defaults() -> None:
    defaults = yaml.safe_load((ROOT / "roles" / "base" / "defaults" / "main.yml").read_text())
    assert {k: str(v) for k, v in defaults["base_sysctl"].items()} == hosts.LAB_SYSCTLS


def test_lab_dir_env_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from govcloud.lab.state import lab_dir

    monkeypatch.delenv("GOVCLOUD_LAB_DIR", raising=False)
    assert lab_dir(tmp_path) == tmp_path.resolve() / ".lab"
    monkeypatch.setenv("GOVCLOUD_LAB_DIR", str(tmp_path / "elsewhere"))
    assert lab_dir(tmp_path) == tmp_path.resolve() / "elsewhere"


def test_keypair_is_private_and_made_once(tmp_path: Path) -> None:
    key, made = hosts.ensure_keypair(tmp_path)
    assert made and key == tmp_path / "ssh" / "id_ed25519"
    assert key.stat().st_mode & 0o777 == 0o600
    first = key.read_bytes()
    again, made = hosts.ensure_keypair(tmp_path)
    assert not made and again.read_bytes() == first


def test_keypair_is_made_in_process_in_openssh_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    def no_processes(*_: object, **__: object) -> None:
        raise AssertionError("the unit tier runs no processes")

    monkeypatch.setattr(subprocess, "run", no_processes)
    key, made = hosts.ensure_keypair(tmp_path)
    assert made and key.read_bytes().startswith(b"-----BEGIN OPENSSH PRIVATE KEY-----")
    kind, blob, comment = key.with_suffix(".pub").read_text().split()
    assert (kind, comment) == ("ssh-ed25519", "govcloud-lab") and blob.startswith("AAAAC3NzaC1lZDI1NTE5")


def test_hosts_status_text_lists_every_host_and_the_strays(
    plan, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    """`govcloud lab hosts status` in text, against what `docker ps` would answer (no docker run)."""
    import json
    import subprocess

    from govcloud import cli

    first = plan.lab.hosts[0]
    ps = [
        {"Names": hosts.CONTAINER_PREFIX + first.name, "State": "running", "Image": "govcloud/labhost:abc"},
        {"Names": "gc-left-over", "State": "exited", "Image": "govcloud/labhost:old"},
    ]

    def docker(
        self: hosts.Docker, *args: str, check: bool = True, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        out = {"ps": "\n".join(json.dumps(r) for r in ps), "network": "gc-backbone\ngc-nc-aa\n"}.get(args[0], "")
        return subprocess.CompletedProcess([self.binary, *args], 0, out, "")

    monkeypatch.setattr(hosts.Docker, "run", docker)
    assert cli.run(["lab", "hosts", "status", "-t", str(ROOT / "topology.yaml")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"lab hosts: 1 of {len(plan.lab.hosts)} running; networks: 2"
    assert lines[1].split()[:2] == [hosts.CONTAINER_PREFIX + first.name, "running"]
    assert lines[-1].split() == ["gc-left-over", "(not", "in", "the", "topology)"]
    assert len(lines) == 1 + len(plan.lab.hosts) + 1
