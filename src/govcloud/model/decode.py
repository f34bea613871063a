"""Decode a loaded document into the model; every pydantic error becomes a located diagnostic."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from govcloud.diagnostics import Diagnostic, GovcloudError, Severity
from govcloud.load import Document
from govcloud.model.base import assign_paths
from govcloud.model.topology import API_VERSION, KIND, Topology

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


def _message(err: Any) -> tuple[str, str]:
    kind = err["type"]
    loc = err["loc"]
    field = str(loc[-1]) if loc else "document"
    if kind == "missing":
        return f"missing required field '{field}'", f"add '{field}:' here"
    if kind == "extra_forbidden":
        return f"unknown field '{field}'", "check the spelling; `govcloud schema` lists every field"
    msg = err["msg"]
    value = err.get("input")
    if isinstance(value, str | int | float | bool) and not isinstance(value, bool | None):
        shown = repr(value)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        return f"{field}: {msg} (got {shown})", ""
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
                if isinstance(p, int) or not str(p).startswith(("function-", "union[", "lax-", "json-"))
            )
            # a missing field is reported at the mapping it is missing from
            path = loc[:-1] if err["type"] == "missing" else loc
            msg, hint = _message(err)
            diags.append(Diagnostic(SCHEMA_RULE, Severity.ERROR, msg, path=path, hint=hint, location=doc.locate(path)))
        raise GovcloudError(diags) from None
    assign_paths(topo)
    return topo
