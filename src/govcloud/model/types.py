"""Constrained scalar types shared by the topology models.

The models are strict (`Node` sets `strict=True`): a count is an integer, never the text "1000000",
a boolean or 3.0. The types here are where strictness is relaxed on purpose — YAML writes enums,
address ranges and division codes as text — and where every count, size and text gets the bound a
real province never reaches, so nothing downstream can be driven quadratic or unbounded.
"""

from __future__ import annotations

import re
from ipaddress import IPv4Network, IPv6Network, ip_network
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PlainSerializer,
    Strict,
    StringConstraints,
    WithJsonSchema,
)

NAME_PATTERN = r"^[a-z][a-z0-9-]{0,38}[a-z0-9]$"
# DNS-label-like, at most 40 characters, so "gc-<name>" stays a valid cluster, namespace and host name.
Name = Annotated[str, StringConstraints(pattern=NAME_PATTERN)]

Lax = Strict(False)
"""Enums are written as text in YAML: let pydantic turn 'production' into CentreRole.PRODUCTION."""

# --- text -------------------------------------------------------------------------------------

_ONE_LINE = r"^[^\x00-\x1f\x7f-\x9f]*$"  # no control characters: titles reach terminals and annotations
_FREE_TEXT = r"^[^\x00-\x08\x0b-\x1f\x7f-\x9f]*$"  # free text may also hold newlines and tabs

Title = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=_ONE_LINE)]
"""An official name: 江西省政务云, 社会保险信息系统 (the longest in the seeds is ~30 characters)."""
OptionalTitle = Annotated[str, StringConstraints(max_length=200, pattern=_ONE_LINE)]
Label = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=_ONE_LINE)]
"""A short word: a sector, a device kind."""
Department = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=_ONE_LINE)]
Source = Annotated[str, StringConstraints(min_length=1, max_length=500, pattern=_ONE_LINE)]
"""Where a figure comes from: a standard, a clause, a plan."""
Description = Annotated[str, StringConstraints(max_length=4000, pattern=_FREE_TEXT)]

# --- numbers: the models write Annotated[int, Field(ge=…, le=…)] with each field's own bounds ----

Level4 = Annotated[int, Field(ge=1, le=4)]
"""MLPS 2.0 protection level."""
Level6 = Annotated[int, Field(ge=1, le=6)]
"""GB/T 20988 disaster-recovery capability level."""

# --- codes --------------------------------------------------------------------------------------


def _code(v: Any) -> Any:
    return str(v) if isinstance(v, int) and not isinstance(v, bool) else v


# GB/T 2260 administrative division code: six digits (province 36xxxx → 360000, city 360100, county 360102).
# YAML reads an unquoted 360100 as an integer; both spellings are the same code.
DivisionCode = Annotated[
    str,
    BeforeValidator(_code),
    StringConstraints(pattern=r"^[1-9]\d{5}$"),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": r"^[1-9]\d{5}$"},
                {"type": "integer", "minimum": 100000, "maximum": 999999},
            ],
            "description": "GB/T 2260 division code, six digits",
        }
    ),
]

# --- durations ------------------------------------------------------------------------------------

_DURATION = re.compile(r"^(\d{1,6})(s|m|h|d)$")
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400}
MAX_DURATION_S = 366 * 86400
"""A year: GB/T 20988's slowest level recovers in days, a backup is kept for months."""
_DURATION_HELP = "a duration is a number with a unit: 0s, 30s, 15m, 4h, 2d"


def parse_duration(v: Any) -> Any:
    """'30m', '4h', '2d', '0s' → seconds (int). Integers are taken as seconds."""
    if isinstance(v, int) and not isinstance(v, bool):
        return v
    if isinstance(v, str):
        m = _DURATION.match(v.strip())
        if m:
            return int(m.group(1)) * _UNIT[m.group(2)]
    raise ValueError(_DURATION_HELP)


def format_duration(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


Duration = Annotated[
    int,
    BeforeValidator(parse_duration),
    Field(ge=0, le=MAX_DURATION_S),
    PlainSerializer(format_duration, return_type=str),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": r"^\d{1,6}(s|m|h|d)$", "examples": ["0s", "15m", "4h", "2d"]},
                {"type": "integer", "minimum": 0, "maximum": MAX_DURATION_S, "description": "seconds"},
            ]
        }
    ),
]

# --- address ranges ---------------------------------------------------------------------------------


def _network(version: int) -> Any:
    family = f"IPv{version}"

    def parse(v: Any) -> Any:
        example = "10.0.0.0/8" if version == 4 else "fd00::/8"
        if not isinstance(v, str) or "/" not in v:
            raise ValueError(f"an {family} range is written as text address/prefix, e.g. {example}")
        text = v.strip()
        try:
            loose = ip_network(text, strict=False)
        except ValueError:
            raise ValueError(f"{text!r} is not an {family} network (address/prefix, e.g. {example})") from None
        if loose.version != version:
            raise ValueError(f"{text!r} is an IPv{loose.version} range; this field takes {family}")
        try:
            return ip_network(text, strict=True)
        except ValueError:
            raise ValueError(f"{text!r} has host bits set: its /{loose.prefixlen} network is {loose}") from None

    pattern = r"^\d{1,3}(\.\d{1,3}){3}/\d{1,2}$" if version == 4 else r"^[0-9a-fA-F:.]+/\d{1,3}$"
    python = IPv4Network if version == 4 else IPv6Network
    return Annotated[
        python,
        BeforeValidator(parse),
        Lax,
        WithJsonSchema({"type": "string", "format": f"ipv{version}network", "pattern": pattern}),
    ]


