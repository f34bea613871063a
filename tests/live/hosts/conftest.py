"""testinfra over the lab inventory:
    .venv/bin/pytest tests/live/hosts --hosts='ansible://lab_compact' --ssh-identity-file=.lab/ssh/id_ed25519
(ansible://all for a full lab; testinfra takes the key from that flag, not from ansible.cfg).
Run from the repository root so ansible.cfg (inventory, key, user) applies."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# testinfra's ansible backend runs `ansible-inventory` by name: make this interpreter's scripts (the
# project venv's ansible) findable even when the venv is not activated, as with `.venv/bin/pytest`.
_BIN = str(Path(sys.executable).parent)
if _BIN not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = os.pathsep.join([_BIN, os.environ.get("PATH", "")])


@pytest.fixture
def hv(host):  # type: ignore[no-untyped-def]
    """The host's inventory variables (from the govcloud inventory plugin)."""
    return host.ansible.get_variables()
