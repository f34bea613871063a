"""Decode a loaded document into the model; every pydantic error becomes a located diagnostic."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from govcloud.diagnostics import Diagnostic, GovcloudError, Severity, cap
from govcloud.load import Document
from govcloud.model.base import assign_paths
from govcloud.model.topology import API_VERSION, KIND, Topology
from govcloud.model.types import _FREE_TEXT, _ONE_LINE

SCHEMA_RULE = "GC002"
VERSION_RULE = "GC003"


def _check_header(doc: Document) -> None:
    """apiVersion and kind first: a wrong version gets one clear message, not a hundred field errors."""
    data = doc.data
    if not isinstance(data, dict):
        raise GovcloudError(
            [
                Diagnostic(
                    VERSION_RULE,
                    Severity.ERROR,
                    f"the document is a {type(data).__name__}, not a mapping",
                    hint=f"a topology starts with 'apiVersion: {API_VERSION}' and 'kind: {KIND}'",
                    location=doc.locate(()),
                )
            ]
        )
    problems = []
    for key, want in (("apiVersion", API_VERSION), ("kind", KIND)):
        got = data.get(key)
        if got != want:
            what = "missing" if key not in data else f"is {got!r}"
            problems.append(
                Diagnostic(
                    VERSION_RULE,
                    Severity.ERROR,
                    f"{key} {what}; this govcloud reads {key}: {want}",
                    path=(key,),
                    hint=f"set '{key}: {want}'",
                    location=doc.locate((key,)),
                )
            )
    if problems:
        raise GovcloudError(problems)


_EXPECTED = {
    "int_type": "an integer",
    "int_from_float": "a whole number",
    "int_parsing": "an integer",
    "float_type": "a number",
    "float_parsing": "a number",
    "string_type": "text",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
}
_BOUND = {
    "less_than_equal": ("≤", "le"),
    "less_than": ("<", "lt"),
    "greater_than_equal": ("≥", "ge"),
    "greater_than": (">", "gt"),
}


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _what(value: object, raw: str | None) -> tuple[str, str]:
    """How to name what YAML made of a value, and what to write instead."""
    if isinstance(value, bool):
        what = "true" if value else "false"
        if raw is not None and raw.lower() not in ("true", "false"):
            return f"{raw!r}, which YAML 1.1 reads as the boolean {what}", f"quote it ('{raw}') if it is text"
        return f"the boolean {what}", ""
    if value is None:
        return ("null" if raw else "nothing (an empty value)"), "write a value, or leave the field out"
    if isinstance(value, str):
        numeric = value.strip().lstrip("+-").replace(".", "", 1).isdigit()
        return f"the text {_shown(value)}", ("write the number without quotes" if numeric else "")
    if isinstance(value, int):
        hint = f"quote it ('{raw}') if it is text" if raw is not None and raw != str(value) else ""
        return (f"{raw!r}, which YAML 1.1 reads as the integer {value}" if hint else f"the integer {value}"), hint
    if isinstance(value, float):
        return f"the number {value}", ""
    if isinstance(value, dict):
        return "a mapping", ""
    if isinstance(value, list):
        return "a list", ""
    if raw is not None:  # a date or a timestamp
        return f"{raw!r}, which YAML reads as a date", f"quote it ('{raw}') if it is text"
    return type(value).__name__, ""


def _message(err: Any, raw: str | None) -> tuple[str, str]:
    kind = err["type"]
    loc = err["loc"]
    field = str(loc[-1]) if loc else "document"
    if loc and loc[-1] == "[key]":
        field = f"key {loc[-2]!r}" if len(loc) >= 2 else "key"
    ctx = err.get("ctx") or {}
    value = err.get("input")
    if kind == "missing":
        return f"missing required field '{field}'", f"add '{field}:' here"
    if kind == "extra_forbidden":
        return f"unknown field {_shown(field)}", "check the spelling; `govcloud schema` lists every field"
    if kind in _EXPECTED:
        what, hint = _what(value, raw)
        if kind == "string_type" and not hint and isinstance(value, int | float):
            hint = "quote it if it is text"
        return f"{field}: expected {_EXPECTED[kind]}, got {what}", hint
    if kind in _BOUND:
        sym, key = _BOUND[kind]
        return f"{field}: must be {sym} {ctx.get(key)} (got {_shown(value)})", ""
    if kind == "finite_number":
        return f"{field}: must be a finite number (got {_shown(value)})", ""
    if kind == "string_too_long":
        return f"{field}: at most {ctx.get('max_length')} characters (got {len(value)})", ""
    if kind == "string_too_short":
        return f"{field}: must not be empty", ""
    if kind in ("too_long", "too_short"):
        n = len(value) if isinstance(value, list | dict) else "?"
        bound = ctx.get("max_length") if kind == "too_long" else ctx.get("min_length")
        word = "at most" if kind == "too_long" else "at least"
        return f"{field}: {word} {bound} item(s) (got {n})", ""
    if kind == "string_pattern_mismatch" and ctx.get("pattern") in (_ONE_LINE, _FREE_TEXT):
        return f"{field}: holds a control character (got {_shown(value)})", "remove it; titles reach terminals"
    if kind in ("enum", "literal_error"):
        what, hint = _what(value, raw)
        return f"{field}: expected {ctx.get('expected', 'one of the listed values')}, got {what}", hint
    msg = str(err["msg"]).removeprefix("Value error, ")
    if isinstance(value, str | int | float) and not isinstance(value, bool) and kind != "value_error":
        return f"{field}: {msg} (got {_shown(value)})", ""
    return f"{field}: {msg}", ""


def decode(doc: Document) -> Topology:
    _check_header(doc)
    try:
        topo = Topology.model_validate(doc.data)
    except ValidationError as e:
        diags = []
        for err in e.errors(include_url=False):
            loc = tuple(
                p
                for p in err["loc"]
                if isinstance(p, int)
                or (p != "[key]" and not str(p).startswith(("function-", "union[", "lax-", "json-")))
            )
            # a missing field is reported at the mapping it is missing from
            path = loc[:-1] if err["type"] == "missing" else loc
            msg, hint = _message(err, doc.source.get(loc))
            diags.append(Diagnostic(SCHEMA_RULE, Severity.ERROR, msg, path=path, hint=hint, location=doc.locate(path)))
        raise GovcloudError(cap(diags)) from None
    assign_paths(topo)
    return topo
