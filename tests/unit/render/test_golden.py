"""`govcloud render` output for the small topology, compared byte for byte with golden files, and the
writer's promises: identical bytes on every run, atomic replacement, never a half-written folder.

Golden files: tests/unit/render/golden/<cluster>.yaml holds a cluster's whole folder (its
kustomization.yaml, then every file it lists, each after a `# --- <path>` line); summary.json is the
marker file. After an intended change to the renderers or the small topology, regenerate them and
review the diff:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/unit/render/test_golden.py
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
import yaml

from govcloud.cli import main
from govcloud.diagnostics import UsageError
from govcloud.plan import Plan
from govcloud.render import write
from govcloud.render.k8s import render_all

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def run_cli(*args: str) -> int:
    old = sys.argv
    sys.argv = ["govcloud", *args]
    try:
        main()
    except SystemExit as e:
        return int(e.code or 0)
    finally:
        sys.argv = old
    return 0


def flatten(cluster_dir: Path) -> str:
    """A cluster's folder as one text: kustomization.yaml, then each resource it lists, in its order."""
    kust = (cluster_dir / write.KUSTOMIZATION).read_text(encoding="utf-8")
    parts = [f"# --- {write.KUSTOMIZATION}\n{kust}"]
    for rel in yaml.safe_load(kust)["resources"]:
        parts.append(f"# --- {rel}\n{(cluster_dir / rel).read_text(encoding='utf-8')}")
    return "".join(parts)


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def rendered_dir(small_path: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    assert run_cli("render", str(small_path), "--out", str(out)) == 0
    return out


def test_render_matches_golden_files(rendered_dir: Path) -> None:
    clusters = sorted(p.name for p in rendered_dir.iterdir() if p.is_dir())
    got = {f"{c}.yaml": flatten(rendered_dir / c) for c in clusters}
    got["summary.json"] = (rendered_dir / write.MARKER).read_text(encoding="utf-8")
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        for old in GOLDEN.iterdir():
            old.unlink()
        for name, text in got.items():
            (GOLDEN / name).write_text(text, encoding="utf-8")
    want = {p.name: p.read_text(encoding="utf-8") for p in sorted(GOLDEN.iterdir())}
    assert sorted(got) == sorted(want), "clusters differ from the golden set (UPDATE_GOLDEN=1 to accept)"
    for name in want:
        assert got[name] == want[name], f"{name} differs from golden (UPDATE_GOLDEN=1 to accept, then review)"


def test_every_listed_file_exists_and_every_file_is_listed(rendered_dir: Path) -> None:
    for cluster in (p for p in rendered_dir.iterdir() if p.is_dir()):
        listed = yaml.safe_load((cluster / write.KUSTOMIZATION).read_text())["resources"]
        on_disk = sorted(str(p.relative_to(cluster)) for p in cluster.rglob("*.yaml") if p.name != write.KUSTOMIZATION)
        assert sorted(listed) == on_disk


def test_two_renders_are_byte_identical(small_path: Path, tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    assert run_cli("render", str(small_path), "--out", str(a)) == 0
    assert run_cli("render", str(small_path), "--out", str(b)) == 0
    assert tree(a) == tree(b)


def test_rerender_removes_what_an_earlier_render_wrote_and_leaves_no_temporary_folders(
    small_plan: Plan, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    write.write_tree(out, render_all(small_plan))
    # a file an earlier render wrote (its marker lists it) that this render no longer makes
    (out / "gc-p-prod" / "stale.yaml").write_text("old")
    marker = json.loads((out / write.MARKER).read_text())
    marker["files"].append("gc-p-prod/stale.yaml")
    (out / write.MARKER).write_text(json.dumps(marker))
    write.write_tree(out, render_all(small_plan))
    assert not (out / "gc-p-prod" / "stale.yaml").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_refuses_to_replace_a_rendered_folder_holding_a_file_it_did_not_write(small_plan: Plan, tmp_path: Path) -> None:
    out = tmp_path / "out"
    write.write_tree(out, render_all(small_plan))
    (out / "gc-p-prod" / "notes.txt").write_text("mine")
    with pytest.raises(UsageError, match=r"holds 1 file\(s\) govcloud did not write \(gc-p-prod/notes.txt\)"):
        write.write_tree(out, render_all(small_plan))
    assert (out / "gc-p-prod" / "notes.txt").read_text() == "mine"


def test_temporaries_of_a_killed_render_are_cleaned_by_the_next(small_plan: Plan, tmp_path: Path) -> None:
    dead = 2**22 + 1  # above pid_max: no process has it
    (tmp_path / f".out.tmp-{dead}-x1y2").mkdir()
    (tmp_path / f".out.old-{dead}").mkdir()
    (tmp_path / f".out.tmp-{os.getpid()}-live").mkdir()  # a render still running keeps its own
    write.write_tree(tmp_path / "out", render_all(small_plan))
    assert sorted(p.name for p in tmp_path.iterdir()) == [f".out.tmp-{os.getpid()}-live", "out"]


def test_a_failed_render_keeps_the_previous_output(
    small_plan: Plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    write.write_tree(out, render_all(small_plan))
    before = tree(out)
    calls = []

    def fail_second(root: Path, objs: list) -> int:
        calls.append(root)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(root, objs)

    real = write.write_cluster
    monkeypatch.setattr(write, "write_cluster", fail_second)
    with pytest.raises(UsageError, match="No space left"):
        write.write_tree(out, render_all(small_plan))
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_refuses_to_replace_a_folder_it_did_not_write(small_plan: Plan, tmp_path: Path) -> None:
    out = tmp_path / "precious"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    with pytest.raises(UsageError, match="not written by `govcloud render`"):
        write.write_tree(out, render_all(small_plan))
    assert (out / "notes.txt").read_text() == "keep me"


def test_cli_refusal_exits_2(small_path: Path, tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("x")
    assert run_cli("render", str(small_path), "--out", str(tmp_path)) == 2


def test_cli_json_summary_counts_objects_per_cluster(
    small_path: Path, small_rendered, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    assert run_cli("render", str(small_path), "--out", str(tmp_path / "o"), "--output", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert {c: v["objects"] for c, v in data["clusters"].items()} == {c: len(o) for c, o in small_rendered.items()}
    assert data["clusters"]["gc-p-prod"]["kinds"]["Namespace"] == 4


def test_cli_refuses_a_topology_with_design_errors_exit_1(tmp_path: Path) -> None:
    case = Path(__file__).resolve().parents[1] / "rules" / "cases" / "GC034_backup_same_city.yaml"
    assert run_cli("render", str(case), "--out", str(tmp_path / "o")) == 1
    assert not (tmp_path / "o").exists()
