"""The base of every topology model: strict, and aware of where it was written."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, PrivateAttr

from govcloud.diagnostics import Path


class Node(BaseModel):
    """A mapping in the topology file. Unknown fields are errors (typos must not pass silently), and values
    are not converted: "3", 3.0 and `yes` are not the integer 3 (types.py relaxes this for enums and ranges)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, strict=True, allow_inf_nan=False)

    _path: Path = PrivateAttr(default=())

    @property
    def path(self) -> Path:
        """Where this node sits in the document: keys and list indexes from the root."""
        return self._path

    def at(self, *field: str | int) -> Path:
        """The path of one of this node's fields, for pointing a diagnostic at it."""
        return (*self._path, *field)


def assign_paths(node: object, path: Path = ()) -> None:
    """Record on every Node its path in the document, iteratively (the model can be 20k nodes deep-wide)."""
    stack: list[tuple[object, Path]] = [(node, path)]
    while stack:
        obj, p = stack.pop()
        if isinstance(obj, Node):
            obj._path = p
            for name, info in type(obj).model_fields.items():
                value = getattr(obj, name)
                if isinstance(value, Node | list | dict):
                    stack.append((value, (*p, info.alias or name)))
        elif isinstance(obj, list):
            stack.extend((v, (*p, i)) for i, v in enumerate(obj) if isinstance(v, Node))
        elif isinstance(obj, dict):
            stack.extend((v, (*p, str(k))) for k, v in obj.items() if isinstance(v, Node))
