"""The topology's JSON Schema, exported from the pydantic models."""

from __future__ import annotations

from typing import Any

from govcloud.model.topology import Topology


def topology_schema() -> dict[str, Any]:
    schema = Topology.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://govcloud.dev/schemas/topology-v1alpha1.json"
    return schema
