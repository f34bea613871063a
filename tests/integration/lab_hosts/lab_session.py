"""Helpers of the lab-host session the site playbook tests and the DR drill tests share."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
PROFILE_GROUP = "lab_compact"
RECAP = re.compile(r"^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)


def docker_ok() -> tuple[bool, str]:
    docker = real_docker()
    try:
        proc = subprocess.run(
            [docker, "info", "--format", "{{.ServerVersion}}"], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        return False, f"no docker client: {e}"
    return proc.returncode == 0, proc.stderr.strip()[:200]


def run(*args: str, timeout: float = 3600, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ANSIBLE_FORCE_COLOR": "0", "ANSIBLE_NOCOLOR": "1", **(env or {})}
    return subprocess.run(list(args), cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=env, check=False)


def recap(out: str) -> dict[str, dict[str, int]]:
    return {
        m[1]: {"ok": int(m[2]), "changed": int(m[3]), "unreachable": int(m[4]), "failed": int(m[5])}
        for m in RECAP.finditer(out)
    }


# A docker client that refuses one call, once, then is the real client: a half-failed `up`, for real.
# The call is the first whose argument list contains GC_FAULT_MATCH; GC_FAULT_MARKER records that the
# fault happened, so a retry in the same `up` passes.
REFUSING_DOCKER = """#!/bin/sh
case " $* " in
  *"$GC_FAULT_MATCH"*)
    if [ ! -e "$GC_FAULT_MARKER" ]; then
      : > "$GC_FAULT_MARKER"
      echo "Error response from daemon: injected fault (refused: docker $*)" >&2
      exit 1
    fi ;;
esac
exec "$GC_REAL_DOCKER" "$@"
"""


def refusing_docker(folder: Path, real: str, match: str, name: str) -> dict[str, str]:
    """The environment that makes govcloud's Docker calls go through a client refusing `match` once."""
    script = folder / "docker"
    script.write_text(REFUSING_DOCKER, encoding="utf-8")
    script.chmod(0o755)
    return {
        "GOVCLOUD_DOCKER": str(script),
        "GC_REAL_DOCKER": real,
        "GC_FAULT_MATCH": match,
        "GC_FAULT_MARKER": str(folder / f"{name}.refused"),
    }


def real_docker() -> str:
    return os.environ.get("GOVCLOUD_DOCKER") or ("/usr/bin/docker" if Path("/usr/bin/docker").exists() else "docker")
