"""The whole-city drill's pure parts: nothing is declared without the confirmation, the load reaches
the DR centre's service address too, and the configurations the failback writes match the roles'."""

from __future__ import annotations

from pathlib import Path

import pytest

from govcloud import pipeline
from govcloud.diagnostics import UsageError
from govcloud.drill import disaster
from govcloud.drill.cluster import drill_cluster
from govcloud.drill.dcs import peer_url
from govcloud.drill.records import known_scenario, open_run
from govcloud.plan.ha import SERVICE_PORT

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def plan():  # type: ignore[no-untyped-def]
    return pipeline.load_plan(ROOT / "topology.yaml")


def test_a_disaster_is_not_declared_without_the_confirmation(plan, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GOVCLOUD_REPORTS_DIR", str(tmp_path))
    run = open_run("20261202T000000Z-whole-city", create=True)
    with pytest.raises(UsageError, match="--confirm-disaster"):
        disaster.declare(drill_cluster(plan, tmp_path), run, lambda _: None, confirmed=False)
    assert run.events() == []  # refused before anything was touched or recorded


def test_the_whole_city_load_writes_through_the_dr_centres_service_address_first(plan, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "pg-drill-provincial").write_text("pw\n")
    usual = drill_cluster(plan, tmp_path).conninfo()
    dc = drill_cluster(plan, tmp_path, dr_service=True)
    hosts = dict(p.split("=", 1) for p in dc.conninfo().split())["host"].split(",")
    assert hosts == [str(m.ipv4) for m in (dc.remote, dc.production, dc.same_city)]
    assert str(dc.remote.ipv4) not in usual  # type: ignore[union-attr]


def test_the_lost_city_is_the_primary_clusters_two_centres(plan, tmp_path) -> None:  # type: ignore[no-untyped-def]
    dc = drill_cluster(plan, tmp_path)
    assert disaster.city_centres(dc) == ["nc-prod", "nc-aa"]


def test_the_dr_cluster_becomes_the_standby_cluster_the_patroni_role_renders(plan, tmp_path) -> None:  # type: ignore[no-untyped-def]
    dc = drill_cluster(plan, tmp_path)
    remote = dc.remote
    assert remote is not None
    block = disaster._standby_of_city(remote)
    assert block == {
        "host": "127.0.0.1",
        "port": SERVICE_PORT,
        "primary_slot_name": "gz_dr_database_1",
        "create_replica_methods": ["basebackup"],
    }
    template = (ROOT / "roles/patroni/templates/patroni.yml.j2").read_text()
    for key in block:
        assert f"{key}:" in template


def test_a_rebuilt_member_is_announced_at_the_peer_url_etcd_advertises(plan, tmp_path) -> None:  # type: ignore[no-untyped-def]
    dc = drill_cluster(plan, tmp_path)
    assert peer_url(dc.production) == "http://nc-prod-database-1.ha:2380"
    template = (ROOT / "roles/patroni/templates/etcd.yml.j2").read_text()
    assert "initial-advertise-peer-urls: http://{{ inventory_hostname }}.ha:{{ patroni_etcd_peer_port }}" in template


def test_whole_city_runs_are_known_scenarios() -> None:
    assert known_scenario("whole-city") and known_scenario("whole-city-failback")
