"""Shared test helpers. Tiers: tests/unit (no processes), tests/integration (real processes),
tests/live (a running lab)."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def minimal_path() -> Path:
    return FIXTURES / "minimal.yaml"


@pytest.fixture(scope="session")
def reference_path() -> Path:
    return ROOT / "topology.yaml"
