"""Load a topology file: YAML in, plain data out, plus the file:line:col of every node.

Nothing here trusts the input. The file is opened without blocking and read only if it is a regular
file, and at most MAX_BYTES of it. Parsing goes through libyaml (the C loader). The events are
streamed once to refuse deep nesting and oversized documents before any node tree is built; the tree
is then walked iteratively with a node budget that counts alias expansions, a depth limit that
counts them too, and a check for aliases that contain themselves. Every scalar libyaml cannot build
(`!!int xyz`, `2024-13-45`, a 5,000-digit integer) becomes a located GC001 error.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

import yaml

from govcloud.diagnostics import Diagnostic, GovcloudError, Location, Path, Severity

_Loader: type[yaml.CSafeLoader | yaml.SafeLoader]
try:  # the C loader is ~10x faster on the full province
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader
_LOADER = _Loader

MAX_BYTES = 8 * 1024 * 1024
"""A province with every system listed is well under 2 MiB (the reference is 80 KiB)."""
MAX_DEPTH = 64
MAX_NODES = 250_000
"""Counts alias expansions: a billion-laughs document stops here (the reference province is ~15k)."""

IO_RULE = "GC000"
YAML_RULE = "GC001"

_TAG = "tag:yaml.org,2002:"
_PLAIN_COLLECTIONS = frozenset({_TAG + "map", _TAG + "seq"})
_SCALAR_TAGS = frozenset({_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")})
_LIBYAML_DEPTH = "exceeded maximum nesting depth"  # libyaml's own limit (1,000) can fire before ours


@dataclass(slots=True)
class Document:
    """A loaded topology: the data, where each node of it was written, and what YAML made of it."""

    file: str
    data: Any
    positions: dict[Path, tuple[int, int]] = field(default_factory=dict)
    source: dict[Path, str] = field(default_factory=dict)
    """The written text of every unquoted scalar YAML read as something other than a string (`no`,
    `on`, `0123`, `2024-01-01`), so a type error can say what YAML made of it."""

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


def _io_error(file: str, message: str, hint: str = "") -> GovcloudError:
    """Not a topology at all (unreadable, not a regular file, binary, not UTF-8, too big): exit 2."""
    d = Diagnostic(IO_RULE, Severity.ERROR, message, hint=hint, location=Location(file, 1, 1))
    return GovcloudError([d], exit_code=2)


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def read_bytes(path: str | FsPath) -> bytes:
    """The file's bytes, if it is a regular file of at most MAX_BYTES; never blocks, never reads more."""
    name = str(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; the type is checked on the open file
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        if e.errno == errno.EISDIR:
            raise _io_error(name, "is a directory, not a topology file") from None
        raise _io_error(name, f"cannot read: {e.strerror or e}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _io_error(name, f"is {_kind(st.st_mode)}, not a topology file", "give the path of a .yaml file")
        if st.st_size > MAX_BYTES:
            raise _io_error(name, f"file is {st.st_size} bytes; a topology is at most {MAX_BYTES}")
        chunks, left = [], MAX_BYTES + 1  # the size can change under us: never read past the limit
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as e:
        raise _io_error(name, f"cannot read: {e.strerror or e}") from None
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    if len(raw) > MAX_BYTES:
        raise _io_error(name, f"file grew past {MAX_BYTES} bytes while being read; a topology is at most that")
    return raw


def read_text(path: str | FsPath) -> str:
    """Read a topology file as UTF-8 text; refuse what cannot be a topology with a clear message."""
    name = str(path)
    raw = read_bytes(path)
    if b"\x00" in raw:
        raise _io_error(name, "binary file (contains NUL bytes), not YAML")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise _io_error(name, f"not UTF-8 text (byte 0x{raw[e.start]:02x} at offset {e.start}, line {line})") from None


def _mark_error(file: str, mark: Any, message: str, hint: str = "") -> GovcloudError:
    return _error(file, mark.line + 1, mark.column + 1, message, hint)


def _too_deep(file: str, mark: Any, how: str = "") -> GovcloudError:
    return _mark_error(
        file,
        mark,
        f"nesting deeper than {MAX_DEPTH} levels{how}",
        "a topology is a few levels deep; is this the right file?",
    )


def _stream_check(text: str, file: str) -> None:
    """Stream the events once: refuse deep nesting and oversized documents before a tree is built."""
    depth = events = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent):  # a node (keys count too)
                events += 1
                if events > MAX_NODES:
                    raise _mark_error(file, event.start_mark, f"document has more than {MAX_NODES} nodes")
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _too_deep(file, event.start_mark)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as e:
        if _LIBYAML_DEPTH in (e.problem or ""):
            raise _too_deep(file, e.problem_mark or e.context_mark) from None
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


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


_NAMES = {"int": "an integer", "float": "a number", "bool": "a boolean", "null": "null", "timestamp": "a date"}


def _why(tag: str, e: Exception) -> str:
    if isinstance(e, yaml.MarkedYAMLError) and e.problem:
        return e.problem
    if "Exceeds the limit" in str(e):
        return "it has more digits than any value a topology needs"
    if tag == "bool":
        return "a boolean is true or false (YAML 1.1 also reads yes/no/on/off)"
    if tag == "timestamp":
        return str(e) or "not a date"
    return f"it is not {_NAMES.get(tag, tag)}"


def _plain(node: yaml.ScalarNode) -> bool:
    return not node.style  # libyaml gives '' for plain scalars, the pure-Python parser None


_STR = _TAG + "str"


def _scalar(node: yaml.ScalarNode, file: str) -> Any:
    if node.tag == _STR:  # most of a topology: the text as written (what SafeConstructor returns too)
        return node.value
    if node.tag not in _SCALAR_TAGS:
        raise _mark_error(file, node.start_mark, f"unsupported tag {node.tag!r}", "a topology uses plain scalars")
    try:
        # the tag's constructor itself: construct_object would also remember every node it ever built
        return _constructor.yaml_constructors[node.tag](_constructor, node)
    except Exception as e:
        tag = node.tag.removeprefix(_TAG)
        hint = "quote it if it is text" if _plain(node) else ""
        raise _mark_error(
            file,
            node.start_mark,
            f"invalid value {_shown(node.value)}: YAML reads it as {_NAMES.get(tag, tag)}, and {_why(tag, e)}",
            hint,
        ) from None


def _walk(root: yaml.Node, file: str) -> tuple[Any, dict[Path, tuple[int, int]], dict[Path, str]]:
    """Build plain data from the node tree without recursion, recording each node's position."""
    positions: dict[Path, tuple[int, int]] = {}
    source: dict[Path, str] = {}
    budget = MAX_NODES

    def make(node: yaml.Node, path: Path, ancestors: tuple[int, ...]) -> Any:
        nonlocal budget
        budget -= 1
        if budget < 0:
            raise _mark_error(file, node.start_mark, f"document expands to more than {MAX_NODES} nodes (alias bomb?)")
        if len(path) > MAX_DEPTH:
            raise _too_deep(file, node.start_mark, " (counting what aliases expand to)")
        if id(node) in ancestors:
            raise _mark_error(file, node.start_mark, "recursive alias: this node contains itself")
        positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
            if node.tag not in _PLAIN_COLLECTIONS:
                raise _mark_error(
                    file,
                    node.start_mark,
                    f"unsupported tag {node.tag!r}",
                    "a topology uses plain mappings, lists and scalars",
                )
            return {} if isinstance(node, yaml.MappingNode) else []
        assert isinstance(node, yaml.ScalarNode)  # the composer makes no fourth kind of node
        value = _scalar(node, file)
        if _plain(node) and not isinstance(value, str):
            source[path] = node.value
        return value

    data = make(root, (), ())
    stack: list[tuple[yaml.Node, Any, Path, tuple[int, ...]]] = [(root, data, (), (id(root),))]
    while stack:
        node, target, path, ancestors = stack.pop()
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.tag == _TAG + "merge":
                    raise _mark_error(
                        file,
                        key_node.start_mark,
                        "merge keys (<<) are not supported",
                        "write the fields out, or use an anchor for a whole value",
                    )
                if not isinstance(key_node, yaml.ScalarNode):
                    raise _mark_error(file, key_node.start_mark, "mapping keys must be plain scalars")
                key = _scalar(key_node, file)
                if not isinstance(key, str | int) or isinstance(key, bool):
                    key = str(key)
                if key in target:
                    first = positions.get((*path, key), (0, 0))[0]
                    raise _mark_error(
                        file,
                        key_node.start_mark,
                        f"duplicate key {_shown(str(key))} (first defined on line {first})",
                        "each key may appear once in a mapping",
                    )
                child_path = (*path, key)
                value = make(value_node, child_path, ancestors)
                # a key's position is where the key is written, which is where an editor should jump
                positions[child_path] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                target[key] = value
                if isinstance(value, dict | list):
                    stack.append((value_node, value, child_path, (*ancestors, id(value_node))))
        elif isinstance(node, yaml.SequenceNode):
            for i, item_node in enumerate(node.value):
                child_path = (*path, i)
                value = make(item_node, child_path, ancestors)
                target.append(value)
                if isinstance(value, dict | list):
                    stack.append((item_node, value, child_path, (*ancestors, id(item_node))))
    return data, positions, source


def load_text(text: str, file: str = "<string>") -> Document:
    if not text.strip():
        raise _error(file, 1, 1, "empty file", "a topology starts with apiVersion and kind")
    _stream_check(text, file)
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as e:
        raise _yaml_error(e, file) from None
    except yaml.YAMLError as e:
        raise _error(file, 1, 1, f"invalid YAML: {e}") from None
    if not nodes:
        raise _error(file, 1, 1, "no YAML document in the file", "a topology starts with apiVersion and kind")
    if len(nodes) > 1:
        raise _mark_error(
            file, nodes[1].start_mark, "more than one YAML document", "a topology file holds one document"
        )
    data, positions, source = _walk(nodes[0], file)
    return Document(file=file, data=data, positions=positions, source=source)


def load_file(path: str | FsPath) -> Document:
    return load_text(read_text(path), str(path))
