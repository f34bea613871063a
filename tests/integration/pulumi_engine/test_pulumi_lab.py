"""The README's Pulumi path, its commands as written, from the root of a checkout:

    govcloud lab up
    eval "$(scripts/pulumi-env.sh)"
    pulumi stack select lab --create
    pulumi up --yes --policy-pack policy/govcloud-policy
    .venv/bin/pytest tests/live/clusters
    pulumi up --yes --expect-no-changes --policy-pack policy/govcloud-policy
    pulumi destroy --yes
    govcloud lab down

on the source-built engine and provider, state in the checkout's `.lab/`, the policy pack on. The
up must create every cluster's objects through its own provider, the second up must change nothing,
destroy must leave every cluster empty, and afterwards `git status` must show the checkout as it was.

The checkout is a copy of this one (tracked and new files as they are now), committed in a git
repository of its own in a temporary folder, so the commands cannot touch this checkout or its lab.
Two differences from the README, both for CI: the lab is the compact profile (6 clusters, ~640
resources; `make bench-pulumi` does the whole province), so the stack gets `govcloud:profile
compact`; and `lab down` keeps the lab host containers, which are shared by every lab on the machine.
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
POLICY_PACK = "policy/govcloud-policy"  # relative, as the README gives it
GIT = ["git", "-c", "user.name=govcloud-test", "-c", "user.email=test@govcloud.invalid", "-c", "commit.gpgsign=false"]
# The README's commands run as a shell in the checkout would: no lab folder or topology chosen.
README_ENV = {k: v for k, v in os.environ.items() if k not in ("GOVCLOUD_LAB_DIR", "GOVCLOUD_TOPOLOGY")}


@dataclass
class Stack:
    checkout: Path
    pulumi: Any
    expected: dict[str, int]
    """Objects per cluster context, as the renderer makes them."""

    @property
    def lab(self) -> Path:
        return self.checkout / ".lab"

    @property
    def resources(self) -> int:
        """Pulumi's count: every object, and per cluster its component and provider, and the stack."""
        return sum(self.expected.values()) + 2 * len(self.expected) + 1


def copy_of_this_checkout(dest: Path) -> Path:
    """This checkout's files as git sees them (tracked and new, working-tree content, symlinks kept),
    committed in a fresh repository, with this checkout's virtualenv linked in as `.venv` (excluded in
    .git/info/exclude: it stands for the one `scripts/setup.sh` would make)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        capture_output=True,
        check=True,
        cwd=ROOT,
    ).stdout
    for name in sorted({n for n in listed.decode().split("\0") if n}):
        src, dst = ROOT / name, dest / name
        if not src.is_symlink() and not src.exists():
            continue  # deleted in the working tree, not yet committed
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink():
            dst.symlink_to(os.readlink(src))
        else:
            shutil.copy2(src, dst)
    subprocess.run([*GIT, "init", "-q"], check=True, cwd=dest)
    (dest / ".venv").symlink_to(sys.prefix)
    with (dest / ".git" / "info" / "exclude").open("a") as f:
        f.write("# the test's stand-in for the virtualenv scripts/setup.sh makes\n/.venv\n")
    subprocess.run([*GIT, "add", "-A"], check=True, cwd=dest)
    subprocess.run([*GIT, "commit", "-q", "-m", "the checkout under test"], check=True, cwd=dest)
    return dest


def govcloud(checkout: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(checkout / ".venv" / "bin" / "govcloud"), *args],
        capture_output=True,
        text=True,
        cwd=checkout,
        env=README_ENV,
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
def stack(tmp_path_factory: pytest.TempPathFactory, pulumi_for: Callable[..., Any]) -> Iterator[Stack]:
    checkout = copy_of_this_checkout(tmp_path_factory.mktemp("pulumi-lab") / "govcloud")
    r = govcloud(checkout, "lab", "up", "--profile", PROFILE)
    assert r.returncode == 0, r.stderr[-3000:]
    plan = pipeline.load_plan(ROOT / "topology.yaml")
    expected = {c.context: len(render_cluster(plan, c)) for c in select_clusters(plan, PROFILE)}
    pulumi = pulumi_for(checkout / ".lab", checkout)
    stack = Stack(checkout, pulumi, expected)
    try:
        r = pulumi(checkout, "stack", "select", "lab", "--create")
        assert r.returncode == 0, r.stderr
        r = pulumi(checkout, "config", "set", "govcloud:profile", PROFILE)
        assert r.returncode == 0, r.stderr
        yield stack
    finally:
        if (stack.lab / "kubeconfig").exists():  # the last test took the lab down after a clean destroy
            pulumi(checkout, "destroy", "--yes", "--skip-preview", "--parallel", "32")
            govcloud(checkout, "lab", "down", "--keep-hosts")


def test_the_stack_s_settings_and_salt_go_to_the_lab_folder(stack: Stack) -> None:
    settings = yaml.safe_load((stack.lab / "pulumi" / "Pulumi.lab.yaml").read_text())
    assert settings["encryptionsalt"].startswith("v1:"), settings
    assert settings["config"] == {"govcloud:profile": PROFILE}
    assert not (stack.checkout / "Pulumi.lab.yaml").exists()


def test_pulumi_up_creates_every_cluster_s_objects_through_its_own_provider(stack: Stack) -> None:
    r = stack.pulumi(stack.checkout, "up", "--yes", "--policy-pack", POLICY_PACK)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    assert f"+ {stack.resources} created" in r.stdout, r.stdout[-3000:]
    # the clean province passes the policy pack, found by the README's relative path
    assert f"✅ govcloud@v0.1.0 (local: {POLICY_PACK})" in r.stdout, r.stdout[-3000:]
    for context, count in stack.expected.items():
        assert len(managed_objects(stack, context)) == count, context


def test_every_object_went_through_its_cluster_s_provider(stack: Stack) -> None:
    r = stack.pulumi(stack.checkout, "stack", "export")
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
        [".venv/bin/pytest", "tests/live/clusters"],
        capture_output=True,
        text=True,
        cwd=stack.checkout,
        env=README_ENV,
        timeout=900,
    )
    assert r.returncode == 0, r.stdout[-4000:]


def test_a_second_pulumi_up_reports_no_changes(stack: Stack) -> None:
    r = stack.pulumi(stack.checkout, "up", "--yes", "--expect-no-changes", "--policy-pack", POLICY_PACK)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    assert f"    {stack.resources} unchanged" in r.stdout, r.stdout[-3000:]


def test_pulumi_destroy_leaves_the_clusters_empty(stack: Stack) -> None:
    r = stack.pulumi(stack.checkout, "destroy", "--yes")
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    for context in stack.expected:
        assert managed_objects(stack, context) == [], context


def test_the_readme_path_leaves_the_checkout_as_git_has_it(stack: Stack) -> None:
    r = govcloud(stack.checkout, "lab", "down", "--keep-hosts")
    assert r.returncode == 0, r.stderr[-3000:]
    r = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        capture_output=True,
        text=True,
        check=True,
        cwd=stack.checkout,
    )
    assert r.stdout == "", "the README's commands changed or left files in the checkout:\n" + r.stdout
