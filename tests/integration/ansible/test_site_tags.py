"""`site.yml --tags backup` / `--tags restore` select the backup role's tasks (ansible-playbook's own
task list, no hosts contacted). Tags on a dynamic include_role would tag only the include; the lab
session (tests/integration/lab_hosts) runs both tags against real hosts."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]
TASK = re.compile(r"^\s{6}(\S.*?)\tTAGS: \[(.*)\]$", re.M)


def _tasks(*tags: str) -> list[str]:
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "ansible-playbook"), "playbooks/site.yml", "--list-tasks", *tags],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return [m[1] for m in TASK.finditer(proc.stdout)]


def test_tag_backup_selects_every_backup_task_and_nothing_else() -> None:
    tasks = _tasks("--tags", "backup")
    assert tasks and all(t.startswith("backup : ") for t in tasks), tasks
    names = {t.removeprefix("backup : ") for t in tasks}
    # the receiver, the source and the restore check, each by one of its own tasks
    assert {"Backup account", "Staging folder", "Restore check script"} <= names, names


def test_tag_restore_selects_only_the_restore_check() -> None:
    tasks = _tasks("--tags", "restore")
    assert tasks == [
        "backup : Restore check script",
        "backup : Restore each source's latest base backup with its WAL archive",
    ]
