"""Run Graphviz (Debian's graphviz package) on a diagram's DOT text: SVG and PNG come back as bytes.

Graphviz is the one outside program `govcloud graph` needs; without it a runtime failure (exit 4) says how
to install it, and `--format dot` or `--format mermaid` still work.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence

from govcloud.diagnostics import RuntimeFailure

FORMATS = ("svg", "png")
TIMEOUT_S = 120


def require(engine: str) -> str:
    path = shutil.which(engine)
    if path is None:
        raise RuntimeFailure(
            f"Graphviz's `{engine}` is not on PATH: install Debian's graphviz (scripts/setup-docs.sh), "
            "or write --format dot / --format mermaid only"
        )
    return path


def layout(dot: str, engine: Sequence[str], formats: Sequence[str], name: str) -> dict[str, bytes]:
    """Lay out `dot` once per format with `engine` (e.g. ["neato", "-n"]); format → file content."""
    if not formats:  # only DOT or Mermaid asked for: Graphviz is not needed, so not required
        return {}
    exe = require(engine[0])
    out: dict[str, bytes] = {}
    for fmt in formats:
        try:
            r = subprocess.run(
                [exe, *engine[1:], f"-T{fmt}"], input=dot.encode("utf-8"), capture_output=True, timeout=TIMEOUT_S
            )
        except subprocess.TimeoutExpired as e:
            raise RuntimeFailure(f"{name}: Graphviz {engine[0]} took more than {TIMEOUT_S}s") from e
        if r.returncode != 0:
            msg = r.stderr.decode("utf-8", "replace").strip().splitlines()
            raise RuntimeFailure(f"{name}: Graphviz {engine[0]} -T{fmt} failed: {msg[-1] if msg else r.returncode}")
        out[fmt] = r.stdout
    return out
