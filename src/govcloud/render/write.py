"""Write rendered clusters to disk: one folder per cluster with a `kustomization.yaml` (for kubectl,
Argo CD or Flux), one YAML file per object. Byte-identical for the same plan: keys sorted, objects in a
stable order, no timestamps. Atomic: everything is written into a temporary folder beside the target,
then renamed into place, so the target is never half-written.

Layout:  OUT/<cluster>/kustomization.yaml
         OUT/<cluster>/_cluster/<kind>-<name>.yaml          cluster-scoped objects
         OUT/<cluster>/<namespace>/<kind>-<name>.yaml       namespaced objects
         OUT/.govcloud-render.json                          marker: summary and every file written (ours to replace)
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from govcloud.diagnostics import UsageError
from govcloud.render.k8s import count_kinds, sort_key

MARKER = ".govcloud-render.json"
CLUSTER_SCOPED = "_cluster"
KUSTOMIZATION = "kustomization.yaml"

try:  # the C dumper is much faster; both give the same text for our plain data
    _Base: type = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _Base = yaml.SafeDumper


class _Dumper(_Base):  # type: ignore[valid-type, misc]
    """Multi-line strings (a ConfigMap's peers.json) as literal blocks, readable in a diff."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump(obj: Any) -> str:
    return yaml.dump(
        obj,
        Dumper=_Dumper,
        sort_keys=True,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,
        explicit_start=False,
    )


def object_path(obj: dict[str, Any]) -> str:
    meta = obj["metadata"]
    folder = meta.get("namespace", CLUSTER_SCOPED)
    return f"{folder}/{obj['kind'].lower()}-{meta['name']}.yaml"


def kustomization(paths: list[str]) -> dict[str, Any]:
    return {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization", "resources": paths}


def summary(rendered: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    clusters = {name: {"objects": len(objs), "kinds": count_kinds(objs)} for name, objs in rendered.items()}
    return {"clusters": clusters, "objects": sum(c["objects"] for c in clusters.values())}


def write_cluster(root: Path, objs: list[dict[str, Any]]) -> int:
    """Write one cluster's folder under `root`; returns the number of files written."""
    paths: list[str] = []
    for obj in sorted(objs, key=sort_key):
        rel = object_path(obj)
        if rel in paths:
            raise ValueError(f"two objects render to {rel}")  # a renderer bug: names must be unique
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(dump(obj), encoding="utf-8")
        paths.append(rel)
    (root / KUSTOMIZATION).write_text(dump(kustomization(paths)), encoding="utf-8")
    return len(paths) + 1


def _ours(out: Path) -> set[str] | None:
    """The files the marker of an earlier render lists (relative paths), or None if `out` is not ours."""
    try:
        info = json.loads((out / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = info.get("files") if isinstance(info, dict) else None
    return set(files) if isinstance(files, list) else None


def _present(out: Path) -> set[str]:
    return {str(p.relative_to(out)) for p in out.rglob("*") if not p.is_dir()} - {MARKER}


def _check_replaceable(out: Path) -> None:
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise UsageError(f"{out}: exists and is not a folder; pick another --out")
    if not out.is_dir() or not any(out.iterdir()):
        return
    ours = _ours(out)
    if ours is None:
        raise UsageError(
            f"{out}: folder is not empty and was not written by `govcloud render` "
            f"(no {MARKER}); refusing to replace it — pick another --out or empty it"
        )
    foreign = sorted(_present(out) - ours)
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise UsageError(
            f"{out}: holds {len(foreign)} file(s) govcloud did not write ({shown}); a new render would delete "
            "them — move them out of the folder, or pick another --out"
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
    """Remove the temporary and previous folders a killed render left beside `out` (their names carry
    the pid of the render that made them; a render still running keeps its own)."""
    for p in parent.glob(f".{out.name}.*-*"):
        kind, _, rest = p.name.removeprefix(f".{out.name}.").partition("-")
        pid = rest.split("-", 1)[0]
        if kind in ("tmp", "old") and pid.isdigit() and p.is_dir() and not _alive(int(pid)):
            shutil.rmtree(p, ignore_errors=True)


def write_tree(
    out: str | Path, rendered: dict[str, list[dict[str, Any]]], progress: Callable[[str, int, int], None] | None = None
) -> dict[str, Any]:
    """Render every cluster into a temporary folder beside `out`, then move it into place."""
    out = Path(out)
    _check_replaceable(out)
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
        for i, (name, objs) in enumerate(rendered.items(), 1):
            write_cluster(tmp / name, objs)
            if progress:
                progress(name, i, len(rendered))
        info = summary(rendered)
        files = sorted(str(p.relative_to(tmp)) for p in tmp.rglob("*") if not p.is_dir())
        marker = {**info, "files": files}
        (tmp / MARKER).write_text(json.dumps(marker, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        if out.exists():
            old = parent / f".{out.name}.old-{os.getpid()}"
            os.rename(out, old)
        os.rename(tmp, out)
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and not out.exists():
            os.rename(old, out)  # put the previous render back
        raise UsageError(f"{out}: cannot write the rendered manifests: {e.strerror or e}") from e
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return info
