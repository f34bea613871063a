"""`govcloud lab up|status|down`: the lab's Kubernetes clusters (kwok or kind), one per data centre.

Registered on the `lab` group beside `lab hosts` (the containers Ansible configures).
"""

from __future__ import annotations

import time
from pathlib import Path
from types import TracebackType

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from govcloud import pipeline
from govcloud.cli.options import output_option
from govcloud.console import echo, err, note, print_json
from govcloud.lab import engines
from govcloud.lab.kind import KindLab
from govcloud.lab.kwok import KwokLab
from govcloud.lab.profiles import PROFILES
from govcloud.lab.state import lab_dir
from govcloud.pipeline import DEFAULT_TOPOLOGY

topology_option = click.option(
    "--topology",
    "-t",
    default=DEFAULT_TOPOLOGY,
    show_default=True,
    type=click.Path(dir_okay=False, path_type=str),
    help="Topology file.",
)


class StepProgress:
    """A rich progress bar on stderr that the engines drive with (message, done, total)."""

    def __init__(self, title: str) -> None:
        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err(),
            transient=False,
        )
        self.title = title
        self.task: TaskID | None = None

    def __enter__(self) -> StepProgress:
        self.bar.__enter__()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.bar.__exit__(exc_type, exc, tb)

    def __call__(self, message: str, done: int, total: int) -> None:
        if self.task is None:
            self.task = self.bar.add_task(self.title, total=total)
        self.bar.update(self.task, completed=done, total=total, description=f"{self.title}: {message}")


def cluster_state(row: dict[str, object]) -> str:
    """The state column of `lab status` for one cluster row."""
    if not row["processes"]:
        return "down"
    if not row["api_ready"]:
        return "starting"
    # an API that answers while etcd refuses its TLS probe is a lab started before etcd had TLS
    return "ready" if row["etcd_ready"] else "ready, etcd not on TLS (lab down, then lab up)"


def _status_table(rows: list[dict[str, object]]) -> None:
    echo(f"{'cluster':<20} {'centre':<14} {'role':<14} {'engine':<6} {'nodes':>5} {'ready':>5}  {'api':<24} state")
    for r in rows:
        state = cluster_state(r)
        echo(
            f"{r['cluster']:<20} {r['centre']:<14} {r['role']:<14} {r['engine']:<6} {r['nodes']:>5} "
            f"{r['nodes_ready']:>5}  {r['api']:<24} {state}"
        )


def register(group: click.Group) -> None:
    @group.command("up")
    @topology_option
    @click.option(
        "--engine",
        type=click.Choice(["kwok", "kind"]),
        default="kwok",
        show_default=True,
        help="kwok: real control planes, simulated nodes (whole province); kind: Docker nodes.",
    )
    @click.option(
        "--profile",
        type=click.Choice(PROFILES),
        default="full",
        show_default=True,
        help="full: every data centre; compact: provincial centres, one city and its partner, one industry cloud.",
    )
    @output_option("text", "json")
    def up(topology: str, engine: str, profile: str, output: str) -> None:
        """Create one cluster per data centre (idempotent: what runs is left alone)."""
        t0 = time.monotonic()
        plan = pipeline.load_plan(topology)
        root = lab_dir(Path(topology).resolve().parent)
        engines.refuse_other(plan, root, engine)
        lab: KwokLab | KindLab = KwokLab(plan, root, profile) if engine == "kwok" else KindLab(plan, root, profile)
        with StepProgress(f"lab up ({engine}, {profile}, {len(lab.clusters)} clusters)") as progress:
            statuses = lab.up(progress)
        rows = [{**s.as_dict(), "engine": engine} for s in statuses]
        if output == "json":
            print_json(
                {
                    "engine": engine,
                    "profile": profile,
                    "kubeconfig": str(lab.kubeconfig),
                    "seconds": round(time.monotonic() - t0, 1),
                    "clusters": rows,
                }
            )
            return
        _status_table(rows)
        echo(f"\nkubeconfig: {lab.kubeconfig} (one context per cluster); {time.monotonic() - t0:.0f}s")

    @group.command("status")
    @topology_option
    @output_option("text", "json")
    def status(topology: str, output: str) -> None:
        """One row per lab cluster: centre, nodes, ready, API address."""
        plan = pipeline.load_plan(topology)
        root = lab_dir(Path(topology).resolve().parent)
        found = engines.statuses(plan, root)
        rows = [{**s.as_dict(), "engine": e} for e, s in found]
        if output == "json":
            print_json({"kubeconfig": str(root / "kubeconfig"), "clusters": rows})
        elif not rows:
            echo("no lab clusters (start them with `govcloud lab up`)")
        else:
            _status_table(rows)

    @group.command("down")
    @topology_option
    @click.option("--keep-hosts", is_flag=True, help="Leave the lab host containers, their keys and the fault proxy.")
    @output_option("text", "json")
    def down(topology: str, keep_hosts: bool, output: str) -> None:
        """Stop and remove every cluster (and, unless --keep-hosts, every lab host) the lab made, and
        their files; the Pulumi state (<lab>/pulumi) stays."""
        from govcloud.lab import teardown

        root = lab_dir(Path(topology).resolve().parent)
        plan = pipeline.load_plan(topology)
        result = teardown.down(plan, root, keep_hosts=keep_hosts)
        if output == "json":
            print_json(result.as_dict())
            return
        stopped = result.clusters.stopped
        echo(f"clusters: {len(stopped)} processes stopped, {len(result.kind_clusters)} kind clusters deleted")
        for pidfile in result.clusters.ignored:
            note(f"[lab] left alone: {pidfile} names no process the lab started (gone, or its pid reused)")
        for p in result.clusters.unrecorded:
            note(f"[lab] still running in the lab folder with no record, left alone: pid {p.pid} {p.exe}")
        if result.hosts_skipped is None:
            echo(f"hosts: {len(result.containers)} containers and {len(result.networks)} networks removed")
            for name in result.containers:
                echo(f"  container {name}")
        elif not keep_hosts:
            echo(f"hosts: skipped ({result.hosts_skipped})")
        if result.toxiproxy == "removed":
            echo("fault proxy: toxiproxy-server stopped")
        for path in result.removed:
            echo(f"removed {path}")
        for path in result.kept:
            echo(f"kept    {path}")
