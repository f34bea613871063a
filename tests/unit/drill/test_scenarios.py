"""`govcloud drill plan`: every scenario the topology implies, what it touches, what judges it, and
whether the lab runs it today; its JSON matches the published schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from govcloud import cli, pipeline
from govcloud.drill.scenarios import Scenario, drill_plan

ROOT = Path(__file__).resolve().parents[3]
SCHEMA = json.loads((ROOT / "docs" / "drill-plan.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def reference() -> dict[str, Scenario]:
    return {s.name: s for s in drill_plan(pipeline.load_plan(ROOT / "topology.yaml")).scenarios}


def test_the_reference_implies_four_ha_drills_a_whole_city_and_one_per_city_cloud(reference) -> None:  # type: ignore[no-untyped-def]
    plan = pipeline.load_plan(ROOT / "topology.yaml")
    cities = [c.name for c in plan.topology.clouds if c.kind == "city"]
    assert list(reference) == [
        "same-city:nc-prod",
        "partition:nc-prod",
        "switchover:nc-prod",
        "failback:nc-prod",
        "cluster-loss:nc-prod",
        "whole-city:360100",
        *[f"city:{c}" for c in cities],
    ]
    assert len(cities) == 11


def test_every_scenario_of_the_reference_runs_today_the_whole_city_behind_a_confirmation(reference) -> None:  # type: ignore[no-untyped-def]
    running = {n for n, s in reference.items() if s.runs_today}
    cities = {n for n in reference if n.startswith("city:")}
    ha = {"same-city:nc-prod", "partition:nc-prod", "switchover:nc-prod", "failback:nc-prod"}
    assert running == {*ha, "cluster-loss:nc-prod", "whole-city:360100", *cities}
    assert reference["whole-city:360100"].command == (
        "ansible-playbook playbooks/dr-drill.yml -e scenario=whole-city -e confirm_disaster=yes"
    )
    for s in reference.values():
        assert s.status == ("runs" if s.runs_today else "planned")
        assert (s.command is not None) == s.runs_today
        assert s.runs_today or "planned:" in s.note
    assert reference["same-city:nc-prod"].command == "ansible-playbook playbooks/dr-drill.yml -e scenario=same-city"
    assert reference["failback:nc-prod"].command == "ansible-playbook playbooks/failback.yml"
    city = "ansible-playbook playbooks/dr-drill.yml -e scenario=city -e city=jiujiang"
    assert reference["city:jiujiang"].command == city


def test_losing_the_production_centre_kills_its_hosts_and_promotes_the_same_city_member(reference) -> None:  # type: ignore[no-untyped-def]
    s = reference["same-city:nc-prod"]
    effects = {h.name: h.effect for h in s.hosts}
    assert effects == {
        "nc-prod-database-1": "killed",
        "nc-prod-backup-1": "killed",
        "nc-prod-gateway-1": "killed",
        "nc-aa-database-1": "promoted",
        "gz-dr-database-1": "follows",
    }
    assert [(c.name, c.effect) for c in s.clusters] == [("gc-nc-prod", "killed"), ("gc-nc-aa", "takes over")]
    assert s.lost_centres == ["nc-prod"] and s.recovery_centres == ["nc-aa", "gz-dr"]


def test_losing_the_production_cluster_stops_it_and_scales_up_the_remote_dr_standbys(reference) -> None:  # type: ignore[no-untyped-def]
    s = reference["cluster-loss:nc-prod"]
    assert [(c.name, c.effect) for c in s.clusters] == [
        ("gc-nc-prod", "stopped"),
        ("gc-nc-aa", "keeps serving"),
        ("gc-gz-dr", "scales up"),
    ]
    assert s.hosts == [] and s.lost_centres == ["nc-prod"] and s.recovery_centres == ["nc-aa", "gz-dr"]
    assert s.command == "govcloud drill cluster-loss"
    assert s.strictest is not None and s.strictest.system == reference["same-city:nc-prod"].strictest.system  # type: ignore[union-attr]


def test_a_switchover_demotes_one_member_and_promotes_the_other_touching_no_cluster(reference) -> None:  # type: ignore[no-untyped-def]
    s = reference["switchover:nc-prod"]
    assert [(h.name, h.effect) for h in s.hosts] == [
        ("nc-prod-database-1", "demoted"),
        ("nc-aa-database-1", "promoted"),
        ("gz-dr-database-1", "follows"),
    ]
    assert s.clusters == []
    back = reference["failback:nc-prod"]
    assert [(h.name, h.effect) for h in back.hosts][:2] == [
        ("nc-aa-database-1", "demoted"),
        ("nc-prod-database-1", "promoted"),
    ]


def test_the_provincial_drills_are_judged_against_the_strictest_provincial_system(reference) -> None:  # type: ignore[no-untyped-def]
    s = reference["same-city:nc-prod"]
    assert s.strictest is not None
    assert (s.strictest.system, s.strictest.dr_level, s.strictest.rto_s, s.strictest.rpo_s) == (
        "population-registry",
        6,
        1800,
        0,
    )
    assert s.systems[0] == s.strictest and len(s.systems) == 21
    assert [t.rto_s for t in s.systems] == sorted(t.rto_s for t in s.systems)


def test_losing_the_home_city_loses_every_centre_in_it_and_the_remote_dr_centre_takes_over(reference) -> None:  # type: ignore[no-untyped-def]
    plan = pipeline.load_plan(ROOT / "topology.yaml")
    s = reference["whole-city:360100"]
    in_city = [dc.name for c in plan.topology.clouds for dc in c.centres if dc.city == "360100"]
    assert s.lost_centres == in_city and {"nc-prod", "nc-aa", "nanchang-dc"} <= set(in_city)
    assert "gz-dr" in s.recovery_centres
    assert ("gz-dr-database-1", "takes over") in [(h.name, h.effect) for h in s.hosts]
    lost_hosts = {h.name for h in s.hosts if h.effect == "lost"}
    assert lost_hosts == {h.name for h in plan.lab.hosts if h.centre in in_city}
    # the city cloud of the same city restores at its backup partner (jiujiang)
    assert ("jiujiang-dc-backup-1", "restores") in [(h.name, h.effect) for h in s.hosts]
    # the industry clouds in that city back up to the provincial cloud: its DR centre's backup host restores them
    assert ("gz-dr-backup-1", "restores") in [(h.name, h.effect) for h in s.hosts]
    judged = {t.system for t in s.systems}
    assert {t.system for t in reference["same-city:nc-prod"].systems} < judged
    assert {t.system for t in reference["city:nanchang"].systems} <= judged


def test_a_city_drill_is_restored_by_its_backup_partner_and_judged_by_its_own_systems(reference) -> None:  # type: ignore[no-untyped-def]
    plan = pipeline.load_plan(ROOT / "topology.yaml")
    s = reference["city:jiujiang"]
    assert s.lost_centres == ["jiujiang-dc"] and s.recovery_centres == ["jingdezhen-dc"]
    assert [(h.name, h.effect) for h in s.hosts] == [
        ("jiujiang-dc-database-1", "lost"),
        ("jiujiang-dc-backup-1", "lost"),
        ("jingdezhen-dc-backup-1", "restores"),
    ]
    tenants = {t.name for t in plan.topology.tenants if t.cloud == "jiujiang"}
    own = {x.name for x in plan.topology.systems if x.tenant in tenants and x.dr is not None}
    assert {t.system for t in s.systems} == own and own


@pytest.mark.parametrize("topology", ["topology.yaml", "tests/fixtures/minimal.yaml"])
def test_drill_plan_json_matches_the_published_schema_and_is_stable(
    topology: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.run(["drill", "plan", "-t", str(ROOT / topology), "-o", "json"]) == 0
    first = capsys.readouterr().out
    assert cli.run(["drill", "plan", "-t", str(ROOT / topology), "-o", "json"]) == 0
    assert capsys.readouterr().out == first
    data = json.loads(first)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in Draft202012Validator(SCHEMA).iter_errors(data)]
    assert errors == []
    assert data["runnable"] + data["planned"] == len(data["scenarios"])


def test_drill_plan_of_a_missing_file_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.run(["drill", "plan", "-t", "no-such-topology.yaml"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "no-such-topology.yaml" in err
