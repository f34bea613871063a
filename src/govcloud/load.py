"""Load a topology file: YAML in, plain data out, plus the file:line:col of every node.

Parsing goes through libyaml (the C loader) when it is available. The document is walked once,
iteratively, so neither a deeply nested document nor an alias bomb can exhaust the stack or the
memory: both are refused with a located error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

import yaml

from govcloud.diagnostics import Diagnostic, GovcloudError, Location, Path, Severity

try:  # the C loader is ~10x faster on the full province
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 500_000  # counts alias expansions: a billion-laughs document stops here (the province is ~15k)

YAML_RULE = "GC001"


@dataclass(slots=True)
class Document:
    """A loaded topology: the data, and where each node of it was written."""

    file: str
    data: Any
    positions: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Path) -> Location:
        """The location of `path`, or of its nearest ancestor that was written in the file."""
        p = tuple(path)
        while p:
            pos = self.positions.get(p)
            if pos is not None:
                return Location(self.file, *pos)
            p = p[:-1]
        line, col = self.positions.get((), (1, 1))
        return Location(self.file, line, col)


def _error(file: str, line: int, col: int, message: str, hint: str = "") -> GovcloudError:
    d = Diagnostic(YAML_RULE, Severity.ERROR, message, hint=hint, location=Location(file, line, col))
    return GovcloudError([d], exit_code=1)


def read_text(path: str | FsPath) -> str:
    """Read a topology file as UTF-8 text; refuse what cannot be a topology with a clear message."""
    p = FsPath(path)
    name = str(path)
    try:
        if p.is_dir():
            raise _error(name, 1, 1, "is a directory, not a topology file")
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise _error(name, 1, 1, f"file is {size} bytes; a topology is at most {MAX_BYTES}")
        raw = p.read_bytes()
    except OSError as e:
        raise GovcloudError(
            [Diagnostic("GC000", Severity.ERROR, f"cannot read: {e.strerror or e}", location=Location(name, 1, 1))],
            exit_code=2,
        ) from None
    if b"\x00" in raw:
        raise _error(name, 1, 1, "binary file (contains NUL bytes), not YAML")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise _error(name, line, 1, f"not UTF-8 text (byte 0x{raw[e.start]:02x} at offset {e.start})") from None


def _depth_check(text: str, file: str) -> None:
    """Stream the events once to refuse pathological nesting before anything recursive runs."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    m = event.start_mark
                    raise _error(
                        file,
                        m.line + 1,
                        m.column + 1,
                        f"nesting deeper than {MAX_DEPTH} levels",
                        "a topology is a few levels deep; is this the right file?",
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as e:
        raise _yaml_error(e, file) from None
    except yaml.YAMLError as e:
        raise _error(file, 1, 1, f"invalid YAML: {e}") from None


def _yaml_error(e: yaml.MarkedYAMLError, file: str) -> GovcloudError:
    mark = e.problem_mark or e.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = e.problem or "invalid YAML"
    if e.context:
        problem = f"{problem} ({e.context})"
    return _error(file, line, col, f"invalid YAML: {problem}")


_constructor = yaml.constructor.SafeConstructor()
_PLAIN_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})


def _scalar(node: yaml.ScalarNode, file: str) -> Any:
    try:
        return _constructor.construct_object(node)
    except yaml.constructor.ConstructorError as e:
        m = node.start_mark
        raise _error(file, m.line + 1, m.column + 1, f"invalid value: {e.problem}") from None


def _walk(root: yaml.Node, file: str) -> tuple[Any, dict[Path, tuple[int, int]]]:
    """Build plain data from the node tree without recursion, recording each node's position."""
    positions: dict[Path, tuple[int, int]] = {}
    budget = MAX_NODES

    def make(node: yaml.Node, path: Path) -> Any:
        nonlocal budget
        budget -= 1
        if budget < 0:
            m = node.start_mark
            raise _error(
                file, m.line + 1, m.column + 1, f"document expands to more than {MAX_NODES} nodes (alias bomb?)"
            )
        positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.tag not in _PLAIN_TAGS:
            m = node.start_mark
            raise _error(
                file,
                m.line + 1,
                m.column + 1,
                f"unsupported tag {node.tag!r}",
                "a topology uses plain mappings, lists and scalars",
            )
        if isinstance(node, yaml.MappingNode):
            return {}
        if isinstance(node, yaml.SequenceNode):
            return []
        return _scalar(node, file)  # type: ignore[arg-type]

    data = make(root, ())
    stack: list[tuple[yaml.Node, Any, Path]] = [(root, data, ())]
    while stack:
        node, target, path = stack.pop()
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    m = key_node.start_mark
                    raise _error(
                        file,
                        m.line + 1,
                        m.column + 1,
                        "merge keys (<<) are not supported",
                        "write the fields out, or use an anchor for a whole value",
                    )
                if not isinstance(key_node, yaml.ScalarNode):
                    m = key_node.start_mark
                    raise _error(file, m.line + 1, m.column + 1, "mapping keys must be plain scalars")
                key = _scalar(key_node, file)
                if not isinstance(key, str | int):
                    key = str(key)
                if key in target:
                    m = key_node.start_mark
                    first = positions.get((*path, key), (0, 0))[0]
                    raise _error(
                        file,
                        m.line + 1,
                        m.column + 1,
                        f"duplicate key {key!r} (first defined on line {first})",
                        "each key may appear once in a mapping",
                    )
                child_path = (*path, key)
                # a key's position is where the key is written, which is where an editor should jump
                value = make(value_node, child_path)
                positions[child_path] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                target[key] = value
                if isinstance(value, dict | list):
                    stack.append((value_node, value, child_path))
        elif isinstance(node, yaml.SequenceNode):
            for i, item_node in enumerate(node.value):
                child_path = (*path, i)
                value = make(item_node, child_path)
                target.append(value)
                if isinstance(value, dict | list):
                    stack.append((item_node, value, child_path))
    return data, positions


def load_text(text: str, file: str = "<string>") -> Document:
    if not text.strip():
        raise _error(file, 1, 1, "empty file", "a topology starts with apiVersion and kind")
    _depth_check(text, file)
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as e:
        raise _yaml_error(e, file) from None
    except yaml.YAMLError as e:
        raise _error(file, 1, 1, f"invalid YAML: {e}") from None
    nodes = [n for n in nodes if n is not None]
    if not nodes:
        raise _error(file, 1, 1, "no YAML document in the file", "a topology starts with apiVersion and kind")
    if len(nodes) > 1:
        m = nodes[1].start_mark
        raise _error(
            file, m.line + 1, m.column + 1, "more than one YAML document", "a topology file holds one document"
        )
    data, positions = _walk(nodes[0], file)
    return Document(file=file, data=data, positions=positions)


def load_file(path: str | FsPath) -> Document:
    return load_text(read_text(path), str(path))
