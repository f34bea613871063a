"""What a rule is: data (id, severity, rationale, source) plus a function from plan to findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from govcloud.diagnostics import Path, Severity

if TYPE_CHECKING:
    from govcloud.plan import Plan


class Finding(NamedTuple):
    path: Path
    message: str
    hint: str = ""


Check = Callable[["Plan"], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    name: str
    severity: Severity
    title: str
    rationale: str
    """Why the rule exists, for `govcloud explain`."""
    source: str
    """The seed document, standard or practice it comes from."""
    hint: str = ""
    """Default fix hint when a finding carries none."""
    check: Check | None = None
    """None for rules the loader and decoder enforce while reading the file."""
    category: str = "structure"


def fmt_km(km: float) -> str:
    return f"{km:.0f} km"
