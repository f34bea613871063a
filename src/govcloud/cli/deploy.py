"""`govcloud deploy`: apply the rendered objects of every cluster to the running lab."""

from __future__ import annotations

import time
from pathlib import Path

import click

from govcloud import pipeline
from govcloud.cli.lab_clusters import StepProgress
from govcloud.cli.options import output_option, topology_argument
from govcloud.console import echo, print_json
from govcloud.diagnostics import RuntimeFailure
from govcloud.lab import engines
from govcloud.lab.deploy import deploy
from govcloud.lab.state import lab_dir
from govcloud.render.k8s import render_all


@click.command("deploy")
@topology_argument
@click.option("--no-wait", is_flag=True, help="Do not wait for Deployments to become available.")
@output_option("text", "json")
def command(topology: str, no_wait: bool, output: str) -> int:
    """Server-side apply FILE's objects to every running lab cluster (field manager govcloud)."""
    t0 = time.monotonic()
    plan = pipeline.load_plan(topology)
    root = lab_dir(Path(topology).resolve().parent)
    running = {s.name for _, s in engines.statuses(plan, root) if s.api_ready}
    clusters = [c for c in plan.clusters if c.name in running]
    if not clusters:
        raise RuntimeFailure("no running lab cluster: start the lab with `govcloud lab up`")
    rendered = render_all(plan)
    with StepProgress(f"deploy ({len(clusters)} clusters)") as progress:
        reports = deploy(plan, rendered, root / "kubeconfig", clusters, progress, wait=not no_wait)
    seconds = time.monotonic() - t0
    objects = sum(r.objects for r in reports)
    if output == "json":
        print_json(
            {
                "seconds": round(seconds, 1),
                "objects": objects,
                "clusters": [r.as_dict() for r in sorted(reports, key=lambda r: r.cluster)],
            }
        )
    else:
        echo(f"{'cluster':<20} {'objects':>7} {'changed':>7} {'available':>9}  result")
        for r in sorted(reports, key=lambda r: r.cluster):
            echo(
                f"{r.cluster:<20} {r.objects:>7} {r.changed:>7} {r.available:>4}/{r.deployments:<4}  "
                f"{'ok' if r.error is None else r.error}"
            )
        echo(f"\n{objects} objects in {seconds:.1f}s ({objects / seconds:.0f}/s)")
    return 4 if any(r.error for r in reports) else 0  # the API server refused something: a runtime failure
