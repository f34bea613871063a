"""The whole city lost: a declared disaster, and the failback when the city returns.

`whole-city` (dr-drill.yml -e scenario=whole-city -e confirm_disaster=yes):

| step    | what it does |
|---------|--------------|
| fault   | every container of the home city's two centres killed at once (production and same-city) |
| declare | the disaster declared: the lost city's database hosts fenced (powered off and marked so their |
|         | etcd and Patroni never start on their own), the remote DR centre's etcd member forced into a |
|         | one-member cluster (the other two members were its quorum), the standby cluster promoted |
|         | (its dynamic configuration loses `standby_cluster`) |
| verify  | the checker's verdict: RPO is what the asynchronous link had not carried, judged per system |

`whole-city-failback` (playbooks/failback.yml, when a disaster is declared):

| step    | what it does |
|---------|--------------|
| rebuild | the city's hosts back (still fenced); each rejoins the DCS as a new etcd member with its old |
|         | data wiped, its PostgreSQL data kept aside for forensics, then the production host bootstraps |
|         | as a standby leader cloned from the DR centre and the same-city host as its replica |
| fault   | the planned move back: the DR cluster turned into a standby cluster again (a clean shutdown |
|         | sends its last WAL), then the city's cluster promoted; the checker verifies nothing was lost |

Why fence: the city's two etcd members were a quorum of the old three-member DCS. Started as they
were, they would elect each other and their Patroni would promote the old primary: two primaries.
"""

from __future__ import annotations

import shlex
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from govcloud.diagnostics import UsageError
from govcloud.drill import dcs, faults, judge, patroni
from govcloud.drill.cluster import API_USER, DrillCluster
from govcloud.drill.records import Record, Run, write_atomic
from govcloud.drill.steps import DrillFailed, Progress, judged, record_of, timeline_row
from govcloud.plan.ha import PG_PORT, SERVICE_PORT, Member, ha_name

WHOLE_CITY = "whole-city"
FAILBACK = "whole-city-failback"
FENCE = "/etc/labhost/fenced"  # the start hooks of etcd and Patroni exit early while it exists
# As roles/patroni renders them (defaults/main.yml, tasks/etcd.yml):
ETCD_CONFIG = "/etc/default/etcd-govcloud.yml"
ETCD_DATA = "/var/lib/etcd/govcloud"
ETCD_LOG = "/var/log/etcd-govcloud.log"
PATRONI_CONFIG = "/etc/patroni/config.yml"
START_ETCD = "/etc/labhost/start.d/10-etcd"
START_PATRONI = "/etc/labhost/start.d/20-patroni"
PRIMARY_ROLES = ("master", "primary")


def _container(m: Member) -> str:
    return faults.CONTAINER_PREFIX + m.host


def _sh(docker: faults.Docker, m: Member, script: str, timeout: float = 120) -> str:
    proc = docker.run("exec", _container(m), "sh", "-c", script, check=False, timeout=timeout)
    if proc.returncode != 0:
        raise DrillFailed(
            f"{m.host}: {script.split(';')[0][:80]}… exited {proc.returncode}: {proc.stderr.strip()[:300]}"
        )
    return proc.stdout


def _role(dc: DrillCluster, m: Member) -> tuple[str | None, str | None]:
    body = patroni.get(dc.api(m), "/patroni")[1] or {}
    return body.get("role"), body.get("state")


def _until(what: str, probe: Callable[[], bool], timeout: float) -> float:
    deadline = time.monotonic() + timeout
    while not probe():
        if time.monotonic() > deadline:
            raise DrillFailed(f"{what}: not reached within {timeout:.0f}s")
        time.sleep(0.5)
    return time.time()


def _remote(dc: DrillCluster) -> Member:
    if dc.remote is None:
        raise UsageError(f"the {dc.ha.cloud} HA cluster has no remote DR standby cluster: nothing to promote")
    return dc.remote


