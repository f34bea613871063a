"""Constrained scalar types shared by the topology models."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, StringConstraints, WithJsonSchema

NAME_PATTERN = r"^[a-z][a-z0-9-]{0,38}[a-z0-9]$"
# DNS-label-like, at most 40 characters, so "gc-<name>" stays a valid cluster, namespace and host name.
Name = Annotated[str, StringConstraints(pattern=NAME_PATTERN)]


def _code(v: Any) -> Any:
    return str(v) if isinstance(v, int) and not isinstance(v, bool) else v


# GB/T 2260 administrative division code: six digits (province 36xxxx → 360000, city 360100, county 360102).
DivisionCode = Annotated[str, BeforeValidator(_code), StringConstraints(pattern=r"^\d{6}$")]

_DURATION = re.compile(r"^(\d+)(s|m|h|d)$")
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(v: Any) -> Any:
    """'30m', '4h', '2d', '0s' → seconds (int). Integers are taken as seconds."""
    if isinstance(v, bool):
        raise ValueError("a duration is a number with a unit: 0s, 30s, 15m, 4h, 2d")
    if isinstance(v, int):
        return v
    if isinstance(v, str):
        m = _DURATION.match(v.strip())
        if m:
            return int(m.group(1)) * _UNIT[m.group(2)]
    raise ValueError("a duration is a number with a unit: 0s, 30s, 15m, 4h, 2d")


def format_duration(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


Duration = Annotated[
    int,
    BeforeValidator(parse_duration),
    PlainSerializer(format_duration, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^\d+(s|m|h|d)$", "examples": ["0s", "15m", "4h", "2d"]}),
]
