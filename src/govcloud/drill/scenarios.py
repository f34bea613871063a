"""Every DR drill the topology implies, what it touches and what it is judged against (`govcloud drill plan`).

Pure: a function of the plan. Per HA cluster (plan/ha.py), the scenarios of its production centre:
`same-city` (the centre lost), `partition` (the centre cut off), `switchover` (a planned move to the
same-city centre) and `failback` (the design roles back). Per production centre whose loss scales a
standby platform service, `cluster-loss`: the Kubernetes side (its cluster stopped, the standbys in
the surviving clusters scaled up, the same-city services watched). Per provincial cloud, `whole-city`: every
centre in its home city lost at once, so the remote DR centre takes over (and any city cloud of that
city restores at its backup partner). Per city cloud, `city`: its centres lost, its backup partner
restores it.

Each scenario is judged against the GB/T 20988 targets of the systems whose tenant is on a cloud
that loses its production centre (the strictest one decides); `runs_today` says whether this lab's
drill steps can run it now (the first HA cluster's four scenarios, every cluster-loss drill and every
city cloud whose database host ships to a lab backup host, and the first HA cluster's whole-city loss), and
`note` says what it would take.

`docs/drill-plan.schema.json` is exported from these models (`make docs`): the JSON is a contract.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from govcloud.drill.city import city_clouds
from govcloud.drill.judge import strictest, systems_on
from govcloud.model.topology import Centre, CentreRole, Cloud, CloudKind, System
from govcloud.model.types import format_duration
from govcloud.plan import Plan
from govcloud.plan.ha import HaCluster

SCHEMA_ID = "https://govcloud.dev/schemas/drill-plan-v1alpha1.json"
Kind = Literal["same-city", "partition", "switchover", "failback", "cluster-loss", "whole-city", "city"]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class Touch(_Out):
    name: str
    """Lab host name (plan.lab) or lab cluster name (gc-<centre>)."""
    centre: str
    effect: str
    """What the drill does to it: killed, cut off, demoted, promoted, follows, lost, restores, takes over;
    for a cluster-loss drill: stopped, keeps serving, scales up."""


class Target(_Out):
    system: str
    title: str
    dr_level: int
    """GB/T 20988 capability level, 1–6."""
    rto_s: int
    """Recovery time objective, seconds."""
    rpo_s: int
    """Recovery point objective, seconds (0: not one acknowledged write may be lost)."""


class Scenario(_Out):
    name: str
    """`<kind>:<subject>`: the centre, the city code or the city cloud; unique."""
    kind: Kind
    """same-city, partition, switchover, failback, cluster-loss, whole-city or city."""
    cloud: str
    """The cloud whose loss (or switchover) the drill rehearses."""
    city: str
    """Name of the city the lost centres stand in."""
    lost_centres: list[str]
    """Centres lost, cut off or (switchover, failback) handing over their primary."""
    recovery_centres: list[str]
    """Centres that carry on: take over, restore from backups, or follow as the standby cluster."""
    hosts: list[Touch]
    clusters: list[Touch]
    systems: list[Target]
    """Every judged system's targets, strictest first."""
    strictest: Target | None
    """The system with the shortest RTO (ties: the shorter RPO): its targets decide the verdict."""
    runs_today: bool
    """Whether this lab's drill steps run it now."""
    status: Literal["runs", "planned"]
    """`runs` or `planned`."""
    command: str | None
    """How to run it (when it runs today)."""
    note: str
    """What it rehearses, and for a planned one what it still needs."""


class DrillPlan(_Out):
    topology: str
    """The topology's metadata name."""
    scenarios: list[Scenario]
    """HA clusters' scenarios first, then cluster-loss, whole-city, city; stable order."""
    runnable: int
    planned: int


def _target(s: System) -> Target:
    assert s.dr is not None  # systems_on keeps only systems with targets
    return Target(system=s.name, title=s.title, dr_level=s.dr.level, rto_s=s.dr.rto, rpo_s=s.dr.rpo)


