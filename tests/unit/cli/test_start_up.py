"""The entry point holds the garbage collector off during the start-up only."""

from __future__ import annotations

import gc

import pytest

from govcloud import cli


def test_importing_the_command_ends_the_start_up_and_collection_resumes(capsys: pytest.CaptureFixture[str]) -> None:
    gc.disable()  # as main() leaves it
    try:
        assert cli.run(["explain", "GC034"]) == 0
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0  # what the start-up made is out of every later pass
    finally:
        gc.unfreeze()
        gc.enable()
    assert "GC034" in capsys.readouterr().out


def test_a_run_with_the_collector_on_leaves_it_alone() -> None:
    assert gc.isenabled()
    before = gc.get_freeze_count()
    assert cli.run(["explain", "GC034"]) == 0
    assert gc.isenabled() and gc.get_freeze_count() == before
