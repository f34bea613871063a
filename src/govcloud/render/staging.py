"""Write a whole output folder or nothing: build it in a temporary folder beside the target, then rename
it into place. A folder is only ever replaced when it carries the marker file of the command that wrote
it and holds nothing else than the files that marker lists, so `--out ~/Documents` (or a note dropped
into an output folder) is never wiped. Shared by `govcloud render`, `report` and `graph`."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govcloud.diagnostics import UsageError


def _ours(out: Path, marker: str) -> set[str] | None:
    """The files the marker of an earlier run lists (relative paths), or None if `out` is not ours."""
    try:
        info = json.loads((out / marker).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = info.get("files") if isinstance(info, dict) else None
    return set(files) if isinstance(files, list) else None


def _present(out: Path, marker: str) -> set[str]:
    return {str(p.relative_to(out)) for p in out.rglob("*") if not p.is_dir()} - {marker}


def check_replaceable(out: Path, marker: str, command: str) -> None:
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise UsageError(f"{out}: exists and is not a folder; pick another --out")
    if not out.is_dir() or not any(out.iterdir()):
        return
    ours = _ours(out, marker)
    if ours is None:
        raise UsageError(
            f"{out}: folder is not empty and was not written by `{command}` "
            f"(no {marker}); refusing to replace it — pick another --out or empty it"
        )
    foreign = sorted(_present(out, marker) - ours)
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise UsageError(
            f"{out}: holds {len(foreign)} file(s) govcloud did not write ({shown}); a new `{command}` would "
            "delete them — move them out of the folder, or pick another --out"
        )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _clean_stale(out: Path, parent: Path) -> None:
    """Remove the temporary and previous folders a killed run left beside `out` (their names carry the
    pid of the run that made them; a run still going keeps its own)."""
    for p in parent.glob(f".{out.name}.*-*"):
        kind, _, rest = p.name.removeprefix(f".{out.name}.").partition("-")
        pid = rest.split("-", 1)[0]
        if kind in ("tmp", "old") and pid.isdigit() and p.is_dir() and not _alive(int(pid)):
            shutil.rmtree(p, ignore_errors=True)


@dataclass
class Stage:
    path: Path
    """The temporary folder to write into."""
    info: dict[str, Any] = field(default_factory=dict)
    """What the marker says besides the list of files (a summary for the user and for tools)."""


@contextmanager
def staged(out: str | Path, marker: str, command: str, what: str) -> Iterator[Stage]:
    """Yield a Stage with an empty temporary folder; when the block ends without error the marker (its
    info plus every file written) is added and the folder replaces `out`. `what` names the output in
    error messages ("the rendered manifests")."""
    out = Path(out)
    check_replaceable(out, marker, command)
    parent = out.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        _clean_stale(out, parent)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-{os.getpid()}-", dir=parent))
    except OSError as e:
        raise UsageError(f"{out}: cannot create the output folder: {e.strerror or e}") from e
    old: Path | None = None
    try:
        os.chmod(tmp, 0o755)
        stage = Stage(tmp)
        yield stage
        files = sorted(str(p.relative_to(tmp)) for p in tmp.rglob("*") if not p.is_dir())
        content = json.dumps({**stage.info, "files": files}, indent=2, sort_keys=True) + "\n"
        (tmp / marker).write_text(content, encoding="utf-8")
        if out.exists():
            old = parent / f".{out.name}.old-{os.getpid()}"
            os.rename(out, old)
        os.rename(tmp, out)
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and not out.exists():
            os.rename(old, out)  # put the previous output back
        raise UsageError(f"{out}: cannot write {what}: {e.strerror or e}") from e
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_files(root: Path, files: Mapping[str, str | bytes]) -> None:
    """Write relative path → content under `root` (text as UTF-8), creating folders as needed."""
    for rel, content in sorted(files.items()):
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
