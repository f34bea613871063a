"""`govcloud validate`: check a topology file; compiler-style findings."""

from __future__ import annotations

import click

from govcloud import pipeline
from govcloud.cli.options import output_option, topology_argument
from govcloud.console import echo, note, print_json
from govcloud.diagnostics import MAX_PER_RULE, Diagnostic, GovcloudError, Severity


@click.command("validate")
@topology_argument
@click.option("--strict", is_flag=True, help="Warnings fail too (exit 1).")
@click.option(
    "--max-findings",
    type=click.IntRange(min=0),
    default=MAX_PER_RULE,
    show_default=True,
    metavar="N",
    help="Findings shown per rule before one '… and N more' line; 0 shows all.",
)
@output_option("text", "json", "sarif")
def command(topology: str, strict: bool, max_findings: int, output: str) -> int:
    """Check FILE (default topology.yaml) against the schema and every rule."""
    try:
        checked = pipeline.check(topology, per_rule=max_findings)
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
        from govcloud.report.sarif import to_sarif

        print_json(to_sarif(diags))
    else:
        _text(topology, diags, failed)
    return 1 if failed else 0


def _text(topology: str, diags: list[Diagnostic], failed: bool) -> None:
    for d in diags:
        note(d.render())
    n_err = sum(d.severity == Severity.ERROR for d in diags)
    n_warn = sum(d.severity == Severity.WARNING for d in diags)
    verdict = "FAILED" if failed else "ok"
    echo(f"{topology}: {verdict} — {n_err} error(s), {n_warn} warning(s)")
