"""Live suite for the lab's clusters: what runs must be what the plan says.

Runs against whatever lab is up (`govcloud lab up`, on kwok or kind, then `govcloud deploy` or
`pulumi up`), through testinfra's local host driving kubectl with the lab's kubeconfig. With no lab
up every test fails with one clear message (a live suite that silently skips proves nothing).
Tests that need real processes in the pods (marker `real_pods`) run on kind's clusters and are
skipped, saying why, on kwok's, whose pods are simulated.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import testinfra

from govcloud import pipeline
from govcloud.lab import engines
from govcloud.lab.state import lab_dir
from govcloud.lab.tools import CACHE
from govcloud.plan import Plan

ROOT = Path(__file__).resolve().parents[3]
TOPOLOGY = Path(os.environ.get("GOVCLOUD_TOPOLOGY", ROOT / "topology.yaml"))


def _plan() -> Plan:
    return pipeline.load_plan(TOPOLOGY)


class Lab:
    """The running lab: its folder, kubeconfig, and which engine runs each cluster."""

    def __init__(self) -> None:
        self.root = lab_dir(TOPOLOGY.parent)
        self.kubeconfig = self.root / "kubeconfig"
        self.engine = {s.name: e for e, s in engines.statuses(_plan(), self.root) if s.api_ready}


def _running() -> tuple[Lab, list[str]]:
    lab = Lab()
    return lab, sorted(lab.engine)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "cluster" in metafunc.fixturenames:
        _, names = _running()
        metafunc.parametrize("cluster", names or ["<no lab>"], scope="session")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A `real_pods` test on a kwok cluster is skipped, with the reason in the report (-ra)."""
    lab: Lab | None = None
    for item in items:
        if item.get_closest_marker("real_pods") is None or not hasattr(item, "callspec"):
            continue
        cluster = item.callspec.params.get("cluster")
        lab = lab or Lab()
        engine = lab.engine.get(str(cluster))
        if engine == "kwok":
            item.add_marker(
                pytest.mark.skip(
                    reason=f"{cluster} runs on kwok, whose pods are simulated (no process to check): "
                    "this check runs on `govcloud lab up --engine kind`"
                )
            )


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

    def run(self, context: str, *args: str, stdin: str | None = None) -> Any:
        """Any kubectl command; `stdin` is a JSON document, fed by here-doc. testinfra's result."""
        argv = [self.kubectl, "--kubeconfig", self.kubeconfig, "--context", context, *args]
        cmd = " ".join(["%s"] * len(argv))
        if stdin is not None:
            assert "\nEOF" not in stdin
            cmd += " <<'EOF'\n" + stdin + "\nEOF"
        return self.host.run(cmd, *argv)


@pytest.fixture(scope="session")
def plan() -> Plan:
    return _plan()


@pytest.fixture(scope="session")
def lab() -> Lab:
    lab, names = _running()
    if not names:
        pytest.fail(
            f"no lab is up (looked in {lab.root}): run `govcloud lab up` and `govcloud deploy` first", pytrace=False
        )
    return lab


@pytest.fixture(scope="session")
def kubectl(lab: Lab) -> Kubectl:
    return Kubectl(lab.kubeconfig)
