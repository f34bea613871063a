"""Write a whole output folder or nothing: build it in a temporary folder beside the target, then rename
it into place. A folder is only ever replaced when it carries the marker file of the command that wrote
it, so `--out ~/Documents` never wipes a folder govcloud did not make."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from govcloud.diagnostics import UsageError


def check_replaceable(out: Path, marker: str, command: str) -> None:
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise UsageError(f"{out}: exists and is not a folder; pick another --out")
    if out.is_dir() and any(out.iterdir()) and not (out / marker).is_file():
        raise UsageError(
            f"{out}: folder is not empty and was not written by `{command}` "
            f"(no {marker}); refusing to replace it — pick another --out or empty it"
        )


@contextmanager
def staged(out: str | Path, marker: str, command: str, what: str) -> Iterator[Path]:
    """Yield an empty temporary folder; when the block ends without error it replaces `out`.

    `what` names the output in error messages ("the rendered manifests"). The caller writes the marker.
    """
    out = Path(out)
    check_replaceable(out, marker, command)
    parent = out.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=parent))
    except OSError as e:
        raise UsageError(f"{out}: cannot create the output folder: {e.strerror or e}") from e
    old: Path | None = None
    try:
        os.chmod(tmp, 0o755)
        yield tmp
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
