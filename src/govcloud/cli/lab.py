"""`govcloud lab …`: the lab. `lab hosts up|status|down` runs the data centres' servers as containers."""

from __future__ import annotations

from pathlib import Path

import click

from govcloud import pipeline
from govcloud.cli.options import output_option
from govcloud.console import echo, note, print_json
from govcloud.lab import hosts as lab_hosts
from govcloud.lab.profiles import DEFAULT_PROFILE, PROFILES
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


def _progress(msg: str) -> None:
    note(f"[lab] {msg}")


@click.group("lab")
def command() -> None:
    """The lab: containers and clusters that stand in for the province's data centres."""


@command.group("hosts")
def hosts() -> None:
    """Lab hosts: each centre's servers (database, backup, gateway) as containers reached over SSH."""


@hosts.command("up")
@topology_option
@click.option(
    "--profile",
    type=click.Choice(PROFILES),
    default=DEFAULT_PROFILE,
    show_default=True,
    help="compact: provincial cloud, one city cloud and its backup partner, one industry cloud; full: every host.",
)
@click.option("--image", default=None, help="Run this image instead of building images/labhost.")
@click.option("--recreate", is_flag=True, help="Recreate containers whose image is not the current one.")
@output_option("text", "json")
def up(topology: str, profile: str, image: str | None, recreate: bool, output: str) -> None:
    """Start the lab hosts of PROFILE (idempotent: running hosts are left alone)."""
    plan = pipeline.load_plan(topology)
    project = Path(topology).resolve().parent
    result = lab_hosts.up(
        plan,
        profile=profile,
        project=project,
        state=lab_dir(project),
        image=image,
        recreate=recreate,
        progress=_progress,
    )
    if output == "json":
        print_json(result.as_dict())
        return
    echo(
        f"lab hosts ({profile}): {len(result.hosts)} up, {result.changed} changed, image {result.image}, "
        f"{result.seconds:.1f}s"
    )
    for h in result.hosts:
        echo(f"  {lab_hosts.CONTAINER_PREFIX + h.name:<28} {h.role.value:<9} {h.ipv4!s:<15} backbone {h.backbone_ipv4}")


@hosts.command("status")
@topology_option
@output_option("text", "json")
def status(topology: str, output: str) -> None:
    """Show every lab host the topology declares and whether its container runs."""
    plan = pipeline.load_plan(topology)
    st = lab_hosts.status(plan, state=lab_dir())
    if output == "json":
        print_json(st)
        return
    rows = st["hosts"]
    echo(f"lab hosts: {st['running']} of {len(rows)} running; networks: {len(st['networks'])}")
    for h in rows:
        echo(f"  {h['container']:<28} {h['state']:<8} {h['role']:<9} {h['ipv4']:<15} {h['centre']}")
    for s in st["strays"]:
        echo(f"  {s:<28} (not in the topology)")


@hosts.command("down")
@output_option("text", "json")
def down(output: str) -> None:
    """Remove every lab host container and lab network (the state folder and its keys stay)."""
    report = down_report(lab_hosts.down(state=lab_dir(), progress=_progress))
    if output == "json":
        print_json(report)
        return
    for line in down_lines(report):
        echo(line)


def down_report(steps: list[lab_hosts.StepResult]) -> dict[str, object]:
    """What `lab hosts down` did, by name (Docker's ids mean nothing to a reader)."""
    return {
        "ok": True,
        "exit_code": 0,
        "error": None,
        "toxiproxy": next((s.action for s in steps if s.step == "toxiproxy"), "absent"),
        "containers": [s.name for s in steps if s.step == "container"],
        "networks": [s.name for s in steps if s.step == "network"],
    }


def down_lines(report: dict[str, object]) -> list[str]:
    containers, networks = report["containers"], report["networks"]
    assert isinstance(containers, list) and isinstance(networks, list)
    lines = [f"lab hosts: removed {len(containers)} containers, {len(networks)} networks"]
    lines += [f"  container {n}" for n in containers]
    lines += [f"  network   {n}" for n in networks]
    return lines
