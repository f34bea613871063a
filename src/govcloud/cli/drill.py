"""`govcloud drill …`: DR drills. `step` runs one named step of a scenario (the playbooks call it),
`load` is the load generator process the load step starts, `report` shows the records."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from govcloud import pipeline
from govcloud.cli.options import output_option
from govcloud.console import echo, note, print_json, safe
from govcloud.diagnostics import RuntimeFailure, UsageError
from govcloud.lab.state import lab_dir
from govcloud.pipeline import DEFAULT_TOPOLOGY

if TYPE_CHECKING:
    from govcloud.drill.records import Record, Run
    from govcloud.plan import Plan

STEPS = (
    "restore",
    "rejoin",
    "precheck",
    "load",
    "shipped",
    "fault",
    "declare",
    "takeover",
    "rebuild",
    "observe",
    "stop-load",
    "verify",
)
HA_ONLY = ("rejoin", "declare", "rebuild")
CITY_ONLY = ("shipped", "takeover")
DISASTER_ONLY = {"declare": "whole-city", "rebuild": "whole-city-failback"}

topology_option = click.option(
    "--topology",
    "-t",
    default=DEFAULT_TOPOLOGY,
    show_default=True,
    type=click.Path(dir_okay=False, path_type=str),
    help="Topology file.",
)


def _progress(msg: str) -> None:
    note(f"[drill] {msg}")


@click.group("drill")
def command() -> None:
    """DR drills on the lab hosts: named steps, the load generator, reports (docs/dr-drills.md)."""


@command.command("new-run")
@click.argument(
    "scenario",
    type=click.Choice(
        ("same-city", "partition", "switchover", "failback", "city", "whole-city", "whole-city-failback")
    ),
)
@click.option("--city", default=None, help="city: the city cloud whose database is lost.")
@topology_option
@output_option("text", "json")
def new_run(scenario: str, city: str | None, topology: str, output: str) -> None:
    """Create a run folder reports/drills/<UTC time>-SCENARIO and print its id."""
    from govcloud.drill.records import new_run_id, open_run

    if scenario == "city":
        from govcloud.drill.city import city_clouds

        cities = city_clouds(pipeline.load_plan(topology))
        if city not in cities:
            raise UsageError(
                f"scenario city needs --city, one of: {', '.join(cities) or 'none'}"
                + (f" (not {city!r})" if city else "")
            )
        scenario = f"city-{city}"
    elif city is not None:
        raise UsageError(f"--city goes with scenario city, not {scenario}")
    run = open_run(new_run_id(scenario), create=True)
    run.event("run", "created", scenario=scenario)
    if output == "json":
        print_json({"run": run.id, "dir": str(run.dir)})
    else:
        echo(run.id)


@command.command("step")
@click.argument("step", type=click.Choice(STEPS))
@click.option("--run", "run_id", required=True, help="Run id from `govcloud drill new-run`.")
@click.option(
    "--design/--any-roles", default=True, show_default=True, help="precheck/verify: require the design roles."
)
@click.option(
    "--wait",
    "wait_s",
    type=click.IntRange(0, 3600),
    default=None,
    help="precheck/restore/rejoin: seconds to wait for health.",
)
@click.option(
    "--confirm-disaster",
    is_flag=True,
    help="declare: yes, promote the remote DR centre and fence the home city (a whole-city drill).",
)
@topology_option
@output_option("text", "json")
def step(
    step: str, run_id: str, design: bool, wait_s: int | None, confirm_disaster: bool, topology: str, output: str
) -> int:
    """Run one STEP of the drill RUN (see govcloud.drill.steps); exit 1 when a check fails."""
    from govcloud.drill import steps

    try:
        return _step(step, run_id, design, wait_s, topology, output, confirm_disaster)
    except RuntimeFailure as e:  # the lab did not do what a step needed (exit 4): later steps refuse too
        from govcloud.drill.records import open_run

        open_run(run_id).event(step, "failed", detail=str(e)[:500])
        raise
    except steps.DrillFailed as e:  # the drill ran and found a failure: a finding, exit 1
        from govcloud.drill.records import open_run

        open_run(run_id).event(step, "failed", detail=str(e)[:500])
        if output == "json":
            print_json({"ok": False, "exit_code": 1, "run": run_id, "step": step, "error": str(e)})
        note(f"govcloud: drill: {e}")
        return 1


def _step(
    step: str, run_id: str, design: bool, wait_s: int | None, topology: str, output: str, confirm: bool = False
) -> int:
    from govcloud.drill import steps
    from govcloud.drill.cluster import drill_cluster
    from govcloud.drill.records import open_run

    run = open_run(run_id)
    failed = [e for e in run.events() if e["event"] == "failed"]
    if failed and step not in ("stop-load", "restore", "rejoin"):
        # an Ansible loop runs every item even after one failed: a step after a failure refuses
        raise steps.DrillFailed(f"not run: step {failed[0]['step']} failed ({failed[0].get('detail', '')[:200]})")
    plan = pipeline.load_plan(topology)
    lab = lab_dir(Path(topology).resolve().parent)
    if run.scenario.startswith("city-"):
        return _city_step(step, run, plan, lab, topology, output)
    if step in CITY_ONLY:
        raise UsageError(f"step {step} belongs to city drills; run {run.id} is a {run.scenario} drill")
    if step in DISASTER_ONLY and run.scenario != DISASTER_ONLY[step]:
        raise UsageError(f"step {step} belongs to {DISASTER_ONLY[step]} runs; run {run.id} is a {run.scenario} drill")
    disaster = run.scenario in DISASTER_ONLY.values()
    dc = drill_cluster(plan, lab, dr_service=disaster)
    result: object
    if step == "declare":
        from govcloud.drill import disaster as whole_city

        result = whole_city.declare(dc, run, _progress, confirmed=confirm)
    elif step == "rebuild":
        from govcloud.drill import disaster as whole_city

        result = whole_city.rebuild(dc, run, _progress, **({} if wait_s is None else {"timeout": wait_s}))
    elif step == "verify" and run.scenario == "whole-city":
        from govcloud.drill import disaster as whole_city

        return _verdict(whole_city.verify(dc, run, _progress), run, output)
    elif step == "restore":
        result = steps.restore(dc, run, _progress, **({} if wait_s is None else {"timeout": wait_s}))
    elif step == "rejoin":
        result = steps.rejoin(dc, run, _progress, **({} if wait_s is None else {"timeout": wait_s}))
    elif step == "precheck":
        result = steps.precheck(dc, run, _progress, design=design, **({} if wait_s is None else {"timeout": wait_s}))
    elif step == "load":
        result = steps.start_load(dc, run, _progress, topology)
    elif step == "fault":
        result = steps.fault(dc, run, run.scenario, _progress)
    elif step == "observe":
        result = steps.observe(dc, run, _progress)
    elif step == "stop-load":
        result = steps.stop_load(run, _progress)
    else:
        rec = steps.verify(dc, run, _progress, design_after=design)
        return _verdict(rec, run, output)
    return _done(run, step, result, output)


def _city_step(step: str, run: Run, plan: Plan, lab: Path, topology: str, output: str) -> int:
    from govcloud.drill import city_steps, steps
    from govcloud.drill.city import city_drill

    if step in HA_ONLY:
        raise UsageError(f"step {step} belongs to the HA drills; run {run.id} is a city drill")
    cd = city_drill(plan, lab, run.scenario.removeprefix("city-"))
    result: object
    if step == "restore":
        result = city_steps.restore(cd, run, _progress)
    elif step == "precheck":
        result = city_steps.precheck(cd, run, _progress)
    elif step == "load":
        result = steps.start_load(cd, run, _progress, topology)
    elif step == "shipped":
        result = city_steps.shipped(cd, run, _progress)
    elif step == "fault":
        result = city_steps.fault(cd, run, _progress)
    elif step == "takeover":
        result = city_steps.takeover(cd, run, _progress)
    elif step == "observe":
        result = steps.observe(cd, run, _progress)
    elif step == "stop-load":
        result = steps.stop_load(run, _progress)
    else:
        rec = city_steps.verify(cd, run, _progress)
        return _verdict(rec, run, output)
    return _done(run, step, result, output)


def _done(run: Run, step: str, result: object, output: str) -> int:
    if output == "json":
        print_json({"run": run.id, "step": step, "result": result})
    else:
        echo(f"{run.id}: {step} done")
    return 0


def _verdict(rec: Record, run: Run, output: str) -> int:
    """Print the verify step's record; a failed drill is a finding (exit 1)."""
    from govcloud.drill.steps import DrillFailed

    _print_record(rec, output)
    if not rec.passed:
        raise DrillFailed(f"drill {run.id} failed: see {run.record_file}")
    return 0


