"""The thin CLI: parse flags, call the library, map results to exit codes.

Exit codes (README, `govcloud --help`): 0 ok; 1 design errors (or warnings with --strict), or work
that ran and failed on what it found; 2 usage or I/O errors (bad flags, a file that is not a
topology); 3 a bug in govcloud; 4 a runtime failure (Docker, a lab process, a tool missing).
One module per command, imported only when its command runs (a `validate` never loads the
Kubernetes client, Pulumi's renderers or the lab); commands return their exit code and only `main`
exits.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
from collections.abc import Sequence

import click

from govcloud import __version__
from govcloud.console import note, print_json
from govcloud.diagnostics import Diagnostic, GovcloudError, RuntimeFailure, UsageError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_BUG, EXIT_RUNTIME = 0, 1, 2, 3, 4


# command name (its module under govcloud.cli, which defines `command`) -> the first line of its help, in
# `--help` order. `govcloud --help` lists commands from here, so it imports none of them (the lab and
# deploy modules alone bring in the Kubernetes client); a unit test keeps each line equal to its command's.
COMMANDS = {
    "validate": "Check FILE (default topology.yaml) against the schema and every rule.",
    "explain": "Explain RULE (e.g. GC034), or list every rule.",
    "plan": "Expand FILE: clouds, centres, lab clusters, extranet nodes per tier, address use, KPIs.",
    "schema": "Print the topology file's JSON Schema (editors complete and check against it).",
    "graph": "Draw FILE: province map by coordinates, extranet tiers, one diagram per data centre.",
    "report": "Write FILE's KPI report: each KPI against its target, its definition and who keeps it below.",
    "render": "Render FILE's Kubernetes objects: one folder per cluster with a kustomization.yaml.",
    "lab": "The lab: containers and clusters that stand in for the province's data centres.",
    "deploy": "Server-side apply FILE's objects to every running lab cluster (field manager govcloud).",
    "drill": "DR drills on the lab hosts: named steps, the load generator, reports (docs/dr-drills.md).",
}


def _shortened(text: str, limit: int) -> str:
    """`text` on one line of at most `limit` characters, cut at a word and marked '...' if it had to be."""
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 3, 1)].rsplit(" ", 1)[0]
    return cut.rstrip(" ,:;") + "..."


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use; its help lists them without importing any."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        limit = formatter.width - 6 - max(map(len, COMMANDS))  # click's own allowance
        with formatter.section("Commands"):
            formatter.write_dl([(name, _shortened(summary, limit)) for name, summary in COMMANDS.items()])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module = importlib.import_module(f"govcloud.cli.{cmd_name}")
        if not gc.isenabled():  # main() held the collector off for the start-up, which is over
            _start_up_done()
        command: click.Command = module.command
        if cmd_name == "lab" and "up" not in getattr(command, "commands", {}):
            from govcloud.cli import lab_clusters

            assert isinstance(command, click.Group)
            lab_clusters.register(command)  # lab up|status|down beside lab hosts …
        return command


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="Exit codes: 0 ok, 1 design errors, 2 usage or I/O error, 3 bug in govcloud, 4 runtime failure.",
)
@click.version_option(__version__, prog_name="govcloud")
def cli() -> None:
    """govcloud: a provincial government cloud and network, from one topology file."""


def _output(argv: Sequence[str]) -> str:
    """The -o/--output the user asked for, read from the raw arguments: an error can happen before
    (or because) click parsed them, and a machine reading JSON must get JSON either way."""
    fmt = "text"
    for i, a in enumerate(argv):
        if a == "--":
            break
        if a in ("-o", "--output") and i + 1 < len(argv):
            fmt = argv[i + 1]
        elif a.startswith("--output="):
            fmt = a.split("=", 1)[1]
        elif a.startswith("-o") and len(a) > 2 and not a.startswith("--"):
            fmt = a[2:]
    return fmt


def _fail(code: int, message: str, diagnostics: Sequence[Diagnostic], fmt: str) -> int:
    if fmt == "json":
        print_json(
            {"ok": False, "exit_code": code, "error": message, "diagnostics": [d.as_dict() for d in diagnostics]}
        )
    elif fmt == "sarif" and diagnostics:
        from govcloud.report.sarif import to_sarif

        print_json(to_sarif(list(diagnostics)))
    if diagnostics:
        for d in diagnostics:
            note(d.render())
    else:
        note(f"govcloud: error: {message}")
    return code


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI on `argv` and return the exit code (tests call this; `main` exits with it)."""
    args = list(sys.argv[1:] if argv is None else argv)
    fmt = _output(args)
    try:
        rc = cli.main(args, prog_name="govcloud", standalone_mode=False)
    except click.exceptions.Exit as e:  # --help, --version
        return int(e.exit_code or 0)
    except click.Abort:
        note("aborted")
        return 130
    except click.exceptions.NoArgsIsHelpError as e:  # `govcloud` alone: the help, as a usage error
        sys.stderr.write(e.format_message() + "\n")
        return EXIT_USAGE
    except click.UsageError as e:
        where = e.ctx.command_path if e.ctx else "govcloud"
        return _fail(EXIT_USAGE, f"{e.format_message()} (see '{where} --help')", [], fmt)
    except click.ClickException as e:  # file errors click raises for its own path checks
        return _fail(EXIT_USAGE, e.format_message(), [], fmt)
    except GovcloudError as e:
        first = e.diagnostics[0].message if e.diagnostics else str(e)
        return _fail(e.exit_code, first, e.diagnostics, fmt)
    except UsageError as e:
        return _fail(EXIT_USAGE, str(e), [], fmt)
    except RuntimeFailure as e:
        return _fail(EXIT_RUNTIME, str(e), [], fmt)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `govcloud plan | head`: the reader left, nothing is wrong
        _quiet_stdout()
        return 141
    except Exception as e:  # a bug, not bad input: say so briefly unless asked for the traceback
        if os.environ.get("GOVCLOUD_DEBUG"):
            raise
        return _fail(
            EXIT_BUG,
            f"internal error ({type(e).__name__}: {e}); rerun with GOVCLOUD_DEBUG=1 for the traceback and report it",
            [],
            fmt,
        )
    return int(rc or 0)


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail on a closed pipe."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _start_up_done() -> None:
    """Collect as usual from here on, never again walking what the imports made (it lives as long as the
    process anyway)."""
    gc.freeze()
    gc.enable()


def main() -> None:
    # The start-up (pydantic, the models, the command's own imports) makes ~47,000 objects that live as
    # long as the process; collecting while they were made took ~140 passes over them, ~50 ms CPU of a
    # `validate` (measured with gc.callbacks). The collector stays off until the command is imported
    # (LazyGroup.get_command), which freezes them out of every later pass.
    gc.disable()
    code = run()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_stdout()
    sys.exit(code)
