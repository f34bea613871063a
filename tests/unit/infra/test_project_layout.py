"""The project files the README's Pulumi commands rely on, checked without the engine.

How the engine (v3.259.0) treats them, from its sources: `--policy-pack PATH` is checked with
os.Stat from the folder pulumi runs in, but an executable pack is then started with the program
folder (Pulumi.yaml `main:`) as its working directory, so a relative PATH must name the launcher from
both. And `pulumi stack select <stack> --create` writes the passphrase's encryption salt into
Pulumi.<stack>.yaml, which lives in Pulumi.yaml's `stackConfigDir` (else beside Pulumi.yaml).
The engine doing both for real: tests/integration/pulumi_engine/test_pulumi_lab.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
README_POLICY_PACK = "policy/govcloud-policy"


def _project() -> dict[str, object]:
    return yaml.safe_load((ROOT / "Pulumi.yaml").read_text())


def test_the_readme_s_policy_pack_path_names_the_launcher_from_the_root_and_the_program_folder() -> None:
    program = ROOT / str(_project()["main"])
    launcher = ROOT / README_POLICY_PACK
    assert launcher.is_file() and os.access(launcher, os.X_OK)
    from_program = program / README_POLICY_PACK
    assert from_program.is_file(), f"{from_program} does not exist: the engine would say 'policy pack not found'"
    assert from_program.resolve() == launcher.resolve()


def test_stack_settings_and_their_salt_are_written_to_the_lab_folder_git_ignores() -> None:
    configured = _project().get("stackConfigDir")
    assert configured, "no stackConfigDir: Pulumi.<stack>.yaml and its salt would go beside Pulumi.yaml"
    settings_dir = (ROOT / str(configured)).resolve()
    lab = (ROOT / ".lab").resolve()
    assert settings_dir.is_relative_to(lab), settings_dir
    assert "/.lab/" in (ROOT / ".gitignore").read_text().split()
