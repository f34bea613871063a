"""No input can crash, hang or exhaust govcloud: every hostile file ends in exit 1 or 2 (or 0 when
it is in fact valid) within 10 s of CPU under a 2 GiB address-space limit, with no traceback.

The families: files that are not files, YAML that attacks the parser, scalars PyYAML cannot build,
and — generated from the model's own schema, not listed by hand — extreme numbers in every numeric
field and hostile text in every text field of the minimal topology. Hypothesis drives the mix.
"""

from __future__ import annotations

import copy
import os
import re
import socket
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govcloud.model.schema import topology_schema

from .limited import Outcome, run_all, run_limited

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]
MINIMAL_TEXT = (ROOT / "tests/fixtures/minimal.yaml").read_text(encoding="utf-8")
MINIMAL = yaml.safe_load(MINIMAL_TEXT)
SCHEMA = topology_schema()


def assert_clean(results: list[tuple[str, Outcome]]) -> None:
    for command, outcome in results:
        assert outcome.clean, f"{command}: exit {outcome.code}\n{outcome.stderr[-3000:]}"


# --- files that are not topology files ---------------------------------------------------------


def test_device_files_are_refused_at_once() -> None:
    for dev in ("/dev/zero", "/dev/urandom", "/dev/null", "/dev/stdin"):
        out = run_limited("validate", dev)
        assert out.code == 2 and "GC000" in out.stderr, (dev, out)


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "topology.yaml"
    os.mkfifo(fifo)
    out = run_limited("validate", str(fifo))
    assert out.code == 2 and "is a FIFO" in out.stderr


def test_a_socket_a_directory_and_a_symlink_loop_are_refused(tmp_path: Path) -> None:
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "s.yaml"))
    (tmp_path / "loop.yaml").symlink_to(tmp_path / "loop.yaml")
    for p in ("s.yaml", "loop.yaml", "."):
        out = run_limited("validate", str(tmp_path / p))
        assert out.code == 2 and "GC000" in out.stderr, (p, out)
    sock.close()


def test_a_file_over_the_size_limit_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as f:
        f.truncate(64 * 1024**3)  # sparse: 64 GiB that nothing may read
    out = run_limited("validate", str(big))
    assert out.code == 2 and "at most" in out.stderr


# --- YAML that attacks the parser ------------------------------------------------------------------

BILLION_LAUGHS = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10)
)
ALIASED_ZONES = MINIMAL_TEXT.replace(
    "    zones:\n      - {name: internet",
    "    zones: &z\n      - {name: internet",
    1,
)
PARSER_ATTACKS = {
    "recursive-alias": "a: &a [*a]\n",
    "recursive-mapping-alias": "a: &a {b: *a}\n",
    "billion-laughs": BILLION_LAUGHS,
    "deep-flow": "[" * 100_000,
    "deep-block": "".join(f"{' ' * i}k:\n" for i in range(2000)),
    "deep-through-aliases": "a: &a [[[[[[[[[[x]]]]]]]]]]\n"
    + "".join(f"b{i}: &b{i} [*{'a' if i == 0 else f'b{i - 1}'}]\n" for i in range(80)),
    "many-documents": "---\na: 1\n" * 1000,
    "merge-key": "a: &a {x: 1}\nb: {<<: *a}\n",
    "python-tag": "x: !!python/object/apply:os.system ['true']\n",
    "binary-tag": "x: !!binary aGVsbG8=\n",
    "set-tag": "x: !!set {a, b}\n",
    "wide-list": "x: [" + "0," * 400_000 + "0]\n",
    "long-key": ("k" * 1_000_000) + ": 1\n",
    "1000-aliased-zones-per-cloud": ALIASED_ZONES.replace("    zones: &z\n", "    zones: &z\n", 1)
    + "extra: ["
    + ", ".join(["*z"] * 1000)
    + "]\n",
}


@pytest.mark.parametrize("text", list(PARSER_ATTACKS.values()), ids=list(PARSER_ATTACKS))
def test_parser_attacks_end_in_a_located_error(tmp_path: Path, text: str) -> None:
    p = tmp_path / "t.yaml"
    p.write_text(text, encoding="utf-8")
    results = run_all(p, tmp_path / "out")
    assert_clean(results)
    assert results[0][1].code in (1, 2)  # none of these is a topology


# --- scalars PyYAML cannot build, anywhere in a real topology ---------------------------------------

BAD_SCALARS = ["!!int xyz", "!!bool maybe", "2024-13-45", "!!float abc", "9" * 5000, "!!int 0b102", "!!timestamp x"]


@pytest.mark.parametrize("scalar", BAD_SCALARS)
def test_scalars_yaml_cannot_build_are_located_gc001(tmp_path: Path, scalar: str) -> None:
    p = tmp_path / "t.yaml"
    p.write_text(MINIMAL_TEXT.replace("title: Lakeland", f"title: {scalar}", 1), encoding="utf-8")
    out = run_limited("validate", str(p))
    assert out.code == 1 and "error: GC001 invalid value" in out.stderr and ":35:10:" in out.stderr, out