def city_centres(dc: DrillCluster) -> list[str]:
    return [m.centre for m in dc.ha.primary_members]


def kill_city(dc: DrillCluster) -> tuple[float, list[str]]:
    """Both home-city centres killed at once (one `docker kill`): the disaster itself."""
    docker = faults.Docker()
    hosts = [h for c in city_centres(dc) for h in dc.centre_hosts(c)]
    running = [n for n, d in faults.lab_containers(docker, hosts).items() if d.get("State", {}).get("Running")]
    if not running:
        raise DrillFailed("no running lab container in the home city: nothing to lose (run the restore step)")
    at = time.time()
    docker.run("kill", *running)
    return at, running


def _fence(dc: DrillCluster, docker: faults.Docker, why: str) -> list[str]:
    """Power off the city's database hosts that still run, and mark each so nothing starts its DCS
    member or HA manager again until the failback rebuilds it (docker cp writes into a stopped one)."""
    done = []
    containers = faults.lab_containers(docker, [h for h in dc.plan.lab.hosts if h.name in _city_hosts(dc)])
    with tempfile.TemporaryDirectory() as tmp:
        marker = Path(tmp) / "fenced"
        marker.write_text(f"{why}\n", encoding="utf-8")
        for name, data in containers.items():
            if data.get("State", {}).get("Running"):
                docker.run("kill", name)
                done.append(f"killed {name}")
            docker.run("cp", str(marker), f"{name}:{FENCE}")
            done.append(f"fenced {name}")
    return done


def _city_hosts(dc: DrillCluster) -> set[str]:
    return {m.host for m in dc.ha.primary_members}


def _force_new_cluster(dc: DrillCluster, docker: faults.Docker, m: Member) -> str:
    """The DR centre's etcd member alone, with its data: restarted once with `force-new-cluster`
    (a config-file key; etcd ignores flags given beside --config-file), then as usual."""
    forced = ETCD_CONFIG.removesuffix(".yml") + "-forced.yml"
    script = "; ".join(
        [
            # SIGKILL: a member without quorum spent 50-75 s in a graceful stop, waiting on dead peers;
            # its WAL is synced on every commit, so nothing is lost
            "pkill -KILL -x etcd",
            "while pgrep -x etcd >/dev/null; do sleep 0.1; done",
            f"grep -v '^force-new-cluster:' {ETCD_CONFIG} > {forced}",
            f"echo 'force-new-cluster: true' >> {forced}",
            f"chgrp etcd {forced}",
            f"chmod 0640 {forced}",
            f"cd / && runuser -u etcd -- setsid /usr/bin/etcd --config-file {forced} >>{ETCD_LOG} 2>&1 </dev/null &",
        ]
    )
    _sh(docker, m, script)
    _until(f"{m.host}'s etcd as a one-member cluster", lambda: dcs.healthy(m), 60)
    # back to the usual start (same data, now one member), so a later restart cannot force again
    _sh(docker, m, f"pkill -x etcd; while pgrep -x etcd >/dev/null; do sleep 0.1; done; rm -f {forced}; {START_ETCD}")
    _until(f"{m.host}'s etcd restarted", lambda: dcs.healthy(m), 60)
    return f"{m.host}: etcd now a one-member cluster ({len(dcs.members(m))} member)"


