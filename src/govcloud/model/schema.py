"""The topology's JSON Schema, exported from the pydantic models.

Field descriptions are the docstrings written under each field in model/topology.py. They are read
here, from the source, when a schema is asked for, rather than by pydantic (`use_attribute_docstrings`)
when the models are defined: that reparsed the module once per model, ~40 ms of every `validate`.
"""

from __future__ import annotations

import ast
import inspect
from types import ModuleType
from typing import Any

from pydantic import BaseModel

from govcloud.model import topology
from govcloud.model.topology import Topology


def field_docstrings(module: ModuleType) -> dict[str, dict[str, str]]:
    """class name -> field name -> the docstring under the field, for every class of `module`."""
    docs: dict[str, dict[str, str]] = {}
    for cls in ast.parse(inspect.getsource(module)).body:
        if not isinstance(cls, ast.ClassDef):
            continue
        fields = docs.setdefault(cls.name, {})
        for stmt, after in zip(cls.body, cls.body[1:], strict=False):
            if (
                isinstance(stmt, ast.AnnAssign)
                and isinstance(stmt.target, ast.Name)
                and isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)
            ):
                fields[stmt.target.id] = inspect.cleandoc(after.value.value)
    return docs


def _describe(schema: dict[str, Any], models: list[type[BaseModel]], docs: dict[str, dict[str, str]]) -> None:
    """Give each property of each model's definition its field's docstring as its description."""
    for model in models:
        body = schema if model is Topology else schema["$defs"].get(model.__name__)
        if body is None:
            continue
        props = body.get("properties", {})
        for name, info in model.model_fields.items():
            doc = docs.get(model.__name__, {}).get(name)
            key = info.alias or name
            if doc and key in props:  # the field's own words win over its type's (DivisionCode's, say)
                props[key] = dict(sorted({**props[key], "description": doc}.items()))  # pydantic sorts keys


def topology_schema() -> dict[str, Any]:
    schema = Topology.model_json_schema(by_alias=True, mode="validation")
    models = [m for m in vars(topology).values() if isinstance(m, type) and issubclass(m, BaseModel)]
    _describe(schema, models, field_docstrings(topology))
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://govcloud.dev/schemas/topology-v1alpha1.json"
    return schema
