"""Just enough of the DOT language to write govcloud's diagrams, deterministically: attributes sorted,
strings quoted, nothing depending on dict or set order."""

from __future__ import annotations

from collections.abc import Mapping

Attrs = Mapping[str, str | int | float]

FONT = "WenQuanYi Micro Hei"  # Debian's fonts-wqy-microhei: draws the Chinese names (scripts/setup-docs.sh)


def quote(value: str | int | float) -> str:
    if isinstance(value, float):
        return f'"{value:.3f}"'
    text = str(value)
    if text.startswith("<") and text.endswith(">"):  # an HTML-like label
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def attrs(a: Attrs) -> str:
    if not a:
        return ""
    return " [" + ", ".join(f"{k}={quote(v)}" for k, v in sorted(a.items())) + "]"


def html(text: object) -> str:
    """Escape text for an HTML-like label."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


class Graph:
    """A DOT graph built line by line, in the order the caller adds things."""

    def __init__(self, name: str, graph: Attrs, node: Attrs | None = None, edge: Attrs | None = None) -> None:
        self.lines = [f"digraph {quote(name)} {{", f"  graph{attrs(graph)};"]
        self.lines.append(f"  node{attrs({'fontname': FONT, 'fontsize': 11, **(node or {})})};")
        self.lines.append(f"  edge{attrs({'fontname': FONT, 'fontsize': 9, **(edge or {})})};")
        self.depth = 1

    def _add(self, line: str) -> None:
        self.lines.append("  " * self.depth + line)

    def node(self, name: str, a: Attrs) -> None:
        self._add(f"{quote(name)}{attrs(a)};")

    def edge(self, a: str, b: str, at: Attrs) -> None:
        self._add(f"{quote(a)} -> {quote(b)}{attrs(at)};")

    def open_cluster(self, name: str, a: Attrs) -> None:
        self._add(f"subgraph {quote('cluster_' + name)} {{")
        self.depth += 1
        for k, v in sorted(a.items()):
            self._add(f"{k}={quote(v)};")

    def close(self) -> None:
        self.depth -= 1
        self._add("}")

    def text(self) -> str:
        return "\n".join([*self.lines, "}"]) + "\n"