def _print_record(rec: Record, output: str) -> None:
    if output == "json":
        print_json(rec.model_dump(mode="json"))
    else:
        from govcloud.drill.report import render_text

        echo(render_text([rec]))


@command.command("cluster-loss")
@click.option(
    "--cluster",
    default=None,
    help="The production centre's lab cluster to lose (default: the provincial cloud's, gc-<centre>).",
)
@click.option(
    "--restore", "restore_only", is_flag=True, help="Only restore: start the lost cluster, standbys back to design."
)
@click.option(
    "--timeout",
    "timeout_s",
    type=click.IntRange(10, 3600),
    default=None,
    help="Seconds to wait for the standbys Ready (default: dr_policy.drills.recovery_timeout).",
)
@topology_option
@output_option("text", "json")
def cluster_loss(cluster: str | None, restore_only: bool, timeout_s: int | None, topology: str, output: str) -> int:
    """The Kubernetes side of losing a production centre, on a running kwok lab.

    Stops the cluster's control plane (its recorded processes only), scales every standby in the
    surviving clusters to an active centre's replicas, measures the time until all are Ready while
    sampling that the same-city services keep serving, then restores. Writes
    reports/drills/<UTC time>-cluster-loss/record.json. Exit 0 pass, 1 a check failed.
    """
    from govcloud.drill import cluster_loss as drill
    from govcloud.drill.records import CLUSTER_LOSS, new_run_id, open_run
    from govcloud.drill.report_cluster import render_text
    from govcloud.drill.takeover import cluster_loss as plan_loss
    from govcloud.lab.kwok import KwokLab

    plan = pipeline.load_plan(topology)
    loss = plan_loss(plan, cluster)
    lab = KwokLab(plan, lab_dir(Path(topology).resolve().parent))
    timeout = float(timeout_s or plan.topology.dr_policy.drills.recovery_timeout)
    drill.check_lab(lab, loss)  # before a run folder exists: bad input leaves nothing behind
    if restore_only:
        done = drill.restore_only(lab, loss, None, _progress, timeout=timeout)
        if output == "json":
            print_json({"ok": True, "exit_code": 0, "cluster": loss.lost.name, **done})
        else:
            started = ", ".join(done["started"]) or "nothing"
            echo(f"{loss.lost.name}: started {started}; {done['changed']} standbys changed")
        return 0
    run = open_run(new_run_id(CLUSTER_LOSS), create=True)
    run.event("run", "created", scenario=CLUSTER_LOSS, cluster=loss.lost.name)
    try:
        rec = drill.run_drill(plan, lab, loss, run, _progress, timeout=timeout)
    except drill.DrillFailed as e:
        run.event("drill", "failed", detail=str(e)[:500])
        if output == "json":
            print_json({"ok": False, "exit_code": 1, "run": run.id, "error": str(e)})
        note(f"govcloud: drill: {e}")
        undo = f"govcloud drill cluster-loss --restore --cluster {loss.lost.name}"
        note(f"govcloud: drill: undo what it left with `{undo}`")
        return 1
    if output == "json":
        print_json(rec.model_dump(mode="json"))
    else:
        echo(render_text([rec]))
    return 0 if rec.passed else 1