def declare(dc: DrillCluster, run: Run, progress: Progress, *, confirmed: bool) -> dict[str, Any]:
    """Fence the lost city, give the DR centre's DCS member a quorum of one, promote the standby cluster."""
    if not confirmed:
        raise UsageError(
            "declaring a disaster promotes the remote DR centre's standby cluster and fences the home city "
            "until a failback rebuilds it: pass --confirm-disaster (dr-drill.yml: -e confirm_disaster=yes)"
        )
    remote = _remote(dc)
    docker = faults.Docker()
    done = _fence(dc, docker, f"disaster declared at {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())} ({run.id})")
    progress(f"declare: {len([d for d in done if d.startswith('fenced')])} database host(s) of the city fenced")
    if dcs.healthy(remote) and len(dcs.members(remote)) == 1:
        done.append(f"{remote.host}: etcd already a one-member cluster")
    else:
        done.append(_force_new_cluster(dc, docker, remote))
    progress(f"declare: {done[-1]}")
    saved = dcs.get_config(remote, dc.ha.standby_scope)
    write_atomic(run.dir / "dr-config-before.json", saved or {})
    at = time.time()

    def promoted() -> bool:
        try:
            status, _ = patroni.post(
                dc.api(remote),
                "/config",
                {"standby_cluster": None},
                API_USER,
                dc.secret("patroni-api"),
                method="PATCH",
            )
        except patroni.PatroniError:
            return False
        return status == 200

    _until(f"{remote.host}'s Patroni accepting the configuration without standby_cluster", promoted, 60)
    done.append(f"{dc.ha.standby_scope}: standby_cluster removed from the dynamic configuration (promotion)")
    run.event("declare", "declared", at=at, detail="; ".join(done))
    progress(f"declare: {dc.ha.standby_scope} told to promote {remote.host}")
    return {"at": at, "actions": done}


def _marks(dc: DrillCluster, m: Member, fault_at: float) -> dict[str, float]:
    hist = [h for h in patroni.history(dc.api(m)) if h["at"] >= fault_at]
    return {"promoted": hist[0]["at"]} if hist else {}


def verify(dc: DrillCluster, run: Run, progress: Progress) -> Record:
    """The checker's verdict on the DR centre's copy; what was lost is measured and judged per system
    (an asynchronous link loses what it had not carried), not a check of the drill itself."""
    remote = _remote(dc)
    v, fault_at, (rows, detection, promotion) = judged(dc, run)
    declared = run.first("declared")
    if fault_at is not None and declared is not None:
        detection = float(declared["at"]) - fault_at  # the declaration stands in for detection
        rows.append(
            timeline_row(float(declared["at"]), fault_at, "disaster declared: city fenced, DCS quorum of one", "drill")
        )
        marks = _marks(dc, remote, fault_at)
        if marks:
            promotion = marks["promoted"] - float(declared["at"])
            rows.append(
                timeline_row(marks["promoted"], fault_at, f"new timeline begins on {remote.host} (Patroni /history)")
            )
        rows.sort(key=lambda r: r["at"])
    role, state = _role(dc, remote)
    city_down = all(patroni.get(dc.api(m), "/patroni", timeout=0.5)[0] == 0 for m in dc.ha.primary_members)
    checks = {
        "no_duplicates": not v.duplicates,
        "no_split_brain": not v.split_brain,
        "recovered": v.rto_s is not None,
        "dr_centre_primary": role in PRIMARY_ROLES and state == "running",
        "city_fenced": city_down,
    }
    systems = judge.judge_systems(dc.hosted_systems(), v.rto_s, len(v.lost), v.lost_seconds)
    notes = [
        f"{remote.host}: role {role!r} state {state!r}",
        f"acknowledged writes the asynchronous link had not carried: {len(v.lost)} ({v.lost_seconds:.3f}s of history)",
    ]
    rec = record_of(
        run,
        v,
        cluster=dc.ha.scope,
        centre="+".join(city_centres(dc)),
        fault_at=fault_at,
        detection=detection,
        promotion=promotion,
        timeline=rows,
        systems=systems,
        checks=checks,
        notes=notes,
    )
    write_atomic(run.record_file, rec.model_dump(mode="json"))
    run.event("verify", "judged", passed=rec.passed)
    return rec


def declared(dc: DrillCluster) -> bool:
    """Is a disaster declared: the DR centre's member leads as a primary?"""
    return dc.remote is not None and _role(dc, dc.remote)[0] in PRIMARY_ROLES


# --- failback -------------------------------------------------------------------------------------