# --- every field of the model, generated from its schema ----------------------------------------------


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = SCHEMA["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _kinds(node: dict[str, Any]) -> set[str]:
    node = _resolve(node)
    if "anyOf" in node:
        return set().union(*(_kinds(n) for n in node["anyOf"]))
    if "enum" in node or "const" in node:
        return {"enum"}
    t = node.get("type")
    return {t} if isinstance(t, str) else set(t or [])


def _skeleton(schema: dict[str, Any]) -> dict[str, Any] | None:
    """An optional section the data leaves out, built from its schema's defaults (a `lab:` or a
    `dr_policy:` block as the loader would fill it in); None when it has a field with no default."""
    schema = _resolve(schema)
    if schema.get("type") != "object" or "properties" not in schema:
        return None
    out: dict[str, Any] = {}
    for name, prop in schema["properties"].items():
        if "default" in prop:
            out[name] = copy.deepcopy(prop["default"])
        elif "object" in _kinds(prop) and (sub := _skeleton(prop)) is not None:
            out[name] = sub
        elif name in schema.get("required", []):
            return None
    return out


Field = tuple[tuple[Any, ...], set[str]]
"""A scalar field's path in the data (keys and list indexes) and the JSON types the schema gives it."""


def fields(
    schema: dict[str, Any], data: Any, path: tuple[Any, ...] = (), shape: tuple[str, ...] = ()
) -> dict[tuple[str, ...], Field]:
    """Every scalar field of the schema that `data` can hold, once per shape (`clouds.[].zones.[].name`):
    the first list item or map entry that has it gives its path. Optional fields the data leaves out
    are included too, and an optional section it leaves out is written into `data` from its
    defaults so its fields are reached."""
    schema = _resolve(schema)
    out: dict[tuple[str, ...], Field] = {}

    def add(found: dict[tuple[str, ...], Field]) -> None:
        for k, v in found.items():
            out.setdefault(k, v)

    for sub in schema.get("anyOf", []):
        if _resolve(sub).get("type") == "object" or "$ref" in sub:
            return fields(sub, data, path, shape)
    if schema.get("type") == "object" and "properties" in schema:
        for name, prop in schema["properties"].items():
            value = data.get(name) if isinstance(data, dict) else None
            kinds = _kinds(prop)
            if value is None and "object" in kinds and isinstance(data, dict):
                value = _skeleton(prop)
                if value is not None:
                    data[name] = value
            if kinds & {"object", "array"}:
                if value is not None:
                    add(fields(prop, value, (*path, name), (*shape, name)))
            else:
                out[(*shape, name)] = ((*path, name), kinds)
    elif schema.get("type") == "object" and isinstance(schema.get("additionalProperties"), dict):
        values = schema["additionalProperties"]
        keys = sorted(data) if isinstance(data, dict) else []
        if keys and not _kinds(values) & {"object", "array"}:  # a map of scalars (a centre's hosts per role)
            out[(*shape, "{}")] = ((*path, keys[0]), _kinds(values))
        for key in keys:
            add(fields(values, data[key], (*path, key), (*shape, "{}")))
    elif schema.get("type") == "array" and isinstance(data, list) and data:
        items = schema.get("items", {})
        if _kinds(items) & {"object", "array"}:
            for i, item in enumerate(data):
                add(fields(items, item, (*path, i), (*shape, "[]")))
        else:
            out[(*shape, "[]")] = ((*path, 0), _kinds(items))
    return out


def schema_leaves(schema: dict[str, Any], shape: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    """Every scalar field the schema declares, by shape, whatever any data holds."""
    schema = _resolve(schema)
    for sub in schema.get("anyOf", []):
        if _resolve(sub).get("type") == "object" or "$ref" in sub:
            return schema_leaves(sub, shape)
    if schema.get("type") == "object" and "properties" in schema:
        out: set[tuple[str, ...]] = set()
        for name, prop in schema["properties"].items():
            if _kinds(prop) & {"object", "array"}:
                out |= schema_leaves(prop, (*shape, name))
            else:
                out.add((*shape, name))
        return out
    if schema.get("type") == "object" and isinstance(schema.get("additionalProperties"), dict):
        values = schema["additionalProperties"]
        if not _kinds(values) & {"object", "array"}:
            return {(*shape, "{}")}
        return schema_leaves(values, (*shape, "{}"))
    if schema.get("type") == "array":
        items = schema.get("items", {})
        return schema_leaves(items, (*shape, "[]")) if _kinds(items) & {"object", "array"} else {(*shape, "[]")}
    return set()


SHAPES = fields(SCHEMA, MINIMAL)  # fills MINIMAL's missing optional sections from their defaults
FIELDS = list(SHAPES.values())
NUMERIC = [p for p, k in FIELDS if k & {"integer", "number"}]
TEXT = [p for p, k in FIELDS if "string" in k and not k & {"integer", "number"}]
CHOICES = [p for p, k in FIELDS if not k & {"integer", "number", "string"}]
"""The enum and boolean fields: one of a few values, which hostile text or a number must never be."""
HUGE_NUMBERS = [10**400, -(10**400), 2**63, 1e308, -1e308, float("inf"), float("nan"), "1000000", True]
"""Outside every field's bounds or of the wrong type: each must be a GC002."""
EDGE_NUMBERS = [-1, 0, 0.5, 2**31]
"""In bounds for some fields, not others: each must end cleanly."""
HOSTILE_TEXT = [
    "",
    "-rm",
    "x" * 100_000,
    "\x1b]0;owned\x07\x1b[2J",
    "\u202eevil",
    "a\nb",
    "../../../etc/passwd",
    "$(reboot)",
    "{{ lookup('pipe', 'id') }}",
    "名" * 300,
    "\ud7ff\ue000\U0010ffff",
]


def test_the_generated_fields_are_every_field_the_model_declares() -> None:
    # a new field in the model that no generated input reaches fails here: give the minimal
    # topology an example of it (or a default, for an optional section)
    assert sorted(schema_leaves(SCHEMA) - set(SHAPES)) == []
    assert len(NUMERIC) > 40 and len(TEXT) > 30 and len(CHOICES) > 15


def test_the_minimal_topology_with_its_defaults_written_out_is_valid(tmp_path: Path) -> None:
    # every generated input is this file with one value changed: it must itself be clean and valid
    out = run_limited("validate", str(_write(tmp_path, MINIMAL)))
    assert out.code == 0, out.stderr


def _put(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(MINIMAL)
    node = data
    for k in path[:-1]:
        node = node[k]
    node[path[-1]] = value
    return data


def _write(tmp: Path, data: dict[str, Any]) -> Path:
    p = tmp / "t.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True, width=10**9), encoding="utf-8")
    return p


@pytest.mark.parametrize("path", NUMERIC, ids=[".".join(map(str, p)) for p in NUMERIC])
def test_extreme_numbers_in_every_numeric_field(tmp_path: Path, path: tuple[Any, ...]) -> None:
    for value in HUGE_NUMBERS:
        results = run_all(_write(tmp_path, _put(path, value)), tmp_path / "out")
        assert_clean(results)
        assert results[0][1].code == 1 and "GC002" in results[0][1].stderr, (path, value)
    for value in EDGE_NUMBERS:
        assert_clean(run_all(_write(tmp_path, _put(path, value)), tmp_path / "out"))


@pytest.mark.parametrize("path", TEXT, ids=[".".join(map(str, p)) for p in TEXT])
def test_hostile_text_in_every_text_field(tmp_path: Path, path: tuple[Any, ...]) -> None:
    for value in HOSTILE_TEXT:
        assert_clean(run_all(_write(tmp_path, _put(path, value)), tmp_path / "out"))


WRONG_CHOICES = ["maybe", "", 2, 10**400, ["x"], "\x1b[2J"]
"""Not one of any enum's values, nor a boolean (YAML 1.1's yes/no are quoted strings once dumped)."""


@pytest.mark.parametrize("path", CHOICES, ids=[".".join(map(str, p)) for p in CHOICES])
def test_a_value_outside_every_choice_field_is_a_located_gc002(tmp_path: Path, path: tuple[Any, ...]) -> None:
    for value in WRONG_CHOICES:
        results = run_all(_write(tmp_path, _put(path, value)), tmp_path / "out")
        assert_clean(results)
        # apiVersion and kind are checked first, with their own rule (GC003); every other field is GC002
        rule = "GC003" if path in (("apiVersion",), ("kind",)) else "GC002"
        validate = results[0][1]
        assert validate.code == 1 and re.search(rf"t\.yaml:\d+:\d+: error: {rule} ", validate.stderr), (path, value)


anything = st.one_of(
    st.sampled_from(HUGE_NUMBERS + HOSTILE_TEXT),
    st.integers(),
    st.floats(),
    st.text(max_size=300),
    st.lists(st.integers(-5, 70_000), max_size=5),
    st.none(),
    st.booleans(),
)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(changes=st.lists(st.tuples(st.sampled_from([p for p, _ in FIELDS]), anything), min_size=1, max_size=4))
def test_any_mix_of_hostile_values_is_refused_or_accepted_cleanly(
    tmp_path_factory: pytest.TempPathFactory, changes: list[tuple[tuple[Any, ...], Any]]
) -> None:
    tmp = tmp_path_factory.mktemp("h")
    data = copy.deepcopy(MINIMAL)
    for path, value in changes:
        node = data
        for k in path[:-1]:
            node = node[k]
        node[path[-1]] = value
    assert_clean(run_all(_write(tmp, data), tmp / "out"))
