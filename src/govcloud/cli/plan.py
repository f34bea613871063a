"""`govcloud plan`: what the topology expands to — clouds, centres, clusters, extranet, addresses."""

from __future__ import annotations

import click

from govcloud import pipeline
from govcloud.cli.options import output_option, topology_argument
from govcloud.console import echo, print_json
from govcloud.report.plan_text import render_plan


@click.command("plan")
@topology_argument
@output_option("text", "json")
def command(topology: str, output: str) -> None:
    """Expand FILE: clouds, centres, lab clusters, extranet nodes per tier, address use, KPIs."""
    plan = pipeline.load_plan(topology)
    summary = plan.summary()
    if output == "json":
        print_json(summary)
    else:
        echo(render_plan(summary))
