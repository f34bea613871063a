"""The campaign `dr-drill.yml -e scenario=all` runs: what runs today with its lab hosts up, HA drills
first (each then failed back), cities after; what is left out says why."""

from __future__ import annotations

from pathlib import Path

import pytest

from govcloud import pipeline
from govcloud.drill.campaign import campaign
from govcloud.drill.scenarios import Scenario, scenarios

ROOT = Path(__file__).resolve().parents[3]
HA_CENTRES = frozenset({"nc-prod", "nc-aa", "gz-dr"})


@pytest.fixture(scope="module")
def plan_scenarios() -> tuple[list[Scenario], list[str]]:
    plan = pipeline.load_plan(ROOT / "topology.yaml")
    return scenarios(plan), [h.name for h in plan.lab.hosts]


def test_with_every_host_up_the_campaign_is_the_ha_drills_the_whole_city_then_every_city(plan_scenarios) -> None:  # type: ignore[no-untyped-def]
    found, hosts = plan_scenarios
    c = campaign(found, set(hosts), HA_CENTRES)
    names = [d.name for d in c.drills]
    assert names[:4] == ["same-city:nc-prod", "partition:nc-prod", "switchover:nc-prod", "whole-city:360100"]
    assert all(d.failback for d in c.drills[:4]) and not any(d.failback for d in c.drills[4:])
    assert [d.city for d in c.drills[4:]] == [s.cloud for s in found if s.kind == "city"]
    assert c.skipped == []


def test_a_city_whose_partner_is_not_up_is_skipped_with_the_missing_host(plan_scenarios) -> None:  # type: ignore[no-untyped-def]
    found, hosts = plan_scenarios
    c = campaign(found, set(hosts) - {"jingdezhen-dc-backup-1"})
    assert "city:jiujiang" not in [d.name for d in c.drills]
    assert any(s.startswith("city:jiujiang: lab hosts not up (jingdezhen-dc-backup-1") for s in c.skipped)


def test_no_host_up_means_no_drill(plan_scenarios) -> None:  # type: ignore[no-untyped-def]
    found, _ = plan_scenarios
    assert campaign(found, set()).drills == []


def test_the_whole_city_drill_needs_only_the_ha_clusters_hosts_up(plan_scenarios) -> None:  # type: ignore[no-untyped-def]
    found, hosts = plan_scenarios
    compact = {h for h in hosts if h.split("-database")[0].split("-backup")[0].split("-gateway")[0] in HA_CENTRES}
    c = campaign(found, compact, HA_CENTRES)
    assert "whole-city:360100" in [d.name for d in c.drills]
    assert not any(s.startswith("whole-city") for s in c.skipped)
    without_dr = campaign(found, compact - {"gz-dr-database-1"}, HA_CENTRES)
    assert any(s.startswith("whole-city:360100: lab hosts not up (gz-dr-database-1") for s in without_dr.skipped)