def _targets(systems: list[System]) -> tuple[list[Target], Target | None]:
    ordered = sorted(systems, key=lambda s: (s.dr.rto, s.dr.rpo, s.name))  # type: ignore[union-attr]
    worst = strictest(systems)
    return [_target(s) for s in ordered], (_target(worst) if worst else None)


def _hosts(plan: Plan, centres: list[str], effect: str) -> list[Touch]:
    return [Touch(name=h.name, centre=h.centre, effect=effect) for h in plan.lab.hosts if h.centre in centres]


def _clusters(plan: Plan, centres: list[str], effect: str) -> list[Touch]:
    by_centre = {c.centre: c.name for c in plan.clusters}
    return [Touch(name=by_centre[c], centre=c, effect=effect) for c in centres if c in by_centre]


def _city(plan: Plan, centre: str) -> str:
    found = plan.index.centres.get(centre)
    return plan.index.city_name(found[1].city) if found else ""


HA_NOTES = {
    "same-city": "every container of the production centre killed (SIGKILL); the same-city standby takes over",
    "partition": "the production centre cut off from the other centres, its processes running; the majority "
    "side promotes the same-city standby and the isolated primary demotes itself",
    "switchover": "a planned move of the primary to the same-city centre (Patroni /switchover)",
    "failback": "after any of the above: the lost centre back as a standby, then a switchover to the design roles",
}


def _ha_scenarios(plan: Plan, ha: HaCluster, runnable: bool) -> list[Scenario]:
    prod, aa, dr = ha.design_primary, ha.sync_standby, ha.standby_cluster
    targets, worst = _targets(systems_on(plan.topology, ha.cloud))
    follows = [Touch(name=dr.host, centre=dr.centre, effect="follows")] if dr else []
    tail = [dr.centre] if dr else []
    out = []
    kinds: tuple[Kind, ...] = ("same-city", "partition", "switchover", "failback")
    for kind in kinds:
        if kind in ("same-city", "partition"):
            # the whole production centre goes; its Kubernetes cluster with it (this drill faults the
            # lab hosts only: the cluster side of the same loss is the cluster-loss drill)
            effect = "killed" if kind == "same-city" else "cut off"
            lost, recovery = [prod.centre], [aa.centre, *tail]
            hosts = [*_hosts(plan, lost, effect), Touch(name=aa.host, centre=aa.centre, effect="promoted")]
            clusters = _clusters(plan, lost, effect) + _clusters(plan, [aa.centre], "takes over")
        else:  # a planned move of the primary between the two members: nothing is lost, no cluster changes
            give, take = (prod, aa) if kind == "switchover" else (aa, prod)
            lost, recovery = [give.centre], [take.centre, *tail]
            hosts = [
                Touch(name=give.host, centre=give.centre, effect="demoted"),
                Touch(name=take.host, centre=take.centre, effect="promoted"),
            ]
            clusters = []
        command = (
            "ansible-playbook playbooks/failback.yml"
            if kind == "failback"
            else f"ansible-playbook playbooks/dr-drill.yml -e scenario={kind}"
        )
        note = HA_NOTES[kind]
        if not runnable:
            note += f"; planned: the drill steps drill the first HA cluster ({plan.ha[0].cloud}) only"
        out.append(
            Scenario(
                name=f"{kind}:{prod.centre}",
                kind=kind,
                cloud=ha.cloud,
                city=_city(plan, prod.centre),
                lost_centres=lost,
                recovery_centres=recovery,
                hosts=hosts + follows,
                clusters=clusters,
                systems=targets,
                strictest=worst,
                runs_today=runnable,
                status="runs" if runnable else "planned",
                command=command if runnable else None,
                note=note,
            )
        )
    return out


