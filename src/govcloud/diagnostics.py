"""Diagnostics: what every stage reports to the user, with a location in the topology file."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Location:
    file: str
    line: int  # 1-based
    column: int  # 1-based

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding. `path` addresses the offending node in the document (keys and indexes)."""

    rule: str
    severity: Severity
    message: str
    path: Path = ()
    hint: str = ""
    location: Location | None = field(default=None, compare=False)

    def render(self) -> str:
        where = str(self.location) if self.location else "<topology>"
        text = f"{where}: {self.severity}: {self.rule} {self.message}"
        if self.hint:
            text += f" — {self.hint}"
        return f"{text} (see govcloud explain {self.rule})"

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "severity": str(self.severity),
            "message": self.message,
            "hint": self.hint,
            "path": ".".join(str(p) for p in self.path),
            "file": self.location.file if self.location else None,
            "line": self.location.line if self.location else None,
            "column": self.location.column if self.location else None,
        }


MAX_PER_RULE = 50
"""Findings shown per rule; the rest are counted in one line. A file of 1,000 copies of one mistake
says so in 51 lines, not a million."""


def cap(diagnostics: list[Diagnostic], per_rule: int = MAX_PER_RULE) -> list[Diagnostic]:
    """The first `per_rule` findings of each rule (in file order), then one '… and N more' per rule."""
    if per_rule <= 0:
        return sorted(diagnostics, key=sort_key)
    kept: list[Diagnostic] = []
    dropped: dict[str, list[Diagnostic]] = {}
    seen: dict[str, int] = {}
    for d in sorted(diagnostics, key=sort_key):
        seen[d.rule] = seen.get(d.rule, 0) + 1
        if seen[d.rule] <= per_rule:
            kept.append(d)
        else:
            dropped.setdefault(d.rule, []).append(d)
    for rule, rest in dropped.items():
        first = rest[0]
        kept.append(
            Diagnostic(
                rule,
                first.severity,
                f"… and {len(rest)} more {rule} finding(s) like the ones above",
                path=first.path,
                hint="fix those first, or show all with --max-findings 0",
                location=first.location,
            )
        )
    return sorted(kept, key=sort_key)


def sort_key(d: Diagnostic) -> tuple[str, int, int, str, str]:
    loc = d.location
    return (loc.file if loc else "", loc.line if loc else 0, loc.column if loc else 0, d.rule, d.message)


class GovcloudError(Exception):
    """A user-facing failure carrying diagnostics; the CLI maps it to an exit code."""

    def __init__(self, diagnostics: list[Diagnostic], exit_code: int = 1) -> None:
        super().__init__("; ".join(d.render() for d in diagnostics))
        self.diagnostics = diagnostics
        self.exit_code = exit_code


class UsageError(Exception):
    """Bad invocation or unreadable input: exit code 2."""


class RuntimeFailure(Exception):
    """The command was right but the machine failed it (Docker, a lab process, a missing tool): exit 4."""
