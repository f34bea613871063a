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
    docker = os.environ.get("GOVCLOUD_DOCKER") or ("/usr/bin/docker" if Path("/usr/bin/docker").exists() else "docker")
    try:
        proc = subprocess.run(
            [docker, "info", "--format", "{{.ServerVersion}}"], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        return False, f"no docker client: {e}"
    return proc.returncode == 0, proc.stderr.strip()[:200]


def run(*args: str, timeout: float = 3600) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ANSIBLE_FORCE_COLOR": "0", "ANSIBLE_NOCOLOR": "1"}
    return subprocess.run(list(args), cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=env, check=False)


def recap(out: str) -> dict[str, dict[str, int]]:
    return {
        m[1]: {"ok": int(m[2]), "changed": int(m[3]), "unreachable": int(m[4]), "failed": int(m[5])}
        for m in RECAP.finditer(out)
    }
