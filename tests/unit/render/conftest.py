"""Fixtures for the Kubernetes renderer tests: the small topology's plan and its rendered clusters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from govcloud import pipeline
from govcloud.plan import Plan
from govcloud.render.k8s import render_all

SMALL = Path(__file__).resolve().parent / "small-topology.yaml"


@pytest.fixture(scope="session")
def small_path() -> Path:
    return SMALL


@pytest.fixture(scope="session")
def small_plan() -> Plan:
    return pipeline.load_plan(SMALL)


@pytest.fixture(scope="session")
def small_rendered(small_plan: Plan) -> dict[str, list[dict[str, Any]]]:
    return render_all(small_plan)
