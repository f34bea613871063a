"""Each KPI computed from a small province: its value, its breakdown, and who keeps it from 100%."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from govcloud.load import load_text
from govcloud.model import decode
from govcloud.model.topology import KpiMetric
from govcloud.plan import KpiValue, Plan, build_plan
from govcloud.plan.kpis import METRICS

MINIMAL = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "fixtures" / "minimal.yaml").read_text(encoding="utf-8")
)
ALL = [
    {"metric": m.value, "target": 1.0 if m != KpiMetric.CAPACITY_HEADROOM else 0.2, "source": "test"} for m in KpiMetric
]


def plan_of(data: dict[str, Any]) -> Plan:
    return build_plan(decode(load_text(yaml.safe_dump(data, allow_unicode=True), "t.yaml")))


def kpis(change=None) -> dict[str, KpiValue]:
    data = copy.deepcopy(MINIMAL)
    data["kpis"] = ALL
    if change:
        change(data)
    return {k.metric.value: k for k in plan_of(data).kpis}


def system(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(s for s in data["systems"] if s["name"] == name)


def test_every_metric_the_model_accepts_has_a_definition_and_a_computation() -> None:
    assert set(METRICS) == set(KpiMetric)
    assert all(m.definition and m.basis and m.title for m in METRICS.values())


def test_cloud_adoption_names_the_self_hosted_systems() -> None:
    def self_host(d):
        s = system(d, "permits")
        s["hosting"] = "self-hosted"
        del s["tenant"]

    k = kpis(self_host)["cloud-adoption"]
    assert (k.numerator, k.denominator, k.met) == (3, 4, False)
    assert [(m.name, m.department, m.path) for m in k.misses] == [("permits", "Water bureau", ("systems", 3))]


def test_e_seal_coverage_counts_departments_and_names_the_one_without() -> None:
    def no_seal(d):
        system(d, "permits")["uses"] = ["licence"]

    k = kpis(no_seal)["e-seal-coverage"]
    assert (k.numerator, k.denominator) == (2, 3)
    assert [(m.kind, m.name) for m in k.misses] == [("department", "Water bureau")]
    assert "permits" in k.misses[0].reason


def test_ipv6_coverage_is_the_weakest_part_and_names_the_zone_and_its_systems() -> None:
    def v4_only(d):
        water = next(c for c in d["clouds"] if c["name"] == "water")
        del water["zones"][0]["ipv6"]

    k = kpis(v4_only)["ipv6-coverage"]
    parts = {g.label: (g.numerator, g.denominator) for g in k.groups}
    assert parts["cloud zones"] == (10, 11) and parts["extranet nodes"][0] == parts["extranet nodes"][1]
    assert k.value == pytest.approx(3 / 4)  # the weakest part: permits lost IPv6 with its zone
    assert {m.name for m in k.misses} == {"water/extranet", "permits"}
    assert not k.met


def test_ipv6_coverage_of_a_dual_stack_province_is_full() -> None:
    k = kpis()["ipv6-coverage"]
    assert k.value == 1.0 and k.met and k.misses == ()


def test_backup_coverage_is_judged_per_mlps_level() -> None:
    k = kpis()["backup-coverage"]
    levels = {g.label: (g.numerator, g.denominator) for g in k.groups}
    assert levels == {"MLPS 2": (1, 3), "MLPS 4": (1, 1)}
    assert {m.name for m in k.misses} == {"permits", "portal-gateway"}
    assert all("declares no DR" in m.reason for m in k.misses)
    assert not k.met


def test_a_level_3_system_with_scheduled_backups_misses_backup_coverage() -> None:
    def scheduled(d):
        system(d, "registry")["dr"]["replication"] = "scheduled"

    k = kpis(scheduled)["backup-coverage"]
    miss = next(m for m in k.misses if m.name == "registry")
    assert "real-time replication" in miss.reason


def test_dr_level_lists_every_cloud_hosted_system_and_why_a_level_is_not_backed() -> None:
    def level6_on_a_city(d):
        system(d, "alpha-hall")["dr"] = {"level": 6, "rto": "30m", "rpo": "0s", "replication": "realtime"}

    k = kpis(level6_on_a_city)["dr-level"]
    assert [g.label for g in k.groups] == ["alpha-hall", "permits", "portal-gateway", "registry"]
    why = {m.name: m.reason for m in k.misses}
    assert "no active-active centre" in why["alpha-hall"]
    assert "declares no DR level" in why["permits"]
    registry = next(g for g in k.groups if g.label == "registry")
    assert registry.value == 1.0 and "→ p-dr" in registry.note


def test_capacity_headroom_is_the_tightest_centre_and_names_its_tenants() -> None:
    def grow(d):
        core = next(t for t in d["tenants"] if t["name"] == "core")
        core["quota"] = {"cpu": 180, "memory_gib": 700}

    k = kpis(grow)["capacity-headroom"]
    by_centre = {g.label: g.value for g in k.groups}
    assert by_centre["p-prod"] == pytest.approx(1 - 190 / 200)  # cores: 180 + 10 of 200 × 1.0
    assert k.value == pytest.approx(min(by_centre.values()))
    assert not k.met
    named = [(m.kind, m.name) for m in k.misses]
    assert ("centre", "p-prod") in named and ("tenant", "core") in named
    assert named.index(("tenant", "core")) < named.index(("tenant", "edge"))  # the biggest share first


def test_kpis_without_a_target_are_not_computed() -> None:
    data = copy.deepcopy(MINIMAL)
    data["kpis"] = [{"metric": "dr-level", "target": 0.5, "source": "test"}]
    assert [k.metric for k in plan_of(data).kpis] == [KpiMetric.DR_LEVEL]
