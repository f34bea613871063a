"""Live suite for the lab's clusters: what runs must be what the plan says.

Runs against whatever lab is up (`govcloud lab up`, then `govcloud deploy` or `pulumi up`), through
testinfra's local host driving kubectl with the lab's kubeconfig. With no lab up every test fails
with one clear message (a live suite that silently skips proves nothing).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import testinfra

from govcloud import pipeline
from govcloud.lab.kwok import KwokLab
from govcloud.lab.state import lab_dir
from govcloud.lab.tools import CACHE
from govcloud.plan import Plan

ROOT = Path(__file__).resolve().parents[3]
TOPOLOGY = Path(os.environ.get("GOVCLOUD_TOPOLOGY", ROOT / "topology.yaml"))


def _plan() -> Plan:
    return pipeline.load_plan(TOPOLOGY)


def _running() -> tuple[KwokLab, list[str]]:
    lab = KwokLab(_plan(), lab_dir(TOPOLOGY.parent))
    return lab, [s.name for s in lab.status() if s.api_ready]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "cluster" in metafunc.fixturenames:
        _, names = _running()
        metafunc.parametrize("cluster", names or ["<no lab>"], scope="session")


class Kubectl:
    """kubectl through testinfra (arguments quoted by host.run), JSON out."""

    def __init__(self, kubeconfig: Path) -> None:
        self.host = testinfra.get_host("local://")
        self.kubeconfig = str(kubeconfig)
        cached = CACHE / "bin" / "kubectl"
        self.kubectl = str(cached) if cached.exists() else "kubectl"

    def get(self, context: str, *what: str, namespace: str | None = None) -> Any:
        ns = ["--namespace", namespace] if namespace else ["--all-namespaces"]
        args = [self.kubectl, "--kubeconfig", self.kubeconfig, "--context", context, "get", *what, *ns, "-o", "json"]
        out = self.host.check_output(" ".join(["%s"] * len(args)), *args)
        return json.loads(out)


@pytest.fixture(scope="session")
def plan() -> Plan:
    return _plan()


@pytest.fixture(scope="session")
def lab() -> KwokLab:
    lab, names = _running()
    if not names:
        pytest.fail(
            f"no lab is up (looked in {lab.root}): run `govcloud lab up` and `govcloud deploy` first", pytrace=False
        )
    return lab


@pytest.fixture(scope="session")
def kubectl(lab: KwokLab) -> Kubectl:
    return Kubectl(lab.kubeconfig)
