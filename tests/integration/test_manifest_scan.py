"""Security scan of the rendered manifests with checkov (a well-known Kubernetes scanner from PyPI).

checkov pins many heavy dependencies, so it lives in its own venv, `.venv-scan/`, installed by
`scripts/setup-scan.sh` (idempotent, cached; this test runs it when the binary is missing). It runs
offline (`--skip-download`), where checkov has no severities (they come from Prisma Cloud's API), so
the test is stricter than "high severity": EVERY failed check fails the test unless it is listed, with
its reason, in tests/integration/manifest-scan-suppressions.yaml. A listed check that no longer fires
fails too, so the list stays minimal.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from govcloud import pipeline
from govcloud.render.k8s import render_all
from govcloud.render.write import write_tree

ROOT = Path(__file__).resolve().parents[2]
CHECKOV = ROOT / ".venv-scan" / "bin" / "checkov"
SETUP = ROOT / "scripts" / "setup-scan.sh"
SUPPRESSIONS = Path(__file__).resolve().parent / "manifest-scan-suppressions.yaml"
SMALL = ROOT / "tests" / "unit" / "render" / "small-topology.yaml"

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def checkov() -> Path:
    if not CHECKOV.exists():
        subprocess.run([str(SETUP)], check=True, timeout=900)
    return CHECKOV


def suppressions() -> dict[str, str]:
    entries = yaml.safe_load(SUPPRESSIONS.read_text(encoding="utf-8"))["suppressions"]
    return {e["id"]: e["reason"] for e in entries}


def scan(checkov: Path, folder: Path) -> list[dict[str, Any]]:
    r = subprocess.run(
        [
            str(checkov),
            "--directory",
            str(folder),
            "--framework",
            "kubernetes",
            "--output",
            "json",
            "--quiet",
            "--compact",
            "--skip-download",
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert r.returncode in (0, 1), f"checkov failed to run (exit {r.returncode}): {r.stderr[-2000:]}"
    reports = json.loads(r.stdout) if r.stdout.strip() else []
    reports = reports if isinstance(reports, list) else [reports]
    failed = [f for rep in reports for f in rep.get("results", {}).get("failed_checks", [])]
    passed = sum(rep.get("summary", {}).get("passed", 0) for rep in reports)
    assert passed > 0, "checkov passed nothing: did it find the manifests?"
    return failed


def test_every_suppression_has_a_reason() -> None:
    for check, reason in suppressions().items():
        assert check.startswith(("CKV_K8S_", "CKV2_K8S_")) and len(reason.split()) >= 8, check


@pytest.mark.parametrize("topology", [SMALL, ROOT / "topology.yaml"], ids=["small", "reference"])
def test_rendered_manifests_pass_checkov(checkov: Path, topology: Path, tmp_path: Path) -> None:
    out = tmp_path / "rendered"
    write_tree(out, render_all(pipeline.load_plan(topology)))
    failed = scan(checkov, out)
    allowed = suppressions()
    blocking = sorted(
        {(f["check_id"], f["check_name"], f["file_path"]) for f in failed if f["check_id"] not in allowed}
    )
    assert not blocking, "checkov findings (fix the renderer, or list them with a reason):\n" + "\n".join(
        f"  {cid} {name} in {path}" for cid, name, path in blocking[:40]
    )
    stale = sorted(set(allowed) - {f["check_id"] for f in failed})
    assert not stale, f"suppressions that no longer fire; remove them from {SUPPRESSIONS.name}: {stale}"
