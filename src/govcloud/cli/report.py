"""`govcloud report`: every KPI against its target, as JSON, Markdown and a self-contained HTML page."""

from __future__ import annotations

import click

from govcloud import pipeline
from govcloud.cli.options import output_option, topology_argument
from govcloud.console import out, print_json
from govcloud.render.staging import staged, write_files
from govcloud.report import kpi_format
from govcloud.report.kpi_document import kpi_document
from govcloud.report.kpi_files import MARKER, report_files


@click.command("report")
@topology_argument
@click.option(
    "--out",
    "out_dir",
    required=True,
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=str),
    help="Folder to write kpis.json, kpis.md and kpis.html into (replaced atomically).",
)
@output_option("text", "json")
def command(topology: str, out_dir: str, output: str) -> None:
    """Write FILE's KPI report: each KPI against its target, its definition and who keeps it below."""
    checked = pipeline.load_checked(topology)
    doc = kpi_document(checked.plan, checked.document.locate, topology)
    files = report_files(doc)
    with staged(out_dir, MARKER, "govcloud report", "the KPI report") as stage:
        write_files(stage.path, files)
        stage.info = {"schema": doc["schema"]}
    names = sorted(files)
    if output == "json":
        kpis = [{k: v[k] for k in ("metric", "title", "value", "target", "met")} for v in doc["kpis"]]
        print_json({"out": out_dir, "files": names, "kpis": kpis, "met": doc["summary"]["met"]})
        return
    for k in doc["kpis"]:
        out().print(
            f"{kpi_format.status(k):<13} {kpi_format.percent(k['value']):>7}  target {kpi_format.target(k):<12} "
            f"{k['title']}",
            markup=False,
        )
    s = doc["summary"]
    wrote = ", ".join(names)
    out().print(f"\n{s['met']} of {s['kpis']} KPIs meet their target; wrote {wrote} to {out_dir}", markup=False)