def _join_etcd(dc: DrillCluster, docker: faults.Docker, remote: Member, m: Member) -> str:
    ours = dcs.peer_url(m)
    found = [x for x in dcs.members(remote) if ours in (x.get("peerURLs") or [])]
    if found and found[0].get("name") and dcs.healthy(m):
        return f"{m.host}: etcd member already joined"
    if not found:
        # etcd refuses a second reconfiguration until the last new member has been up a few seconds
        def added() -> bool:
            try:
                dcs.add_member(remote, m)
            except dcs.DcsError:
                return False
            return True

        _until(f"etcd accepting {m.host} as a new member", added, 60)
    initial = ",".join(
        f"{x.get('name') or m.host}={(x.get('peerURLs') or [''])[0]}" for x in dcs.members(remote) if x.get("peerURLs")
    )
    join = ETCD_CONFIG.removesuffix(".yml") + "-join.yml"
    script = "; ".join(
        [
            "pkill -x etcd",
            "while pgrep -x etcd >/dev/null; do sleep 0.1; done",
            f"rm -rf {ETCD_DATA} && install -d -o etcd -g etcd -m 0700 {ETCD_DATA}",
            f"grep -v -e '^initial-cluster:' -e '^initial-cluster-state:' {ETCD_CONFIG} > {join}",
            f"printf 'initial-cluster: %s\\ninitial-cluster-state: existing\\n' {shlex.quote(initial)} >> {join}",
            f"chgrp etcd {join}",
            f"chmod 0640 {join}",
            f"cd / && runuser -u etcd -- setsid /usr/bin/etcd --config-file {join} >>{ETCD_LOG} 2>&1 </dev/null &",
        ]
    )
    _sh(docker, m, script)
    _until(f"{m.host}'s etcd member joining", lambda: dcs.healthy(m), 90)
    return f"{m.host}: etcd rejoined as a new member ({initial.count('=')} members)"


def _standby_of_remote(dc: DrillCluster, remote: Member) -> dict[str, Any]:
    """The city's cluster as a standby cluster of the DR centre, cloned with pg_basebackup."""
    return {"host": ha_name(remote.host), "port": PG_PORT, "create_replica_methods": ["basebackup"]}


def _standby_of_city(remote: Member) -> dict[str, Any]:
    """The DR cluster's own standby_cluster section, as roles/patroni/templates/patroni.yml.j2 has it."""
    slot = "".join(c if c.isalnum() or c == "_" else "_" for c in remote.host)
    return {
        "host": "127.0.0.1",
        "port": SERVICE_PORT,
        "primary_slot_name": slot,
        "create_replica_methods": ["basebackup"],
    }


def _streams_from(dc: DrillCluster, upstream: Member, m: Member) -> bool:
    body = patroni.get(dc.api(upstream), "/patroni")[1] or {}
    return any(
        r.get("application_name") == m.host and r.get("state") == "streaming" for r in body.get("replication") or []
    )


