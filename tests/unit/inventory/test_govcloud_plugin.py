"""The govcloud inventory plugin's _populate(), against an in-memory inventory (no processes)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("ansible")

from ansible.errors import AnsibleParserError
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import inventory_loader

from govcloud import pipeline

ROOT = Path(__file__).resolve().parents[3]
TOPOLOGY = ROOT / "topology.yaml"
MINIMAL = ROOT / "tests" / "fixtures" / "minimal.yaml"

inventory_loader.add_directory(str(ROOT / "plugins" / "inventory"))


def plugin():  # type: ignore[no-untyped-def]
    p = inventory_loader.get("govcloud")
    assert p is not None, "ansible did not find plugins/inventory/govcloud.py"
    return p


@pytest.fixture(scope="module")
def jiangxi() -> InventoryData:
    inv = InventoryData()
    plugin()._populate(pipeline.load_plan(TOPOLOGY), inv)
    return inv


def members(inv: InventoryData, group: str) -> set[str]:
    return {h.name for h in inv.groups[group].get_hosts()}


def hostvars(inv: InventoryData, host: str) -> dict:
    return inv.get_host(host).get_vars()


def test_every_planned_host_is_in_the_inventory(jiangxi: InventoryData) -> None:
    plan = pipeline.load_plan(TOPOLOGY)
    assert set(jiangxi.hosts) == {h.name for h in plan.lab.hosts}
    assert len(jiangxi.hosts) == 35


def test_groups_by_cloud_centre_role_tier_and_dr_role(jiangxi: InventoryData) -> None:
    assert members(jiangxi, "cloud_provincial") == {
        "nc-prod-database-1",
        "nc-prod-backup-1",
        "nc-prod-gateway-1",
        "nc-aa-database-1",
        "nc-aa-gateway-1",
        "gz-dr-database-1",
        "gz-dr-backup-1",
    }
    assert members(jiangxi, "centre_nc_aa") == {"nc-aa-database-1", "nc-aa-gateway-1"}
    assert len(members(jiangxi, "role_database")) == 20
    assert members(jiangxi, "role_gateway") == {"nc-prod-gateway-1", "nc-aa-gateway-1"}
    assert len(members(jiangxi, "tier_city")) == 22
    assert len(members(jiangxi, "tier_industry")) == 6
    assert members(jiangxi, "dr_remote_dr") == {"gz-dr-database-1", "gz-dr-backup-1"}
    assert members(jiangxi, "dr_active_active") == {"nc-aa-database-1", "nc-aa-gateway-1"}


def test_group_names_are_valid(jiangxi: InventoryData) -> None:
    import re

    for name in jiangxi.groups:
        assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name), name


def test_group_tree_is_tier_cloud_centre(jiangxi: InventoryData) -> None:
    assert {g.name for g in jiangxi.groups["tier_provincial"].child_groups} == {"cloud_provincial"}
    assert {g.name for g in jiangxi.groups["cloud_provincial"].child_groups} == {
        "centre_nc_prod",
        "centre_nc_aa",
        "centre_gz_dr",
    }


def test_host_variables_come_from_the_plan(jiangxi: InventoryData) -> None:
    hv = hostvars(jiangxi, "nc-prod-database-1")
    assert hv["ansible_host"] == "172.29.0.10"
    assert hv["govcloud_backbone_ipv4"] == "172.29.255.10"
    assert hv["govcloud_mlps_level"] == 4
    assert hv["govcloud_dr_role"] == "production"
    assert hv["govcloud_container"] == "gc-nc-prod-database-1"
    assert hv["govcloud_pg_role"] == "primary"
    assert [(s["name"], s["mode"]) for s in hv["govcloud_pg_standbys"]] == [
        ("nc-aa-database-1", "sync"),
        ("gz-dr-database-1", "async"),
    ]
    assert hv["govcloud_backup_target"]["name"] == "gz-dr-backup-1"


def test_standbys_know_their_primary_and_mode(jiangxi: InventoryData) -> None:
    aa = hostvars(jiangxi, "nc-aa-database-1")
    dr = hostvars(jiangxi, "gz-dr-database-1")
    assert (aa["govcloud_pg_role"], aa["govcloud_pg_primary"], aa["govcloud_pg_sync_mode"]) == (
        "standby",
        "nc-prod-database-1",
        "sync",
    )
    assert (dr["govcloud_pg_role"], dr["govcloud_pg_sync_mode"]) == ("standby", "async")
    assert aa["govcloud_pg_primary_ipv4"] == "172.29.255.10"
    assert aa["govcloud_pg_application_name"] == "nc_aa_database_1"
    assert members(jiangxi, "pg_standby") == {"nc-aa-database-1", "gz-dr-database-1"}


def test_city_backups_go_to_the_partner_city(jiangxi: InventoryData) -> None:
    hv = hostvars(jiangxi, "nanchang-dc-database-1")
    assert hv["govcloud_backup_target"]["name"] == "jiujiang-dc-backup-1"
    sources = hostvars(jiangxi, "jiujiang-dc-backup-1")["govcloud_backup_sources"]
    assert [s["name"] for s in sources] == ["nanchang-dc-database-1"]
    gz = {s["name"] for s in hostvars(jiangxi, "gz-dr-backup-1")["govcloud_backup_sources"]}
    assert "nc-prod-database-1" in gz and "water-dc-database-1" in gz


def test_lab_profile_groups(jiangxi: InventoryData) -> None:
    assert len(members(jiangxi, "lab_full")) == 35
    compact = members(jiangxi, "lab_compact")
    assert members(jiangxi, "cloud_provincial") <= compact
    assert {"nanchang-dc-database-1", "jiujiang-dc-backup-1", "water-dc-database-1"} <= compact
    # every backup target of a compact database host is in the compact lab too
    for h in compact:
        target = hostvars(jiangxi, h).get("govcloud_backup_target")
        if target:
            assert target["name"] in compact


def test_minimal_fixture_populates(tmp_path: Path) -> None:
    inv = InventoryData()
    plugin()._populate(pipeline.load_plan(MINIMAL), inv)
    assert "role_database" in inv.groups
    assert any(g.startswith("cloud_") for g in inv.groups)


def _source(tmp_path: Path, topology: Path) -> Path:
    src = tmp_path / "lab.govcloud.yml"
    src.write_text(f"plugin: govcloud\ntopology: {topology}\n")
    return src


def test_parse_reads_the_source_file(tmp_path: Path) -> None:
    inv = InventoryData()
    p = plugin()
    src = _source(tmp_path, MINIMAL)
    assert p.verify_file(str(src))
    p.parse(inv, DataLoader(), str(src), cache=False)
    assert inv.hosts


def test_verify_file_wants_the_suffix(tmp_path: Path) -> None:
    other = tmp_path / "hosts.yml"
    other.write_text("plugin: govcloud\n")
    assert not plugin().verify_file(str(other))


def test_broken_topology_gives_located_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(MINIMAL.read_text().replace("backup_partner: beta", "backup_partner: alpha", 1))
    assert broken.read_text() != MINIMAL.read_text(), "fixture changed: pick another breakage"
    with pytest.raises(AnsibleParserError) as e:
        plugin().parse(InventoryData(), DataLoader(), str(_source(tmp_path, broken)), cache=False)
    msg = str(e.value)
    assert f"{broken}:" in msg
    assert "GC033" in msg or "error:" in msg
