"""The lab's kubeconfig: one context per cluster, certificates by path (nothing secret inline)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True, slots=True)
class Entry:
    name: str
    server: str
    ca: Path
    cert: Path
    key: Path


def document(entries: list[Entry], current: str | None = None) -> dict[str, Any]:
    entries = sorted(entries, key=lambda e: e.name)
    return {
        "apiVersion": "v1",
        "kind": "Config",
        "preferences": {},
        "current-context": current or (entries[0].name if entries else ""),
        "clusters": [
            {"name": e.name, "cluster": {"server": e.server, "certificate-authority": str(e.ca)}} for e in entries
        ],
        "users": [
            {"name": f"{e.name}-admin", "user": {"client-certificate": str(e.cert), "client-key": str(e.key)}}
            for e in entries
        ],
        "contexts": [{"name": e.name, "context": {"cluster": e.name, "user": f"{e.name}-admin"}} for e in entries],
    }


def write(path: Path, entries: list[Entry], current: str | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        yaml.safe_dump(document(entries, current), f, sort_keys=False)
    tmp.replace(path)
    return path
