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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # `make test` runs two pytest-xdist workers (`-n 2 --dist loadgroup`): the lab-host tier
    # (tests/integration/lab_hosts: site.yml and the DR drills, which wait on SSH, Patroni and drill
    # timeouts more than they compute) beside everything else. The two share no lab folder, port or
    # container; within each, tests run in order on one worker, as without xdist, so a module's lab
    # is made once and no two kwok labs ever run at once.
    for item in items:
        lane = "lab-hosts" if "lab_hosts" in item.path.parts else "rest"
        item.add_marker(pytest.mark.xdist_group(lane))
