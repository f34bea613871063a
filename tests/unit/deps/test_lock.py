"""The lock files cover what pyproject.toml asks for, so setup never installs an unreviewed version."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[3]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^ \\;]+)")


def pins(lock: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        m = PIN.match(line)
        if m:
            out[canonicalize_name(m.group(1))] = m.group(2)
    return out


def wanted() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = list(project["dependencies"])
    for extra in ("deploy", "dev"):
        reqs += project["optional-dependencies"][extra]
    return [Requirement(r) for r in reqs]


@pytest.mark.parametrize("req", wanted(), ids=str)
def test_every_pyproject_requirement_is_pinned_in_the_lock_within_its_range(req: Requirement) -> None:
    pinned = pins(ROOT / "requirements" / "govcloud.lock")
    name = canonicalize_name(req.name)
    assert name in pinned, f"{req.name} is not in requirements/govcloud.lock: run scripts/lock.sh"
    assert req.specifier.contains(pinned[name], prereleases=True), (
        f"{req.name}=={pinned[name]} in the lock is outside {req.specifier}: run scripts/lock.sh"
    )


@pytest.mark.parametrize("lock", ["govcloud.lock", "checkov.lock"])
def test_every_locked_package_carries_a_hash(lock: str) -> None:
    text = (ROOT / "requirements" / lock).read_text(encoding="utf-8")
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    unhashed = [b.split()[0] for b in blocks if "==" in b and "--hash=sha256:" not in b]
    assert not unhashed


def test_the_bootstrap_tools_are_locked_too() -> None:
    pinned = pins(ROOT / "requirements" / "govcloud.lock")
    assert {"pip", "setuptools", "wheel"} <= set(pinned)
