"""`govcloud graph`: the province map, the extranet's tiers and one diagram per data centre."""

from __future__ import annotations

import time

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from govcloud import pipeline
from govcloud.cli.options import output_option, topology_argument
from govcloud.console import err, out, print_json
from govcloud.render.graph import diagrams
from govcloud.render.graphviz import FORMATS, layout, require
from govcloud.render.staging import staged, write_files

MARKER = ".govcloud-graph.json"
CHOICES = (*FORMATS, "dot", "mermaid")
SUFFIX = {"svg": "svg", "png": "png", "dot": "dot", "mermaid": "mmd"}


@click.command("graph")
@topology_argument
@click.option(
    "--out",
    "out_dir",
    required=True,
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=str),
    help="Folder to write the diagrams into (replaced atomically).",
)
@click.option(
    "--format",
    "-f",
    "formats",
    type=click.Choice(CHOICES),
    multiple=True,
    help="Repeat for several; default svg and png (Graphviz). dot: the Graphviz source; mermaid: .mmd for Markdown.",
)
@output_option("text", "json")
def command(topology: str, out_dir: str, formats: tuple[str, ...], output: str) -> None:
    """Draw FILE: province map by coordinates, extranet tiers, one diagram per data centre."""
    t0 = time.perf_counter()
    chosen = sorted(set(formats or FORMATS), key=CHOICES.index)
    drawn = [f for f in chosen if f in FORMATS]
    plan = pipeline.load_plan(topology)
    pictures = diagrams(plan)
    if drawn:
        for engine in sorted({d.engine[0] for d in pictures}):
            require(engine)  # before any work: a missing Graphviz fails at once, not half-way
    files: dict[str, str | bytes] = {}
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err(),
        transient=True,
        disable=not err().is_terminal,
    ) as bar:
        task = bar.add_task("graph", total=len(pictures))
        for i, d in enumerate(pictures, 1):
            bar.update(task, completed=i - 1, description=f"graph {d.name}")
            if "dot" in chosen:
                files[f"{d.name}.dot"] = d.dot
            if "mermaid" in chosen:
                files[f"{d.name}.mmd"] = d.mermaid
            for fmt, content in layout(d.dot, d.engine, drawn, d.name).items():
                files[f"{d.name}.{SUFFIX[fmt]}"] = content
        bar.update(task, completed=len(pictures))
    index = {"diagrams": [{"name": d.name, "title": d.title} for d in pictures], "formats": chosen}
    with staged(out_dir, MARKER, "govcloud graph", "the diagrams") as stage:
        write_files(stage.path, files)
        stage.info = index
    seconds = time.perf_counter() - t0
    names = sorted(files)
    if output == "json":
        print_json(
            {
                "out": out_dir,
                "formats": chosen,
                "diagrams": index["diagrams"],
                "files": names,
                "seconds": round(seconds, 3),
            }
        )
        return
    for d in pictures:
        out().print(f"{d.name:<24} {d.title}", markup=False)
    out().print(
        f"\n{len(pictures)} diagrams ({', '.join(chosen)}), {len(names)} files written to {out_dir} in {seconds:.1f}s",
        markup=False,
    )
