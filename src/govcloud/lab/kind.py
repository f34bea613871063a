"""The kind lab engine: real Docker nodes. Renders a kind config (v1alpha4) per centre from the plan
and creates the clusters with kind when Docker, kind and a node image are present.

No registry is reachable in an air-gapped lab, so the node image must already be in Docker
(`docker load` of an image built with `kind build node-image` elsewhere); without it `up` stops
before creating anything, naming what is missing and how to get it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import yaml

from govcloud.diagnostics import UsageError
from govcloud.lab import tools
from govcloud.lab.kwok import select_clusters
from govcloud.plan import Plan
from govcloud.render.kind import render_kind_config

NODE_IMAGE = os.environ.get("GOVCLOUD_KIND_NODE_IMAGE", "kindest/node:v1.37.1")

Progress = Callable[[str, int, int], None]


def write_configs(plan: Plan, root: Path, profile: str) -> list[Path]:
    folder = root / "kind"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for c in select_clusters(plan, profile):
        p = folder / f"{c.name}.yaml"
        p.write_text(yaml.safe_dump(render_kind_config(c), sort_keys=False), encoding="utf-8")
        paths.append(p)
    return paths


def missing_prerequisites() -> list[str]:
    problems = []
    try:
        docker = tools.find("docker")
    except tools.MissingTool:
        return ["docker: install and start it with scripts/setup-docker.sh"]
    if subprocess.run([str(docker), "info"], capture_output=True).returncode != 0:
        problems.append("docker: the engine is not running (scripts/setup-docker.sh starts it)")
    try:
        tools.find("kind")
    except tools.MissingTool as e:
        problems.append(f"kind: {e}")
    if not problems and subprocess.run([str(docker), "image", "inspect", NODE_IMAGE], capture_output=True).returncode:
        problems.append(
            f"node image {NODE_IMAGE}: not in Docker and no registry to pull it from; build it with "
            "`kind build node-image` on a connected machine and `docker load` it here, or set "
            "GOVCLOUD_KIND_NODE_IMAGE to an image you have"
        )
    return problems


def existing() -> set[str]:
    kind = shutil.which("kind") or (
        str(tools.CACHE / "bin" / "kind") if (tools.CACHE / "bin" / "kind").exists() else None
    )
    if kind is None:
        return set()
    r = subprocess.run([kind, "get", "clusters"], capture_output=True, text=True)
    return set(r.stdout.split()) if r.returncode == 0 else set()


def up(plan: Plan, root: Path, profile: str, progress: Progress | None = None) -> list[str]:
    configs = write_configs(plan, root, profile)
    problems = missing_prerequisites()
    if problems:
        raise UsageError(
            "kind engine cannot start (configs written to "
            f"{configs[0].parent if configs else root / 'kind'}):\n  - " + "\n  - ".join(problems)
        )
    kind = str(tools.find("kind"))
    have = existing()
    made = []
    for i, cfg in enumerate(configs, 1):
        name = cfg.stem
        if name not in have:
            r = subprocess.run(
                [
                    kind,
                    "create",
                    "cluster",
                    "--name",
                    name,
                    "--config",
                    str(cfg),
                    "--image",
                    NODE_IMAGE,
                    "--kubeconfig",
                    str(root / "kind-kubeconfig"),
                ],
                capture_output=True,
                text=True,
            )
            if r.returncode != 0:
                raise UsageError(f"kind create cluster {name} failed:\n{r.stderr.strip()}")
        made.append(name)
        if progress:
            progress(name, i, len(configs))
    return made


KIND_FILES = ("kind", "kind-kubeconfig")
"""What `up` writes in the lab folder: the configs and the kubeconfig kind fills in."""


def down(plan: Plan) -> list[str]:
    """Delete the plan's kind clusters (their names); the files are the caller's (`KIND_FILES`)."""
    ours = {c.name for c in plan.clusters} & existing()
    if not ours:
        return []
    kind = str(tools.find("kind"))
    for name in sorted(ours):
        subprocess.run([kind, "delete", "cluster", "--name", name], capture_output=True)
    return sorted(ours)