@command.command("status")
@click.option("--design/--any-roles", default=True, show_default=True, help="Require the design roles.")
@topology_option
@output_option("text", "json")
def status(design: bool, topology: str, output: str) -> int:
    """Is the HA cluster healthy (and in the design roles)? Reads Patroni only: no run, no change.

    Exit 0 when every check holds, 1 when one does not. failback.yml asks this to decide whether a
    switchover back is needed; a drill's own precheck would record a failure in its run.
    """
    from govcloud.drill import health
    from govcloud.drill.cluster import drill_cluster
    from govcloud.drill.disaster import declared

    plan = pipeline.load_plan(topology)
    dc = drill_cluster(plan, lab_dir(Path(topology).resolve().parent))
    h = health.read(dc, design=design)
    disaster = declared(dc)
    if output == "json":
        print_json({"ok": h.ok, "exit_code": 0 if h.ok else 1, "disaster_declared": disaster, **h.as_dict()})
    else:
        echo(
            f"leader: {h.leader or 'none'}"
            + (" (a declared disaster: fail back with playbooks/failback.yml)" if disaster else "")
        )
        for name, ok in h.checks.items():
            echo(f"  {'ok  ' if ok else 'FAIL'} {name}")
        for d in h.details:
            echo(f"  {d}")
    return 0 if h.ok else 1


@command.command("load", hidden=True)
@click.option("--run", "run_id", required=True)
@topology_option
def load(run_id: str, topology: str) -> None:
    """The load generator (started by the load step; connection string in the environment)."""
    from govcloud.drill.load import run_until_signalled
    from govcloud.drill.records import open_run
    from govcloud.drill.steps import CONNINFO_ENV

    conninfo = os.environ.get(CONNINFO_ENV)
    if not conninfo:
        raise UsageError(f"{CONNINFO_ENV} is not set: the load generator is started by `govcloud drill step load`")
    run = open_run(run_id)
    settings = pipeline.load_plan(topology).topology.dr_policy.drills
    counts = run_until_signalled(
        conninfo, run.id, run.writes_file, rate=settings.write_rate, timeout_s=settings.write_timeout_ms / 1000
    )
    note(f"[drill] load {run.id}: {counts}")


