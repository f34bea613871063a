"""The repository's own hygiene, asked of git itself (issue 12.20d). Here, not in tests/unit: it runs
`git`, and the unit tier starts no process."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        shutil.which("git") is None or not (ROOT / ".git").exists(),
        reason="not a git checkout (an sdist or a copied tree has no index to compare .gitignore with)",
    ),
]


def test_gitignore_ignores_no_tracked_file() -> None:
    """A tracked file that .gitignore matches is one `git add -A` silently stops updating."""
    r = subprocess.run(
        ["git", "ls-files", "--cached", "--ignored", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert r.stdout == "", f"tracked but ignored by .gitignore:\n{r.stdout}"


def test_gitignore_keeps_the_lab_state_and_reports_out() -> None:
    r = subprocess.run(
        ["git", "check-ignore", "--no-index", ".lab/kubeconfig", "reports/drills/x.json", ".venv/bin/python"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.stdout.split() == [".lab/kubeconfig", "reports/drills/x.json", ".venv/bin/python"]
