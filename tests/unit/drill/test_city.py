"""The city drill's pure parts: which hosts a city's loss involves, where the load generator writes
before and after the takeover, and how the copy's rows are judged against what was acknowledged."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from govcloud import pipeline
from govcloud.diagnostics import UsageError
from govcloud.drill.checker import Write
from govcloud.drill.city import TAKEOVER_PORT, city_clouds, city_drill
from govcloud.drill.city_steps import ARCHIVE_TIMEOUT_S, _prefix_hole
from govcloud.drill.records import known_scenario
from govcloud.model.types import parse_duration

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def plan():  # type: ignore[no-untyped-def]
    return pipeline.load_plan(ROOT / "topology.yaml")


def test_every_city_cloud_of_the_reference_can_be_drilled(plan) -> None:  # type: ignore[no-untyped-def]
    assert city_clouds(plan) == [c.name for c in plan.topology.clouds if c.kind == "city"]


def test_a_city_is_restored_at_the_backup_host_of_its_partner(plan) -> None:  # type: ignore[no-untyped-def]
    cd = city_drill(plan, Path("/nonexistent"), "jiujiang")
    assert (cd.source.name, cd.partner.name) == ("jiujiang-dc-database-1", "jingdezhen-dc-backup-1")
    assert {h.name for h in cd.city_hosts()} == {"jiujiang-dc-database-1", "jiujiang-dc-backup-1"}
    assert cd.scenario == "city-jiujiang"


def test_the_load_writes_to_the_city_first_and_to_the_partners_copy_once_it_serves(plan, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "pg-drill-nanchang-dc-database-1").write_text("s3cret\n")
    cd = city_drill(plan, tmp_path, "nanchang")
    info = dict(kv.split("=", 1) for kv in cd.conninfo().split())
    assert info["host"] == f"{cd.source.ipv4},{cd.partner.ipv4}"
    assert info["port"] == f"5432,{TAKEOVER_PORT}"
    assert (info["password"], info["target_session_attrs"]) == ("s3cret", "read-write")
    assert cd.node_name(f"{cd.partner.ipv4}/32") == "jiujiang-dc-backup-1"


def test_an_unknown_city_names_the_cities_that_can_be_drilled(plan) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UsageError, match="cities: nanchang, jingdezhen"):
        city_drill(plan, Path("/nonexistent"), "atlantis")


def test_city_run_ids_are_known_scenarios_and_a_bare_city_is_not() -> None:
    assert known_scenario("city-jiujiang") and known_scenario("partition")
    assert not known_scenario("city-") and not known_scenario("city") and not known_scenario("whole")


def _w(seq: int, ack: float | None) -> Write:
    return Write(seq, sent=(ack or 0) - 0.01, ack=ack, node="10.0.0.1")


def test_the_copy_holding_a_prefix_of_the_acknowledged_writes_has_no_hole() -> None:
    writes = [_w(1, 1.0), _w(2, 2.0), _w(3, 3.0), _w(4, None)]
    assert _prefix_hole(writes, Counter({1: 1, 2: 1})) is None
    assert _prefix_hole(writes, Counter()) is None  # nothing shipped yet is still a prefix


def test_a_write_missing_before_a_surviving_one_is_a_hole() -> None:
    writes = [_w(1, 1.0), _w(2, 2.0), _w(3, 3.0)]
    assert _prefix_hole(writes, Counter({1: 1, 3: 1})) == 2


def test_the_drill_bounds_loss_by_the_archive_timeout_the_role_configures() -> None:
    defaults = yaml.safe_load((ROOT / "roles/postgresql/defaults/main.yml").read_text(encoding="utf-8"))
    assert parse_duration(defaults["postgresql_archive_timeout"]) == ARCHIVE_TIMEOUT_S


def test_the_drill_writes_to_the_port_the_takeover_script_serves() -> None:
    defaults = yaml.safe_load((ROOT / "roles/backup/defaults/main.yml").read_text(encoding="utf-8"))
    assert defaults["backup_takeover_port"] == TAKEOVER_PORT
