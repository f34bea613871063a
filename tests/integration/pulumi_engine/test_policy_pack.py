"""The policy pack through the real engine: a change that breaks every policy once is blocked at
preview, each violation named with its resource and a readable message, and the one object that is
right is left alone. (The clean province passing is in test_pulumi_lab.py: its `pulumi up` runs with
the pack.) No cluster is needed: the provider previews against an unreachable kubeconfig. The preview
runs in a network namespace with nothing but loopback: the engine, its plugins and the pack need no
network at all."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.integration

FIXTURE = Path(__file__).parent / "violations"

EXPECTED = {
    (
        "namespace-default-deny",
        "kubernetes:core/v1:Namespace: intake",
    ): "namespace 'intake' on gc-p-prod has no default-deny NetworkPolicy",
    (
        "isolated-zone-not-exposed",
        "kubernetes:core/v1:Service: registry-public",
    ): "Service 'registry-public' (namespace 'registry' on gc-p-prod) is type LoadBalancer, but zone 'dedicated' "
    "is isolated",
    (
        "mlps-level-isolated-zone",
        "kubernetes:core/v1:Namespace: permits",
    ): "namespace 'permits' on gc-p-prod holds MLPS level 3 systems but is in zone 'extranet', which is not isolated",
    (
        "namespace-pod-security-restricted",
        "kubernetes:core/v1:Namespace: notices",
    ): "namespace 'notices' on gc-p-prod enforces 'baseline'; it must enforce 'restricted'",
    (
        "containers-non-root-with-limits",
        "kubernetes:apps/v1:Deployment: notices-web",
    ): "container 'app' may run as root (set securityContext.runAsNonRoot: true); has no cpu or memory limit",
}


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory, pulumi_for: Callable[[Path], Any]) -> str:
    tmp = tmp_path_factory.mktemp("policy")
    project = tmp / "project"
    shutil.copytree(FIXTURE, project, ignore=shutil.ignore_patterns("__pycache__"))
    pulumi = pulumi_for(tmp / "lab")
    r = pulumi(project, "stack", "init", "violations")
    assert r.returncode == 0, r.stderr
    r = pulumi(project, "preview", "--policy-pack", str(pulumi.policy_pack), timeout=600, no_network=True)
    assert r.returncode != 0, "a preview with mandatory violations must fail:\n" + r.stdout[-3000:]
    return r.stdout


def test_a_violating_change_is_blocked_at_preview(preview: str) -> None:
    assert "❌ govcloud@v0.1.0" in preview
    assert "error: preview failed" in preview


@pytest.mark.parametrize(("policy", "resource"), list(EXPECTED))
def test_each_violation_names_its_policy_resource_and_the_fix(preview: str, policy: str, resource: str) -> None:
    assert f"[mandatory] [severity: high]  {policy}  ({resource})" in preview
    assert EXPECTED[(policy, resource)] in preview


def test_only_the_violating_objects_are_reported(preview: str) -> None:
    reported = [line for line in preview.splitlines() if "[mandatory]" in line]
    assert len(reported) == len(EXPECTED), "\n".join(reported)
    assert "notices-api" not in "\n".join(reported)
