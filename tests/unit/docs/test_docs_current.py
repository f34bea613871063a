"""docs/ generated from the code must match the code: run `make docs` after changing models or rules."""

from pathlib import Path

import pytest

from govcloud.docsgen import generated

DOCS = Path(__file__).resolve().parents[3] / "docs"


@pytest.mark.parametrize("name", sorted(generated()))
def test_generated_doc_is_current(name: str) -> None:
    assert (DOCS / name).read_text(encoding="utf-8") == generated()[name], f"docs/{name} is stale: run `make docs`"


def test_reference_documents_every_model() -> None:
    text = generated()["topology-reference.md"]
    for model in ("Centre", "Cloud", "System", "Tenant", "DrLevel", "TierAddressing"):
        assert f"## {model}" in text


def test_every_topology_field_has_a_description() -> None:
    from govcloud.model.schema import topology_schema

    s = topology_schema()
    bare = [
        f"{name}.{field}"
        for name, d in [("Topology", s), *s["$defs"].items()]
        for field, prop in d.get("properties", {}).items()
        if "description" not in prop
    ]
    assert not bare, f"fields without a docstring in model/topology.py: {bare}"
