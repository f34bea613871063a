"""The province's drill campaign (`dr-drill.yml -e scenario=all`): every drill `drill plan` says
runs today whose lab hosts are up, in a safe order, each HA drill followed by its failback.

Pure but for `lab_hosts_up`, which asks Docker which of the plan's lab hosts have a container.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from govcloud.drill.scenarios import Scenario

HA_ORDER = ("same-city", "partition", "switchover", "whole-city")


class CampaignDrill(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    """The drill plan's scenario name, e.g. `partition:nc-prod` or `city:jiujiang`."""
    scenario: str
    """What `dr-drill.yml -e scenario=` takes: same-city, partition, switchover, whole-city or city."""
    city: str | None = None
    """For a city drill: the city cloud (`-e city=`)."""
    failback: bool
    """Whether playbooks/failback.yml follows (the HA drills: the roles are swapped afterwards)."""


class Campaign(BaseModel):
    model_config = ConfigDict(extra="forbid")
    drills: list[CampaignDrill]
    skipped: list[str]
    """Runnable scenarios left out, with why (their lab hosts are not up)."""


def campaign(scenarios: list[Scenario], up: set[str], ha_centres: frozenset[str] = frozenset()) -> Campaign:
    """`up`: names of the lab hosts that have a container. `ha_centres`: the centres of the HA cluster
    the drill steps drill; the whole-city drill needs only their hosts (the plan's scenario also
    loses every other cloud's centres in that city, whose own drills are the `city` ones)."""
    drills: list[CampaignDrill] = []
    skipped: list[str] = []
    skipped += [f"{s.name}: planned, not runnable yet" for s in scenarios if not s.runs_today]
    runnable = [s for s in scenarios if s.runs_today and s.kind in (*HA_ORDER, "city")]
    runnable.sort(key=lambda s: (0, HA_ORDER.index(s.kind)) if s.kind in HA_ORDER else (1, 0))
    for s in runnable:
        needed = [h for h in s.hosts if s.kind != "whole-city" or not ha_centres or h.centre in ha_centres]
        missing = [h.name for h in needed if h.name not in up]
        if missing:
            skipped.append(f"{s.name}: lab hosts not up ({', '.join(missing[:3])}{' …' if len(missing) > 3 else ''})")
            continue
        if s.kind == "city":
            drills.append(CampaignDrill(name=s.name, scenario="city", city=s.cloud, failback=False))
        else:
            drills.append(CampaignDrill(name=s.name, scenario=s.kind, failback=True))
    return Campaign(drills=drills, skipped=skipped)


def lab_hosts_up(names: list[str]) -> set[str]:
    from govcloud.drill.faults import CONTAINER_PREFIX, Docker
    from govcloud.lab.hosts import LABEL

    docker = Docker()
    docker.ping()
    proc = docker.run("ps", "-a", "--filter", f"label={LABEL}", "--format", "{{.Names}}")
    have = {line.strip() for line in proc.stdout.splitlines()}
    return {n for n in names if CONTAINER_PREFIX + n in have}
