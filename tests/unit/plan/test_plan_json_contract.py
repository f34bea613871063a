"""`plan -o json` is a contract: it matches the schema published in docs/plan.schema.json, lists every
lab host and every lab network with its IPv6 range."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from govcloud import pipeline

ROOT = Path(__file__).resolve().parents[3]
SCHEMA = json.loads((ROOT / "docs" / "plan.schema.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "topology", ["topology.yaml", "tests/fixtures/minimal.yaml", "tests/unit/render/small-topology.yaml"]
)
def test_plan_json_matches_the_published_schema(topology: str) -> None:
    summary = json.loads(json.dumps(pipeline.load_plan(ROOT / topology).summary()))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in Draft202012Validator(SCHEMA).iter_errors(summary)]
    assert errors == []


def test_plan_json_lists_every_lab_host_with_its_addresses(reference_path: Path) -> None:
    plan = pipeline.load_plan(reference_path)
    hosts = plan.summary()["lab"]["hosts"]  # type: ignore[index]
    assert [h["name"] for h in hosts] == [h.name for h in plan.lab.hosts] and len(hosts) > 30
    first = hosts[0]
    assert {"ipv4", "ipv6", "backbone_ipv4", "network", "centre", "role"} <= set(first)
    assert first["ipv6"] is not None and ":" in first["ipv6"]


def test_plan_json_gives_each_centre_network_its_ipv6_range(reference_path: Path) -> None:
    nets = pipeline.load_plan(reference_path).summary()["lab"]["networks"]  # type: ignore[index]
    centres = [n for n in nets if n["centre"] is not None]
    assert centres and all(n["ipv6"] for n in centres)
    assert [n["name"] for n in nets if n["centre"] is None] == ["gc-backbone"]
