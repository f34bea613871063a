"""One console for all output: diagnostics and progress to stderr, results to stdout.

Text output escapes control characters in whatever it prints (`safe`): names, titles and messages
come from the topology file, and a file must not be able to move the cursor, recolour or retitle
the terminal, or reorder a line with bidirectional overrides.
"""

from __future__ import annotations

import json
import re
import sys
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


@cache
def out() -> Console:
    """The rich console on stdout, for tables and progress; made (and rich imported) on first use, so the
    commands that only print lines (validate, explain, --help) never import rich."""
    from rich.console import Console

    return Console(soft_wrap=True, highlight=False, emoji=False)


@cache
def err() -> Console:
    """The rich console on stderr (progress bars), made on first use like `out`."""
    from rich.console import Console

    return Console(stderr=True, soft_wrap=True, highlight=False, emoji=False)


# C0 controls but newline and tab, DEL, C1 controls, and the Unicode bidirectional controls
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(m: re.Match[str]) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def safe(text: str) -> str:
    """`text` with every control character written as an escape (\\x1b, \\u202e), newlines kept."""
    return _UNSAFE.sub(_escape, text)


def echo(text: str = "") -> None:
    """A line of results on stdout, escaped."""
    sys.stdout.write(safe(text) + "\n")


def note(text: str) -> None:
    """A line of diagnostics or progress on stderr, escaped."""
    sys.stderr.write(safe(text) + "\n")


def print_json(data: Any) -> None:
    # json.dumps escapes control characters itself; non-ASCII text stays readable
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n")
