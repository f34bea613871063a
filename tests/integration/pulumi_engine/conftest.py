"""Running the source-built Pulumi engine the way the README does: the environment comes from
`scripts/pulumi-env.sh` (engine and provider on PATH, offline, state in the lab folder)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from govcloud.lab import tools

ROOT = Path(__file__).resolve().parents[3]

try:
    tools.find_all("pulumi", "pulumi-resource-kubernetes")
    MISSING = ""
except tools.MissingTool as e:
    MISSING = str(e)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not MISSING or os.environ.get("CI"):
        return  # in CI a missing engine fails the tests instead of skipping them
    skip = pytest.mark.skip(reason=f"Pulumi engine not built ({MISSING}); `make setup-full` builds it")
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(skip)


class Pulumi:
    """The `pulumi` CLI with the environment `eval "$(scripts/pulumi-env.sh)"` makes for one lab folder.

    With `checkout`, the environment is made as the README makes it: `scripts/pulumi-env.sh` run from
    that checkout's root with no GOVCLOUD_LAB_DIR, so the lab folder is the checkout's `.lab/`."""

    policy_pack = ROOT / "policy" / "govcloud-policy"

    def __init__(self, lab: Path, checkout: Path | None = None) -> None:
        if checkout is None:
            script, cwd = f'eval "$({ROOT}/scripts/pulumi-env.sh)" && env -0', None
            env = {**os.environ, "GOVCLOUD_LAB_DIR": str(lab)}
        else:
            script, cwd = 'eval "$(scripts/pulumi-env.sh)" && env -0', checkout
            env = {k: v for k, v in os.environ.items() if k != "GOVCLOUD_LAB_DIR"}
            assert lab == checkout / ".lab", "pulumi-env.sh run from a checkout's root uses its .lab/"
        out = subprocess.run(["bash", "-c", script], capture_output=True, check=True, cwd=cwd, env=env).stdout
        self.env = dict(line.split("=", 1) for line in out.decode().split("\0") if "=" in line)
        self.env["PULUMI_HOME"] = str(lab / "pulumi" / "home")  # keep the user's ~/.pulumi out of it

    def __call__(
        self, cwd: Path, *args: str, timeout: int = 1800, no_network: bool = False
    ) -> subprocess.CompletedProcess[str]:
        """Run pulumi; with `no_network`, in a network namespace of its own that has only loopback, so
        any attempt to reach another address (a plugin download, an update check) fails the run."""
        cmd = ["pulumi", *args, "--non-interactive"]
        if no_network:
            cmd = ["unshare", "--net", "sh", "-c", 'ip link set lo up && exec "$@"', "sh", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=self.env, timeout=timeout)


@pytest.fixture(scope="module")
def pulumi_for() -> Callable[[Path], Pulumi]:
    return Pulumi
