"""`pulumi up` of the province on the kwok lab, as the README runs it: the source-built engine and
provider, state in the lab folder, the policy pack on. Then the live suite, a second `pulumi up` that
must change nothing, and `pulumi destroy`, which must leave every cluster empty.

The lab is the compact profile (6 clusters, ~640 resources) to keep CI short; `make bench-pulumi`
does the same for the whole province. The project is a copy of Pulumi.yaml and infra/ in a temporary
folder, so that creating the stack (which writes its encryption salt into Pulumi.<stack>.yaml) leaves
the checkout untouched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from govcloud import pipeline
from govcloud.lab import tools
from govcloud.lab.kwok import select_clusters
from govcloud.render.k8s import render_cluster

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]
PROFILE = "compact"
MANAGED = "app.kubernetes.io/managed-by=govcloud"
KINDS = (
    "namespaces,priorityclasses,resourcequotas,limitranges,serviceaccounts,configmaps,services,"
    "networkpolicies,deployments,poddisruptionbudgets,cronjobs"
)


@dataclass
class Stack:
    lab: Path
    project: Path
    pulumi: Any
    expected: dict[str, int]
    """Objects per cluster context, as the renderer makes them."""

    @property
    def resources(self) -> int:
        """Pulumi's count: every object, and per cluster its component and provider, and the stack."""
        return sum(self.expected.values()) + 2 * len(self.expected) + 1


def govcloud(lab: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "govcloud", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "GOVCLOUD_LAB_DIR": str(lab)},
        timeout=900,
    )


def managed_objects(stack: Stack, context: str) -> list[str]:
    r = subprocess.run(
        [
            str(tools.find("kubectl")),
            "--kubeconfig",
            str(stack.lab / "kubeconfig"),
            "--context",
            context,
            "get",
            KINDS,
            "-A",
            "-l",
            MANAGED,
            "-o",
            "name",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    return r.stdout.split()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, pulumi_for: Callable[[Path], Any]) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("pulumi-lab")
    lab, project = tmp / "lab", tmp / "project"
    r = govcloud(lab, "lab", "up", "--profile", PROFILE)
    assert r.returncode == 0, r.stderr[-3000:]
    project.mkdir()
    shutil.copy(ROOT / "Pulumi.yaml", project)
    shutil.copytree(ROOT / "infra", project / "infra", ignore=shutil.ignore_patterns("__pycache__"))
    config = {
        "govcloud:topology": str(ROOT / "topology.yaml"),
        "govcloud:kubeconfig": str(lab / "kubeconfig"),
        "govcloud:profile": PROFILE,
    }
    (project / "Pulumi.lab.yaml").write_text(yaml.safe_dump({"config": config}))
    plan = pipeline.load_plan(ROOT / "topology.yaml")
    expected = {c.context: len(render_cluster(plan, c)) for c in select_clusters(plan, PROFILE)}
    pulumi = pulumi_for(lab)
    r = pulumi(project, "stack", "select", "lab", "--create")
    assert r.returncode == 0, r.stderr
    yield Stack(lab, project, pulumi, expected)
    pulumi(project, "destroy", "--yes", "--skip-preview", "--parallel", "32")
    govcloud(lab, "lab", "down", "--keep-hosts")


def test_pulumi_up_creates_every_cluster_s_objects_through_its_own_provider(stack: Stack) -> None:
    r = stack.pulumi(stack.project, "up", "--yes", "--skip-preview", "--policy-pack", str(stack.pulumi.policy_pack))
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    assert f"+ {stack.resources} created" in r.stdout, r.stdout[-3000:]
    assert "✅ govcloud@v0.1.0" in r.stdout, r.stdout[-3000:]  # the clean province passes the policy pack
    for context, count in stack.expected.items():
        assert len(managed_objects(stack, context)) == count, context


def test_every_object_went_through_its_cluster_s_provider(stack: Stack) -> None:
    r = stack.pulumi(stack.project, "stack", "export")
    assert r.returncode == 0, r.stderr
    state = yaml.safe_load(r.stdout)  # JSON is YAML
    providers = {
        res["urn"]: res["inputs"]["context"]
        for res in state["deployment"]["resources"]
        if res["type"] == "pulumi:providers:kubernetes"
    }
    assert sorted(providers.values()) == sorted(stack.expected)
    per_context: dict[str, int] = dict.fromkeys(stack.expected, 0)
    for res in state["deployment"]["resources"]:
        if res["type"].startswith("kubernetes:"):
            per_context[providers[res["provider"].rsplit("::", 1)[0]]] += 1
    assert per_context == stack.expected


def test_the_live_suite_passes_after_pulumi_up(stack: Stack) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/live/clusters", "-q", "-p", "no:cacheprovider"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "GOVCLOUD_LAB_DIR": str(stack.lab)},
        timeout=900,
    )
    assert r.returncode == 0, r.stdout[-4000:]


def test_a_second_pulumi_up_reports_no_changes(stack: Stack) -> None:
    r = stack.pulumi(
        stack.project, "up", "--yes", "--expect-no-changes", "--policy-pack", str(stack.pulumi.policy_pack)
    )
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    assert f"    {stack.resources} unchanged" in r.stdout, r.stdout[-3000:]


def test_pulumi_destroy_leaves_the_clusters_empty(stack: Stack) -> None:
    r = stack.pulumi(stack.project, "destroy", "--yes", "--skip-preview", "--parallel", "32")
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    for context in stack.expected:
        assert managed_objects(stack, context) == [], context
