"""`govcloud --help` lists every command from the CLI's own table, without importing any of them."""

from __future__ import annotations

import importlib
import inspect

import click
import pytest

from govcloud import cli


@pytest.mark.parametrize("name", list(cli.COMMANDS))
def test_each_listed_summary_is_the_first_line_of_its_commands_help(name: str) -> None:
    command = importlib.import_module(f"govcloud.cli.{name}").command
    assert command.help is not None
    assert cli.COMMANDS[name] == inspect.cleandoc(command.help).splitlines()[0]


def test_help_lists_every_command_without_importing_one(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_import(self: click.Group, ctx: click.Context, cmd_name: str) -> click.Command | None:
        raise AssertionError(f"--help imported the {cmd_name} command")

    monkeypatch.setattr(cli.LazyGroup, "get_command", no_import)
    assert cli.run(["--help"]) == 0
    section = capsys.readouterr().out.split("Commands:\n", 1)[1].split("\n\n", 1)[0]
    assert [line.split()[0] for line in section.splitlines()] == list(cli.COMMANDS)


def test_a_summary_too_long_for_the_terminal_is_cut_at_a_word() -> None:
    assert cli._shortened("Explain RULE (e.g. GC034), or list every rule.", 80) == (
        "Explain RULE (e.g. GC034), or list every rule."
    )
    assert cli._shortened("Check FILE against the schema and every rule.", 30) == "Check FILE against the..."
    assert cli._shortened("Expand FILE: clouds, centres", 20) == "Expand FILE..."
