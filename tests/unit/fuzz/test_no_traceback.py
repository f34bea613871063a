"""Property-based: whatever a topology file contains, govcloud answers with diagnostics, never a crash.

Mutations are applied to real topologies (the minimal fixture for speed, the reference province for a
few examples): drop a key, swap a value for another type, duplicate or empty a list, and raw bytes.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govcloud import pipeline, rules
from govcloud.diagnostics import GovcloudError
from govcloud.load import load_text
from govcloud.model import decode
from govcloud.plan import build_plan

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
MINIMAL = yaml.safe_load((FIXTURES / "minimal.yaml").read_text(encoding="utf-8"))
REFERENCE = yaml.safe_load((Path(__file__).resolve().parents[3] / "topology.yaml").read_text(encoding="utf-8"))

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**12),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.just("10.0.0.0/8"),
    st.just("2001:db8::/32"),
    st.just("30m"),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=6,
)


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node[:4]):  # the first few items are enough to reach every shape
            out += _paths(v, (*prefix, i))
    return out


def _mutate(doc: Any, data: st.DataObject) -> Any:
    doc = copy.deepcopy(doc)
    for _ in range(data.draw(st.integers(1, 3))):
        paths = [p for p in _paths(doc) if p]
        path = data.draw(st.sampled_from(paths))
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        key = path[-1]
        action = data.draw(st.sampled_from(["delete", "replace", "duplicate", "empty"]))
        if action == "delete":
            del parent[key]
        elif action == "replace":
            parent[key] = data.draw(values)
        elif action == "duplicate" and isinstance(parent[key], list) and parent[key]:
            parent[key].append(copy.deepcopy(parent[key][0]))
        elif action == "empty":
            parent[key] = type(parent[key])() if isinstance(parent[key], list | dict | str) else None
    return doc


def _run(text: str) -> None:
    try:
        doc = load_text(text, "fuzz.yaml")
        rules.run(build_plan(decode(doc)), doc)
    except GovcloudError as e:
        assert e.diagnostics and all(d.location is not None for d in e.diagnostics)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_minimal_topologies_never_crash(data: st.DataObject) -> None:
    _run(yaml.safe_dump(_mutate(MINIMAL, data), allow_unicode=True))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_reference_topologies_never_crash(data: st.DataObject) -> None:
    _run(yaml.safe_dump(_mutate(REFERENCE, data), allow_unicode=True))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_crash(tmp_path_factory: Any, blob: bytes) -> None:
    p = tmp_path_factory.mktemp("fuzz") / "t.yaml"
    p.write_bytes(blob)
    try:
        pipeline.check(p)
    except GovcloudError as e:
        assert e.exit_code in (1, 2)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#\n\t ,?%@`1")), max_size=80))
def test_yaml_shaped_noise_never_crashes(text: str) -> None:
    _run(text)