def _recovery(plan: Plan, cloud: Cloud, lost: set[str]) -> tuple[Centre | None, str]:
    """Where a cloud that lost its production centre carries on, and how: its own remote DR centre if
    that survives, else its backup partner's backup centre."""
    dr = plan.index.centre(cloud, CentreRole.REMOTE_DR)
    if dr is not None and dr.name not in lost:
        return dr, "takes over"
    partner = plan.index.backup_centre(cloud)
    if partner is not None and partner.name not in lost:
        return partner, "restores"
    return None, ""


def _loss(
    plan: Plan, kind: Kind, name: str, cloud: str, city: str, lost: list[str], note: str, command: str | None = None
) -> Scenario:
    """A scenario that loses whole centres: every cloud whose production centre is among them
    recovers elsewhere and is judged."""
    lost_set = set(lost)
    hosts = _hosts(plan, lost, "lost")
    clusters = _clusters(plan, lost, "lost")
    recovery: list[str] = []
    judged: list[System] = []
    missing: list[str] = []
    seen: set[tuple[str, str]] = set()  # (centre, effect): a centre can take over for one cloud, restore another
    for c in plan.topology.clouds:
        prod = plan.index.centre(c, CentreRole.PRODUCTION)
        if prod is None or prod.name not in lost_set:
            continue
        judged += systems_on(plan.topology, c.name)
        where, effect = _recovery(plan, c, lost_set)
        if where is None:
            missing.append(c.name)
            continue
        if (where.name, effect) in seen:
            continue
        seen.add((where.name, effect))
        if where.name not in recovery:
            recovery.append(where.name)
        # the remote DR centre's database host is promoted; a partner's backup host restores
        pick = [h for h in plan.lab.hosts if h.centre == where.name]
        role = "database" if effect == "takes over" else "backup"
        chosen = [h for h in pick if h.role.value == role] or pick
        hosts += [Touch(name=h.name, centre=h.centre, effect=effect) for h in chosen]
        if not any(t.centre == where.name for t in clusters):
            clusters += _clusters(plan, [where.name], effect)
    if missing:
        note += f"; no surviving centre to recover {', '.join(missing)} (rule GC036)"
    targets, worst = _targets(judged)
    return Scenario(
        name=name,
        kind=kind,
        cloud=cloud,
        city=city,
        lost_centres=lost,
        recovery_centres=recovery,
        hosts=hosts,
        clusters=clusters,
        systems=targets,
        strictest=worst,
        runs_today=command is not None,
        status="runs" if command is not None else "planned",
        command=command,
        note=note,
    )


def _cluster_loss_scenarios(plan: Plan) -> list[Scenario]:
    """Per production centre whose loss scales a standby: the Kubernetes side, on the kwok lab."""
    from govcloud.drill.takeover import candidates, cluster_loss

    out = []
    for i, lost in enumerate(candidates(plan)):
        loss = cluster_loss(plan, lost.name)
        scaled = {s.cluster for s in loss.scale}
        serving = {c.name for c in loss.serving}
        clusters = [Touch(name=lost.name, centre=lost.centre, effect="stopped")]
        clusters += [
            Touch(name=c.name, centre=c.centre, effect="scales up" if c.name in scaled else "keeps serving")
            for c in loss.survivors
            if c.name in scaled or c.name in serving
        ]
        targets, worst = _targets(systems_on(plan.topology, lost.cloud))
        replicas = f"{sum(s.design for s in loss.scale)} -> {sum(s.takeover for s in loss.scale)}"
        out.append(
            Scenario(
                name=f"cluster-loss:{lost.centre}",
                kind="cluster-loss",
                cloud=lost.cloud,
                city=_city(plan, lost.centre),
                lost_centres=[lost.centre],
                recovery_centres=[c.centre for c in loss.survivors],
                hosts=[],
                clusters=clusters,
                systems=targets,
                strictest=worst,
                runs_today=True,
                status="runs",
                command="govcloud drill cluster-loss" + (f" --cluster {lost.name}" if i else ""),
                note=f"the production centre's cluster stopped (kwok lab); {len(loss.scale)} standbys scale up "
                f"({replicas} replicas) and are timed to Ready while the same-city services keep serving",
            )
        )
    return out