def rebuild(dc: DrillCluster, run: Run, progress: Progress, timeout: float = 300.0) -> dict[str, Any]:
    remote = _remote(dc)
    if not declared(dc):
        raise DrillFailed(f"no declared disaster to fail back from: {remote.host} is not the primary")
    docker = faults.Docker()
    done = faults.heal(dc)  # the city's containers start, fenced: sshd and HAProxy only
    for d in done:
        progress(f"rebuild: {d}")
    city = [dc.production, dc.same_city]
    for m in city:
        if patroni.get(dc.api(m), "/patroni", timeout=0.5)[0] and _role(dc, m)[0] in PRIMARY_ROLES:
            raise DrillFailed(f"{m.host} runs as a primary beside {remote.host}: split brain, fence it by hand")
    for m in city:
        done.append(_join_etcd(dc, docker, remote, m))
        progress(f"rebuild: {done[-1]}")
    scope = dc.ha.scope
    config = dcs.get_config(remote, scope)
    if config is None:
        raise DrillFailed(f"the DCS holds no configuration of {scope}: cannot rebuild it as designed")
    wanted = _standby_of_remote(dc, remote)
    if config.get("standby_cluster") != wanted or not _streams_from(dc, remote, dc.production):
        dcs.delete_scope(remote, scope)
        dcs.put_config(remote, scope, {**config, "standby_cluster": wanted})
        done.append(f"{scope}: DCS keys reset, a standby cluster of {remote.host}")
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    for m, role in ((dc.production, "standby_leader"), (dc.same_city, "replica")):
        upstream = remote if role == "standby_leader" else dc.production
        if _streams_from(dc, upstream, m):
            done.append(f"{m.host}: already streams from {upstream.host}")
            continue
        # the lost primary's data kept aside (the writes the city acknowledged but never shipped are
        # evidence), one copy only; Patroni then clones the member afresh
        _sh(
            docker,
            m,
            f"pkill -x patroni; while pgrep -x patroni >/dev/null; do sleep 0.2; done; "
            f'd=$(sed -n "s/^  data_dir: //p" {PATRONI_CONFIG}); [ -n "$d" ] || exit 3; '
            f'rm -rf "$d".lost-*; if [ -d "$d" ]; then mv "$d" "$d.lost-{stamp}"; fi; '
            f"rm -f {FENCE}; {START_PATRONI}",
        )
        progress(f"rebuild: {m.host} unfenced, cloning from {upstream.host}")

        def joined(m: Member = m, role: str = role, upstream: Member = upstream) -> bool:
            return _role(dc, m) in ((role, "streaming"), (role, "running")) and _streams_from(dc, upstream, m)

        _until(f"{m.host} a {role} streaming from {upstream.host}", joined, timeout)
        done.append(f"{m.host}: {role}, streaming from {upstream.host} (old data kept as .lost-{stamp})")
        progress(f"rebuild: {done[-1]}")
    run.event("rebuild", "rebuilt", detail="; ".join(done))
    return {"actions": done}


def move_back(dc: DrillCluster, run: Run, progress: Progress) -> tuple[float, list[str]]:
    """The planned move back: the DR cluster demoted first (its clean shutdown sends the city every
    last WAL record), then the city's cluster promoted. Writes pause in between; none is lost."""
    remote = _remote(dc)
    secret = dc.secret("patroni-api")
    at = time.time()
    status, body = patroni.post(
        dc.api(remote), "/config", {"standby_cluster": _standby_of_city(remote)}, API_USER, secret, method="PATCH"
    )
    if status != 200:
        raise DrillFailed(f"{dc.ha.standby_scope}: demotion refused: HTTP {status} {body[:200]}")
    what = [f"{dc.ha.standby_scope}: a standby cluster again (following the city through its HAProxy)"]
    _until(f"{remote.host} a standby leader", lambda: _role(dc, remote)[0] == "standby_leader", 90)

    def caught_up() -> bool:
        r = (patroni.get(dc.api(remote), "/patroni")[1] or {}).get("xlog") or {}
        p = (patroni.get(dc.api(dc.production), "/patroni")[1] or {}).get("xlog") or {}
        last = int(r.get("replayed_location") or r.get("location") or 0)
        return bool(last) and int(p.get("received_location") or 0) >= last

    try:
        _until(f"{dc.production.host} holding {remote.host}'s last WAL", caught_up, 30)
        what.append(f"{dc.production.host} received {remote.host}'s last WAL record")
    except DrillFailed as e:  # promote anyway: the checker will say what, if anything, is missing
        what.append(str(e))
    status, body = patroni.post(
        dc.api(dc.production), "/config", {"standby_cluster": None}, API_USER, secret, method="PATCH"
    )
    if status != 200:
        raise DrillFailed(f"{dc.ha.scope}: promotion refused: HTTP {status} {body[:200]}")
    what.append(f"{dc.ha.scope}: standby_cluster removed, {dc.production.host} promoted")
    return at, what
