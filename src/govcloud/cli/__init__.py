"""The thin CLI: parse flags, call the library, map results to exit codes (0 ok, 1 findings, 2 usage/IO).

One module per command; only `main` exits.
"""

from __future__ import annotations

import os
import sys

import click

from govcloud import __version__
from govcloud.cli import deploy, drill, explain, lab, lab_clusters, plan, render, schema, validate
from govcloud.console import err
from govcloud.diagnostics import GovcloudError, UsageError


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="govcloud")
def cli() -> None:
    """govcloud: a provincial government cloud and network, from one topology file."""


for module in (validate, explain, plan, schema, render, lab, deploy, drill):
    cli.add_command(module.command)
lab_clusters.register(lab.command)  # lab up|status|down beside lab hosts …


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.Abort:
        err.print("aborted")
        sys.exit(130)
    except click.ClickException as e:
        e.show()
        sys.exit(2)
    except GovcloudError as e:
        for d in e.diagnostics:
            err.print(d.render(), markup=False)
        sys.exit(e.exit_code)
    except UsageError as e:
        err.print(f"govcloud: {e}", markup=False)
        sys.exit(getattr(e, "exit_code", 2))  # a drill's failed check is a finding: 1
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as e:  # a bug, not bad input: say so briefly unless asked for the traceback
        if os.environ.get("GOVCLOUD_DEBUG"):
            raise
        err.print(
            f"govcloud: internal error ({type(e).__name__}: {e}); rerun with GOVCLOUD_DEBUG=1 "
            "for the traceback and report it",
            markup=False,
        )
        sys.exit(3)
    sys.exit(0)
