"""One truth for the file format: the JSON Schema editors use accepts exactly what the loader
accepts, wherever a schema can say it (the model/types.py checks a schema cannot state — cron
ranges, host bits, province totals — are the only exemptions, listed below)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from govcloud.diagnostics import GovcloudError
from govcloud.load import Document, load_file
from govcloud.model import decode
from govcloud.model.schema import topology_schema

ROOT = Path(__file__).resolve().parents[3]
CASES = sorted((ROOT / "tests" / "unit" / "rules" / "cases").glob("*.yaml"))
VALID = [ROOT / "topology.yaml", ROOT / "tests/fixtures/minimal.yaml", ROOT / "tests/unit/render/small-topology.yaml"]
VALID += [ROOT / "examples/guangdong.yaml"]  # the second province, written from the docs alone
VALID += [c for c in CASES if not c.name.startswith(("GC000", "GC001", "GC002", "GC003"))]
STRUCTURAL = [c for c in CASES if c.name.startswith(("GC002", "GC003"))]
VALIDATOR = Draft202012Validator(topology_schema())
MINIMAL = load_file(ROOT / "tests/fixtures/minimal.yaml").data

# fields whose full check needs code: the schema states their shape, the model the rest
DURATIONS = {"rto", "rpo"}
EXEMPT_LEAVES = {"ipv4", "ipv6", "pod_ipv4", "pod_ipv6", "service_ipv4", "service_ipv6", "backup_schedule"}


def schema_errors(data: Any) -> list[str]:
    return [e.message for e in VALIDATOR.iter_errors(data)]


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_the_schema_accepts_every_topology_the_loader_accepts(path: Path) -> None:
    assert schema_errors(load_file(path).data) == []


@pytest.mark.parametrize("path", STRUCTURAL, ids=[p.stem for p in STRUCTURAL])
def test_the_schema_rejects_every_structural_fault_the_loader_rejects(path: Path) -> None:
    assert schema_errors(load_file(path).data)


def _leaves(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in _leaves(v, (*prefix, k))]
    if isinstance(node, list):
        return [p for i, v in enumerate(node[:2]) for p in _leaves(v, (*prefix, i))] or [prefix]
    return [prefix]


LEAVES = [p for p in _leaves(MINIMAL) if p and p[-1] not in EXEMPT_LEAVES]
values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 70_000),
    st.sampled_from([0, 1, 4, 5, 6, 7, 64, 65, 200, 201, 5000, 5001, 65535, 65536, 10**7, 10**7 + 1, 10**12]),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(["", "x", "3", "30m", "0s", "-1s", "366d", "367d", "production", "extranet", "360100", "x" * 201]),
    st.lists(st.integers(0, 70_000), max_size=3),
)


def _decodes(data: Any) -> bool:
    try:
        decode(Document("m.yaml", data))
    except GovcloudError as e:
        assert {d.rule for d in e.diagnostics} <= {"GC002", "GC003"}
        return False
    return True


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(LEAVES), value=values)
def test_schema_and_loader_agree_on_any_single_value(path: tuple[Any, ...], value: Any) -> None:
    # JSON Schema counts 3.0 as an integer (draft 2020-12 §6.1.1); the loader, strict, does not
    assume(not (isinstance(value, float) and value.is_integer()))
    # a duration's pattern cannot say "at most 366d"; its integer form (seconds) has the bound
    assume(not (path[-1] in DURATIONS and isinstance(value, str)))
    data = copy.deepcopy(MINIMAL)
    node = data
    for k in path[:-1]:
        node = node[k]
    node[path[-1]] = value
    assert _decodes(data) == (schema_errors(data) == []), (path, value, schema_errors(data)[:2])


def test_yaml_fixture_is_the_one_the_loader_reads() -> None:
    # the property test mutates the loader's own data; the plain YAML reading must match it
    assert yaml.safe_load((ROOT / "tests/fixtures/minimal.yaml").read_text(encoding="utf-8")) == MINIMAL
