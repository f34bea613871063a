"""Find the upstream tools the lab runs: built from source by scripts/setup-*.sh into a cache.

Nothing is downloaded here: a missing tool is a clear error naming the setup step that builds it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from govcloud.diagnostics import RuntimeFailure

CACHE = Path(os.environ.get("GOVCLOUD_CACHE", "/var/cache/govcloud"))
SETUP_HINT = {
    "etcd": "scripts/setup-k8s-tools.sh (or `make setup-full`)",
    "kube-apiserver": "scripts/setup-k8s-tools.sh (or `make setup-full`)",
    "kube-controller-manager": "scripts/setup-k8s-tools.sh (or `make setup-full`)",
    "kube-scheduler": "scripts/setup-k8s-tools.sh (or `make setup-full`)",
    "kwok": "scripts/setup-k8s-tools.sh (or `make setup-full`)",
    "kind": "scripts/setup-k8s-tools.sh (or `make setup-full`)",
    "docker": "scripts/setup-docker.sh (Debian's docker.io)",
    "pulumi": "scripts/setup-pulumi.sh (or `make setup-pulumi`)",
    "toxiproxy-server": "scripts/setup-toxiproxy.sh (or `make setup-full`)",
    "pulumi-resource-kubernetes": "scripts/setup-pulumi.sh (or `make setup-pulumi`)",
}


class MissingTool(RuntimeFailure):
    pass


def find(name: str) -> Path:
    """The cached build first (it is the pinned version), then PATH."""
    cached = CACHE / "bin" / name
    if cached.is_file() and os.access(cached, os.X_OK):
        return cached
    found = shutil.which(name)
    if found:
        return Path(found)
    raise MissingTool(
        f"{name} is not installed; build it with {SETUP_HINT.get(name, 'the setup script')} "
        f"(looked in {CACHE / 'bin'} and PATH)"
    )


def find_all(*names: str) -> dict[str, Path]:
    missing, found = [], {}
    for n in names:
        try:
            found[n] = find(n)
        except MissingTool:
            missing.append(n)
    if missing:
        hints = sorted({SETUP_HINT.get(n, "the setup script") for n in missing})
        raise MissingTool(
            f"missing {', '.join(missing)}: build with {'; '.join(hints)} (looked in {CACHE / 'bin'} and PATH)"
        )
    return found
