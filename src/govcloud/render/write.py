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

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from govcloud.render.k8s import count_kinds, sort_key
from govcloud.render.staging import staged

MARKER = ".govcloud-render.json"
CLUSTER_SCOPED = "_cluster"
KUSTOMIZATION = "kustomization.yaml"

try:  # the C dumper is much faster; both give the same text for our plain data
    _Base: type = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _Base = yaml.SafeDumper


class _Dumper(_Base):  # type: ignore[misc]  # a base chosen at import time cannot be checked
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


def write_tree(
    out: str | Path, rendered: dict[str, list[dict[str, Any]]], progress: Callable[[str, int, int], None] | None = None
) -> dict[str, Any]:
    """Render every cluster into a temporary folder beside `out`, then move it into place."""
    with staged(out, MARKER, "govcloud render", "the rendered manifests") as stage:
        for i, (name, objs) in enumerate(rendered.items(), 1):
            write_cluster(stage.path / name, objs)
            if progress:
                progress(name, i, len(rendered))
        info = summary(rendered)
        stage.info = info
    return info
