"""`govcloud render`: every cluster's Kubernetes objects, written as one kustomize folder per cluster."""

from __future__ import annotations

import time

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from govcloud import pipeline
from govcloud.cli.options import output_option, topology_argument
from govcloud.console import echo, err, print_json
from govcloud.render.k8s import render_all
from govcloud.render.write import write_tree


@click.command("render")
@topology_argument
@click.option(
    "--out",
    "out_dir",
    required=True,
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=str),
    help="Folder to write (replaced atomically; one subfolder per cluster).",
)
@output_option("text", "json")
def command(topology: str, out_dir: str, output: str) -> None:
    """Render FILE's Kubernetes objects: one folder per cluster with a kustomization.yaml."""
    t0 = time.perf_counter()
    plan = pipeline.load_plan(topology)
    rendered = render_all(plan)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err(),
        transient=True,
        disable=not err().is_terminal,
    ) as bar:
        task = bar.add_task("render", total=len(rendered))

        def step(name: str, done: int, total: int) -> None:
            bar.update(task, completed=done, description=f"render {name}")

        info = write_tree(out_dir, rendered, step)
    seconds = time.perf_counter() - t0
    if output == "json":
        print_json({"out": out_dir, "seconds": round(seconds, 3), **info})
        return
    echo(f"{'cluster':<20} {'objects':>7}  kinds")
    for name, c in info["clusters"].items():
        kinds = ", ".join(f"{k} {n}" for k, n in c["kinds"].items())
        echo(f"{name:<20} {c['objects']:>7}  {kinds}")
    echo(f"\n{info['objects']} objects in {len(info['clusters'])} clusters written to {out_dir} in {seconds:.2f}s")