@command.command("report")
@click.option(
    "--scenario",
    default=None,
    help="Only this scenario: same-city, partition, switchover, failback, whole-city, whole-city-failback,"
    " cluster-loss, city-<city>.",
)
@click.option("--history", "history", type=int, default=10, show_default=True, help="Earlier runs listed.")
@click.option(
    "--reports", type=click.Path(file_okay=False, path_type=Path), default=None, help="Default: reports/drills."
)
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write to FILE.")
@output_option("text", "json", "markdown", "html")
def report(scenario: str | None, history: int, reports: Path | None, out_file: Path | None, output: str) -> None:
    """Each scenario's latest drill (timeline, figures, checks, per-system pass/fail) and the history;
    then the Kubernetes side's cluster-loss drills."""
    from govcloud.drill import report_cluster
    from govcloud.drill.records import (
        CLUSTER_LOSS,
        SCENARIOS,
        known_scenario,
        load_cluster_loss,
        load_records,
        reports_dir,
        write_text_atomic,
    )
    from govcloud.drill.report import render_json, render_markdown, render_text
    from govcloud.drill.report_html import render_html

    if reports is not None:
        os.environ["GOVCLOUD_REPORTS_DIR"] = str(reports)
    if scenario is not None and not known_scenario(scenario) and scenario != CLUSTER_LOSS:
        choices = ", ".join((*SCENARIOS, CLUSTER_LOSS))
        raise UsageError(f"--scenario {scenario!r}: choose {choices} or city-<city cloud>")
    records = [] if scenario == CLUSTER_LOSS else load_records(scenario=scenario)
    k8s = load_cluster_loss()[-(history + 1) :] if scenario in (None, CLUSTER_LOSS) else []
    if not records and not k8s:
        raise UsageError(
            f"no drill records under {reports_dir()}"
            + (f" for {scenario}" if scenario else "")
            + ": run playbooks/dr-drill.yml (or govcloud drill cluster-loss)"
        )
    # the last --history runs, plus each scenario's latest even when it is older than those: a page
    # that shows every scenario's latest drill must not lose the partition drill to ten failbacks
    latest = {r.scenario: r.run for r in records}  # oldest first: the last of each scenario wins
    keep = {r.run for r in records[-(history + 1) :]} | set(latest.values())
    records = [r for r in records if r.run in keep]
    if output == "json":
        data = render_json(records) if records else {"latest": None, "drills": [], "history": []}
        if k8s:
            data["cluster_loss"] = report_cluster.render_json(k8s)
        if out_file is None:
            print_json(data)
            return
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"  # as print_json writes it
    elif output == "html":
        text = safe(render_html(records, k8s))  # record texts are HTML-escaped; controls escaped as anywhere
    elif output == "markdown":
        md = render_markdown(records) if records else "# DR drill report\n"
        if k8s:
            md += "\n# Kubernetes side: cluster-loss drills\n\n" + report_cluster.render_markdown(k8s)
        text = safe(md)
    else:
        parts = ([render_text(records)] if records else []) + ([report_cluster.render_text(k8s)] if k8s else [])
        text = safe("\n\n".join(parts) + "\n")
    if out_file is None:
        sys.stdout.write(text)
        return
    try:
        write_text_atomic(out_file, text)
    except OSError as e:
        raise UsageError(f"cannot write {out_file}: {e.strerror or e}") from e
    note(f"wrote {out_file} ({output}, {len(records) + len(k8s)} run(s))")


@command.command("campaign")
@topology_option
@output_option("text", "json")
def campaign(topology: str, output: str) -> None:
    """The drills `dr-drill.yml -e scenario=all` runs: those that run today with their lab hosts up."""
    from govcloud.drill.campaign import campaign as make_campaign
    from govcloud.drill.campaign import lab_hosts_up
    from govcloud.drill.scenarios import scenarios

    p = pipeline.load_plan(topology)
    drilled = frozenset(m.centre for m in p.ha[0].members) if p.ha else frozenset()
    c = make_campaign(scenarios(p), lab_hosts_up([h.name for h in p.lab.hosts]), drilled)
    if output == "json":
        print_json(c.model_dump(mode="json"))
        return
    for d in c.drills:
        echo(
            f"{d.name}: -e scenario={d.scenario}"
            + (f" -e city={d.city}" if d.city else "")
            + (", then failback" if d.failback else "")
        )
    for s in c.skipped:
        echo(f"skipped {s}")
    if not c.drills:
        raise UsageError("no drill can run: the lab hosts are not up (govcloud lab hosts up, then site.yml)")


@command.command("plan")
@topology_option
@output_option("text", "json")
def plan(topology: str, output: str) -> None:
    """Every drill the topology implies: what each touches, its targets, whether it runs today."""
    from govcloud.drill.scenarios import drill_plan, render_text

    dp = drill_plan(pipeline.load_plan(topology))
    if output == "json":
        print_json(dp.model_dump(mode="json"))
    else:
        echo(render_text(dp))