def scenarios(plan: Plan) -> list[Scenario]:
    out: list[Scenario] = []
    first = plan.ha[0].cloud if plan.ha else None
    for ha in plan.ha:
        out += _ha_scenarios(plan, ha, ha.cloud == first)
    out += _cluster_loss_scenarios(plan)
    all_centres = [(c, dc) for c in plan.topology.clouds for dc in c.centres]
    for c in plan.topology.clouds:
        if c.kind != CloudKind.PROVINCIAL:
            continue
        prod = plan.index.centre(c, CentreRole.PRODUCTION)
        if prod is None:
            continue
        lost = [dc.name for _, dc in all_centres if dc.city == prod.city]
        out.append(
            _loss(
                plan,
                "whole-city",
                f"whole-city:{prod.city}",
                c.name,
                plan.index.city_name(prod.city),
                lost,
                f"every centre in {c.name}'s home city lost at once (production and same-city); the remote DR "
                "standby cluster is promoted by a declared disaster (the city fenced, the DCS given a quorum "
                "of one); RPO is what the asynchronous link had not carried. The drill rehearses the HA "
                "cluster's part; a city cloud in the same city is its own `city` drill",
                "ansible-playbook playbooks/dr-drill.yml -e scenario=whole-city -e confirm_disaster=yes"
                if c.name == first and plan.ha[0].standby_cluster is not None
                else None,
            )
        )
    drillable = set(city_clouds(plan))
    for c in plan.topology.clouds:
        if c.kind != CloudKind.CITY:
            continue
        partner = c.backup_partner or "no partner"
        runs = c.name in drillable
        lost = [dc.name for dc in c.centres]
        city = plan.index.city_name(c.city) if c.city else (_city(plan, lost[0]) if lost else "")
        out.append(
            _loss(
                plan,
                "city",
                f"city:{c.name}",
                c.name,
                city,
                lost,
                f"the city cloud {c.name} lost; its backup partner ({partner}) restores the base backup and "
                "WAL it keeps (point-in-time recovery to the end of the archive) and serves the city's database"
                + ("" if runs else "; planned: the city has no database host shipping to a lab backup host"),
                f"ansible-playbook playbooks/dr-drill.yml -e scenario=city -e city={c.name}" if runs else None,
            )
        )
    return out


def drill_plan(plan: Plan) -> DrillPlan:
    found = scenarios(plan)
    runnable = sum(s.runs_today for s in found)
    return DrillPlan(
        topology=plan.topology.metadata.name, scenarios=found, runnable=runnable, planned=len(found) - runnable
    )


def render_text(dp: DrillPlan) -> str:
    lines = [f"{dp.topology}: {len(dp.scenarios)} drill scenarios, {dp.runnable} run today, {dp.planned} planned"]
    for s in dp.scenarios:
        lines.append("")
        lines.append(f"{s.name}  [{s.status}]  cloud {s.cloud}, {s.city}")
        lines.append(f"  {s.note}")
        lines.append(f"  lost:      {', '.join(s.lost_centres) or '-'}")
        lines.append(f"  recovery:  {', '.join(s.recovery_centres) or '-'}")
        lines.append("  hosts:     " + (", ".join(f"{h.name} ({h.effect})" for h in s.hosts) or "-"))
        lines.append("  clusters:  " + (", ".join(f"{c.name} ({c.effect})" for c in s.clusters) or "-"))
        if s.strictest:
            t, n = s.strictest, len(s.systems)
            lines.append(
                f"  judged:    {n} system{'' if n == 1 else 's'}; strictest {t.system} (level {t.dr_level}, "
                f"RTO {format_duration(t.rto_s)}, RPO {format_duration(t.rpo_s)})"
            )
        else:
            lines.append("  judged:    no system with DR targets")
        if s.command:
            lines.append(f"  run:       {s.command}")
    return "\n".join(lines)


def drill_plan_schema() -> dict[str, object]:
    schema = DrillPlan.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    return schema
