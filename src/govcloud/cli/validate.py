"""`govcloud validate`: check a topology file; compiler-style findings."""

from __future__ import annotations

import sys

import click

from govcloud import pipeline
from govcloud.cli.options import output_option, topology_argument
from govcloud.console import err, print_json
from govcloud.diagnostics import Diagnostic, GovcloudError, Severity
from govcloud.report.sarif import to_sarif


@click.command("validate")
@topology_argument
@click.option("--strict", is_flag=True, help="Warnings fail too (exit 1).")
@output_option("text", "json", "sarif")
def command(topology: str, strict: bool, output: str) -> None:
    """Check FILE (default topology.yaml) against the schema and every rule."""
    try:
        checked = pipeline.check(topology)
        diags = checked.diagnostics
        summary: dict[str, object] = {
            "file": topology,
            "clouds": len(checked.topology.clouds),
            "systems": len(checked.topology.systems),
        }
    except GovcloudError as e:
        if e.exit_code != 1:
            raise
        diags, summary = e.diagnostics, {"file": topology}
    failed = any(d.severity == Severity.ERROR for d in diags) or (strict and bool(diags))
    if output == "json":
        print_json({**summary, "ok": not failed, "diagnostics": [d.as_dict() for d in diags]})
    elif output == "sarif":
        print_json(to_sarif(diags))
    else:
        _text(topology, diags, failed)
    if failed:
        sys.exit(1)


def _text(topology: str, diags: list[Diagnostic], failed: bool) -> None:
    for d in diags:
        err.print(d.render(), markup=False)
    n_err = sum(d.severity == Severity.ERROR for d in diags)
    n_warn = sum(d.severity == Severity.WARNING for d in diags)
    verdict = "FAILED" if failed else "ok"
    click.echo(f"{topology}: {verdict} — {n_err} error(s), {n_warn} warning(s)")