IPv4Net = _network(4)
IPv6Net = _network(6)

# --- what reaches Kubernetes ------------------------------------------------------------------------

# The distribution reference grammar (github.com/distribution/reference, reference.go): an optional
# registry host with port, slash-separated lowercase path components, then a tag and/or a digest.
# Go's \w and \d are ASCII, so the classes are written out: a Unicode `\w` would let `pause:版本1`
# through, and it made pydantic-core's (Rust, Unicode) regex take ~20 ms of every start to compile.
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_DOMAIN = r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]+)?"
IMAGE_PATTERN = (
    rf"^(?:{_DOMAIN}/)?{_COMPONENT}(?:/{_COMPONENT})*(?::[0-9A-Za-z_][0-9A-Za-z_.-]{{0,127}})?"
    r"(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$"
)
ImageRef = Annotated[str, StringConstraints(min_length=1, max_length=255, pattern=IMAGE_PATTERN)]
"""A container image reference as the container runtime parses it (registry.k8s.io/pause:3.10)."""

# Kubernetes CronJob schedules are parsed by robfig/cron's standard parser: five fields, names for
# months and weekdays, `*`, `?`, ranges, lists and steps, or one of its @descriptors. croniter checks
# the ranges; the grammar check keeps out what croniter accepts and Kubernetes does not (L, W, #,
# seconds, H, CRON_TZ).
_DESCRIPTORS = frozenset({"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"})
_MONTHS = frozenset(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])
_DAYS = frozenset(["sun", "mon", "tue", "wed", "thu", "fri", "sat"])
_FIELD = re.compile(r"^[0-9A-Za-z*?/,-]+$")
_CRON_HELP = "five fields (minute hour day-of-month month day-of-week), e.g. '0 2 * * *', or @daily"

# The forms nearly every schedule is written in (`*`, a number in the field's range, `*/step`) are
# checked here; anything else goes to croniter, whose import (dateutil's time zones, ctypes,
# subprocess) was the largest single import of a `validate`. tests/unit/model/test_cron_schedule.py
# holds this check to croniter's answer over every form it takes.
_BOUNDS = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))  # day of week: 0 and 7 are Sunday
_PLAIN_FIELD = re.compile(r"^(?:\*|\*/([0-9]{1,2})|([0-9]{1,2}))$")


def plainly_valid(fields: list[str]) -> bool:
    """True if every one of the five fields is `*`, `*/step` (1 ≤ step ≤ the field's span) or a number in its range."""
    if len(fields) != len(_BOUNDS):
        return False
    for f, (lo, hi) in zip(fields, _BOUNDS, strict=True):
        m = _PLAIN_FIELD.match(f)
        if m is None:
            return False
        step, value = m.groups()
        if step is not None and not 1 <= int(step) <= hi - lo + 1:
            return False
        if value is not None and not lo <= int(value) <= hi:
            return False
    return True


def _cron(v: str) -> str:
    text = v.strip()
    if text.lower() in _DESCRIPTORS:
        return text
    if text.startswith("@every "):
        raise ValueError("@every is not a calendar schedule; " + _CRON_HELP)
    fields = text.split()
    if len(fields) != 5:
        raise ValueError(f"{len(fields)} field(s); a schedule has {_CRON_HELP}")
    for i, f in enumerate(fields):
        if not _FIELD.match(f):
            raise ValueError(f"field {i + 1} {f!r} has a character Kubernetes does not read; {_CRON_HELP}")
        words = {w.lower() for w in re.findall(r"[A-Za-z]+", f)}
        allowed = _MONTHS if i == 3 else _DAYS if i == 4 else frozenset()
        if words - allowed:
            raise ValueError(f"field {i + 1} {f!r}: {', '.join(sorted(words - allowed))} is not a name there")
        if "?" in f and (i not in (2, 4) or f != "?"):
            raise ValueError(f"field {i + 1} {f!r}: '?' stands alone, in day-of-month or day-of-week")
    schedule = text.replace("?", "*")
    if plainly_valid(schedule.split()):
        return text
    from croniter import croniter  # only a schedule in another form pays for it

    if not croniter.is_valid(schedule):
        raise ValueError(f"{text!r} is not a valid schedule: a value is out of range; {_CRON_HELP}")
    return text


CronSchedule = Annotated[
    str,
    StringConstraints(min_length=1, max_length=100),
    AfterValidator(_cron),
    WithJsonSchema({"type": "string", "maxLength": 100, "examples": ["0 2 * * *", "*/15 * * * *", "@daily"]}),
]

Port = Annotated[int, Field(ge=1, le=65535)]
