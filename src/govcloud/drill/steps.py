"""A drill's named steps. `playbooks/dr-drill.yml` and `failback.yml` call them in order through
`govcloud drill step NAME`; each appends its events to the run's `events.jsonl`.

| step      | what it does |
|-----------|--------------|
| restore   | undo any fault on the cluster's centres and wait until every member runs: safe before a |
|           | drill (a rerun after a failure) and after it |
| rejoin    | wait until the old primary streams again as a standby (reinitialise it if it cannot) |
| precheck  | healthy, in the design roles (unless failing back), lag within bounds, inter-centre |
|           | replication through the fault proxy |
| load      | start the load generator and wait until writes are acknowledged steadily |
| fault     | the scenario's fault: kill the production centre, partition it, or switch over |
| observe   | sample Patroni until a write is acknowledged on a new primary, then let the load run on |
| stop-load | stop the load generator |
| verify    | the checker's verdict, the timeline, each hosted system judged; writes `record.json` |
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any, Protocol

from govcloud.diagnostics import UsageError
from govcloud.drill import checker, faults, health, judge, patroni, timeline
from govcloud.drill.cluster import API_USER, DrillCluster
from govcloud.drill.records import Record, Run, SystemVerdict, read_jsonl, write_atomic
from govcloud.model.topology import DrPolicy

Progress = Callable[[str], None]
CONNINFO_ENV = "GOVCLOUD_DRILL_CONNINFO"  # the load process gets its password here, never in argv
SETTLE_S = 5.0  # load kept running on the new primary after the first acknowledgement there


class Target(Protocol):
    """What the load generator and the observer need of what a drill writes to (an HA cluster or a city)."""

    @property
    def policy(self) -> DrPolicy: ...

    def conninfo(self, *, timeout_s: int = 2) -> str: ...

    def service(self) -> str: ...

    def node_name(self, address: str) -> str: ...


class DrillFailed(Exception):
    """A precheck or the checker said no: exit code 1 (the drill ran; this is what it found)."""


def _wait(what: str, probe: Callable[[], tuple[bool, str]], timeout: float, progress: Progress) -> str:
    deadline = time.monotonic() + timeout
    last = ""
    while True:
        ok, last = probe()
        if ok:
            return last
        if time.monotonic() > deadline:
            raise DrillFailed(f"{what}: not reached within {timeout:.0f}s ({last})")
        time.sleep(1.0)


def restore(dc: DrillCluster, run: Run, progress: Progress, timeout: float = 180.0) -> dict[str, Any]:
    done = faults.heal(dc)
    run.event("restore", "healed", detail="; ".join(done) if done else "nothing was broken")
    for d in done:
        progress(f"restore: {d}")

    def every_member_runs() -> tuple[bool, str]:
        states = {m.host: (patroni.get(dc.api(m), "/patroni")[1] or {}).get("state") for m in dc.ha.members}
        return all(s == "running" for s in states.values()), f"states {states}"

    detail = _wait("every member running", every_member_runs, timeout, progress)
    run.event("restore", "members-running", detail=detail)
    return {"undone": done}


REINIT_AFTER_S = 20.0  # a member "stopped" this long is stuck, not between pg_rewind and its restart


def rejoin(dc: DrillCluster, run: Run, progress: Progress, timeout: float = 180.0) -> dict[str, Any]:
    """The member that lost the lead streams again from the leader (pg_rewind by Patroni), else reinit."""
    reinitialised: list[str] = []
    down_since: dict[str, float] = {}
    deadline = time.monotonic() + timeout
    while True:
        h = health.read(dc, design=False)
        lagging = [k for k, v in h.checks.items() if not v and k != "design_primary_leads"]
        if h.leader and not lagging:
            break
        now = time.monotonic()
        if now > deadline:
            raise DrillFailed(f"rejoin: cluster not healthy within {timeout:.0f}s: {lagging} {h.details}")
        # A demoted primary passes through "stopped" while Patroni rewinds and restarts it; only a
        # member that stays down is re-cloned (Patroni's reinitialize), and only once.
        for host, state in h.members.items():
            if state.get("state") not in ("start failed", "stopped") or host == h.leader:
                down_since.pop(host, None)
                continue
            since = down_since.setdefault(host, now)
            if host in reinitialised or now - since < REINIT_AFTER_S:
                continue
            reinitialised.append(host)
            try:
                status, body = patroni.post(
                    dc.api(host), "/reinitialize", {"force": True}, API_USER, dc.secret("patroni-api")
                )
            except patroni.PatroniError as e:  # busy with its own recovery: keep waiting for it
                status, body = 0, str(e)
            run.event("rejoin", "reinitialize", member=host, status=status, detail=body[:200])
            progress(f"rejoin: reinitialising {host} ({status or 'no answer'})")
        time.sleep(1.0)
    run.event("rejoin", "streaming", leader=h.leader, detail="; ".join(h.details))
    if run.record_file.exists():  # the drill's record learns that restoration worked
        rec = Record.model_validate_json(run.record_file.read_text(encoding="utf-8"))
        rec.checks["restored_sync_standby_streaming"] = h.checks.get("sync_standby_streaming", False)
        rec.timeline.append(
            {
                "at": round(time.time(), 3),
                "since_fault_s": None,
                "what": "rejoin: old primary streams again",
                "source": "drill",
            }
        )
        rec.passed = rec.passed and all(rec.checks.values())
        write_atomic(run.record_file, rec.model_dump(mode="json"))
    return {"leader": h.leader, "reinitialised": reinitialised}


def precheck(dc: DrillCluster, run: Run, progress: Progress, *, design: bool, timeout: float = 60.0) -> dict[str, Any]:
    api_ok = faults.Toxiproxy().alive()
    result: dict[str, Any] = {}

    def healthy() -> tuple[bool, str]:
        h = health.read(dc, design=design)
        result.update(h.as_dict())
        return h.ok and api_ok, f"failing: {[k for k, v in h.checks.items() if not v]}; {h.details}"

    try:
        _wait("precheck", healthy, timeout, progress)
    finally:
        run.event(
            "precheck", "checked", ok=all(result.get("checks", {}).values()) and api_ok, checks=result.get("checks")
        )
    if not api_ok:
        raise DrillFailed("precheck: the fault proxy is not running (govcloud lab hosts up)")
    for d in result.get("details", []):
        progress(f"precheck: {d}")
    return result


def start_load(dc: Target, run: Run, progress: Progress, topology: str) -> dict[str, Any]:
    pidfile = run.dir / "load.pid"
    if pidfile.exists():
        stop_load(run, progress)
    env = {**os.environ, CONNINFO_ENV: dc.conninfo(timeout_s=1)}
    with (run.dir / "load.log").open("ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "govcloud", "drill", "load", "--run", run.id, "--topology", topology],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    pidfile.write_text(f"{proc.pid}\n")
    rate = dc.policy.drills.write_rate
    want = max(5, rate * 2)

    def steady() -> tuple[bool, str]:
        if proc.poll() is not None:
            raise DrillFailed(f"the load generator exited ({proc.returncode}); see {run.dir / 'load.log'}")
        acked = sum("ack" in w for w in read_jsonl(run.writes_file))
        return acked >= want, f"{acked} acknowledged writes"

    detail = _wait("steady load", steady, 30, progress)
    run.event("load", "steady", detail=detail, rate=rate)
    progress(f"load: {detail} at {rate}/s through {dc.service()}")
    return {"pid": proc.pid, "rate": rate}


def stop_load(run: Run, progress: Progress) -> dict[str, Any]:
    pidfile = run.dir / "load.pid"
    try:
        pid = int(pidfile.read_text().strip())
    except (OSError, ValueError):
        return {"stopped": False}
    try:
        cmdline = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")  # noqa: SIM115 - one read
    except OSError:
        cmdline = []
    if b"load" in cmdline and run.id.encode() in cmdline:  # our generator, not a reused pid
        os.kill(pid, signal.SIGTERM)
        for _ in range(100):
            if not os.path.exists(f"/proc/{pid}") or open(f"/proc/{pid}/stat").read().split()[2] == "Z":  # noqa: SIM115
                break
            time.sleep(0.1)
    pidfile.unlink(missing_ok=True)
    run.event("stop-load", "stopped")
    return {"stopped": True}


def fault(dc: DrillCluster, run: Run, scenario: str, progress: Progress) -> dict[str, Any]:
    prod = dc.production_centre()
    if scenario == "same-city":
        at, what = faults.kill(dc, prod)
    elif scenario == "partition":
        at, what = faults.partition(dc, prod)
    elif scenario == "whole-city":
        from govcloud.drill.disaster import kill_city

        at, what = kill_city(dc)
    elif scenario == "whole-city-failback":
        from govcloud.drill.disaster import move_back

        at, what = move_back(dc, run, progress)
    elif scenario in ("switchover", "failback"):
        h = health.read(dc, design=False)
        target = dc.same_city.host if scenario == "switchover" else dc.production.host
        if h.leader is None or h.leader == target:
            raise DrillFailed(f"{scenario}: the leader is {h.leader}; nothing to switch over to {target}")
        at = time.time()
        status, body = patroni.post(
            dc.api(h.leader),
            "/switchover",
            {"leader": h.leader, "candidate": target},
            API_USER,
            dc.secret("patroni-api"),
        )
        if status != 200:
            raise DrillFailed(f"switchover {h.leader} → {target} refused: HTTP {status} {body[:200]}")
        what = [f"switchover {h.leader} → {target}: {body.strip()[:120]}"]
    else:
        raise UsageError(f"unknown scenario {scenario!r}")
    run.event(
        "fault", "injected", at=at, scenario=scenario, detail="; ".join(what[:6]) + (" …" if len(what) > 6 else "")
    )
    progress(f"fault ({scenario}): {len(what)} action(s), first: {what[0]}")
    return {"at": at, "actions": what}


def _sample(dc: DrillCluster, last: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    now = time.time()
    leader = None
    for m in dc.ha.members:
        status, body = patroni.get(dc.api(m), "/patroni", timeout=0.5)
        key = (body or {}).get("role"), (body or {}).get("state"), (body or {}).get("timeline")
        if status == 0:
            key = ("unreachable", None, None)
        if last.get(m.host) != key:
            last[m.host] = key
            rows.append({"at": now, "member": m.host, "role": key[0], "state": key[1], "timeline": key[2]})
        if leader is None and m.role != "standby-cluster" and status:
            leader = patroni.leader_of(patroni.cluster(dc.api(m))) if key[0] != "unreachable" else None
    if leader is not None and last.get("leader") != leader:
        last["leader"] = leader
        rows.append({"at": now, "leader": leader})
    return rows


def observe(dc: Target, run: Run, progress: Progress) -> dict[str, Any]:
    f = run.first("injected")
    if f is None:
        raise UsageError(f"run {run.id} has no fault yet: run the fault step first")
    at = float(f["at"])
    writes_before = [w for w in read_jsonl(run.writes_file) if "ack" in w and float(w["ack"]) <= at]
    old_node = writes_before[-1]["node"] if writes_before else None
    timeout = dc.policy.drills.recovery_timeout
    last: dict[str, Any] = {}
    seen_new: float | None = None
    with run.observations_file.open("a", encoding="utf-8") as out:
        while True:
            # an HA cluster's members are sampled through Patroni; a city has no HA manager to ask
            for row in _sample(dc, last) if isinstance(dc, DrillCluster) else []:
                out.write(json.dumps(row, sort_keys=True) + "\n")
            out.flush()
            if seen_new is None:
                new = [
                    w
                    for w in read_jsonl(run.writes_file)
                    if "ack" in w and float(w["ack"]) > at and w["node"] != old_node
                ]
                if new:
                    seen_new = float(new[0]["ack"])
                    who = dc.node_name(new[0]["node"])
                    progress(f"observe: first acknowledged write on {who} {seen_new - at:.1f}s after the fault")
                elif time.time() - at > timeout:
                    run.event("observe", "gave-up", detail=f"no write acknowledged on a new primary within {timeout}s")
                    raise DrillFailed(f"observe: no write acknowledged on a new primary within {timeout}s of the fault")
            elif time.time() - seen_new > SETTLE_S:
                break
            time.sleep(0.2)
    run.event("observe", "recovered", detail=f"writes acknowledged on the new primary for {SETTLE_S:.0f}s")
    return {"first_new_ack": seen_new}


def timeline_row(at: float, fault_at: float, what: str, source: str = "patroni") -> dict[str, Any]:
    return {"at": round(at, 3), "since_fault_s": round(at - fault_at, 3), "what": what, "source": source}


def _patroni_history(dc: DrillCluster, leader: str, fault_at: float) -> dict[str, Any]:
    """The promotion after the fault from Patroni's /history, and the lock taken just before it from the
    new leader's Patroni log (read in its container: the log's times are the container's local time)."""
    hist = [h for h in patroni.history(dc.api(leader)) if h["at"] >= fault_at and h.get("leader") in (leader, None)]
    marks: dict[str, Any] = {}
    if hist:
        marks.update(promoted=hist[0]["at"], timeline=hist[0]["timeline"])
    docker = faults.Docker()
    host = next(h for h in dc.plan.lab.hosts if h.name == leader)
    if faults.lab_containers(docker, [host]):
        name = faults.CONTAINER_PREFIX + leader
        offset = docker.run("exec", name, "date", "+%z", check=False).stdout.strip() or "+0000"
        sign = -1 if offset.startswith("-") else 1
        delta = timedelta(hours=sign * int(offset[1:3]), minutes=sign * int(offset[3:5]))
        log = docker.run("exec", name, "tail", "-n", "3000", "/var/log/postgresql/patroni.log", check=False).stdout
        locks = [t for t in patroni.lock_times(log, delta) if t >= fault_at - 1]
        if locks:
            marks["locked"] = locks[0]
    return marks


def record_of(
    run: Run,
    v: checker.Verdict,
    *,
    cluster: str,
    centre: str,
    fault_at: float | None,
    detection: float | None,
    promotion: float | None,
    timeline: list[dict[str, Any]],
    systems: list[SystemVerdict],
    checks: dict[str, bool],
    notes: list[str],
) -> Record:
    """A drill's record from the checker's verdict: figures rounded to the millisecond; passed when
    every check holds and every judged system met its targets."""
    events = run.events()

    def ms(x: float | None) -> float | None:
        return None if x is None else round(x, 3)

    return Record(
        run=run.id,
        scenario=run.scenario,
        cluster=cluster,
        centre=centre,
        started_at=float(events[0]["at"]) if events else time.time(),
        fault_at=fault_at,
        old_primary=v.old_primary,
        new_primary=v.new_primary,
        acknowledged=v.acknowledged,
        attempts=v.attempts,
        lost=len(v.lost),
        lost_seconds=round(v.lost_seconds, 3),
        duplicates=len(v.duplicates),
        split_brain=v.split_brain,
        split_brain_detail=v.split_brain_detail,
        rto_s=ms(v.rto_s),
        longest_gap_s=round(v.longest_gap_s, 3),
        detection_s=ms(detection),
        promotion_s=ms(promotion),
        timeline=timeline,
        systems=systems,
        checks=checks,
        passed=all(checks.values()) and all(s.passed for s in systems),
        notes=notes,
    )


REJOIN_WAIT_S = 60.0  # verify: how long the cluster may take to settle after the new primary's first write
_SETTLED = ("one_primary", "standby_cluster_streaming")
_DESIGN = ("design_primary_leads", "sync_standby_streaming")


def judged(
    dc: DrillCluster, run: Run
) -> tuple[checker.Verdict, float | None, tuple[list[dict[str, Any]], float | None, float | None]]:
    """The checker's verdict on what survives behind the service address, the fault's time, and the
    timeline built from the run's events and observations: what every HA cluster verify starts from."""
    writes = checker.parse_writes(read_jsonl(run.writes_file))
    if not writes:
        raise DrillFailed(f"run {run.id} has no writes to check")
    surviving = checker.surviving_rows(dc.conninfo(timeout_s=5), run.id)
    f = run.first("injected")
    fault_at = float(f["at"]) if f else None
    names = {str(m.ipv4): m.host for m in dc.ha.members}
    v = checker.judge(writes, surviving, fault_at, names)
    return v, fault_at, timeline.build(run.events(), read_jsonl(run.observations_file), v, fault_at)


def verify(dc: DrillCluster, run: Run, progress: Progress, *, design_after: bool) -> Record:
    v, fault_at, (rows, detection, promotion) = judged(dc, run)
    if fault_at is not None and v.new_primary:
        marks = _patroni_history(dc, v.new_primary, fault_at)
        if marks.get("promoted"):
            rows.append(
                timeline_row(
                    marks["promoted"],
                    fault_at,
                    f"timeline {marks['timeline']} begins on {v.new_primary} (Patroni /history)",
                )
            )
        if marks.get("locked"):
            rows.append(
                timeline_row(marks["locked"], fault_at, f"{v.new_primary} takes the leader lock (its Patroni log)")
            )
            detection = marks["locked"] - fault_at
            if marks.get("promoted"):
                promotion = marks["promoted"] - marks["locked"]
        rows.sort(key=lambda r: r["at"])
    systems = judge.judge_systems(dc.hosted_systems(), v.rto_s, len(v.lost), v.lost_seconds)
    h = health.read(dc, design=design_after)
    # The cluster settles after the new primary's first write: a partitioned old primary demotes itself
    # only when its own lock update fails (up to ttl + retry_timeout after the fault), and after a
    # switchover back the old primary rejoins as the synchronous standby on one of its Patroni loops.
    # Wait for that, bounded, and show in the timeline when it happened.
    wanted = _SETTLED + (_DESIGN if design_after else ())
    deadline = time.monotonic() + REJOIN_WAIT_S
    waited = False
    while not all(h.checks.get(k, False) for k in wanted) and time.monotonic() < deadline:
        waited = True
        time.sleep(1.0)
        h = health.read(dc, design=design_after)
    if waited and all(h.checks.get(k, False) for k in wanted) and fault_at is not None:
        what = "one primary" + (", design roles, synchronous standby streaming" if design_after else "")
        row = timeline_row(time.time(), fault_at, f"{what} (verify waited for it)")
        rows.append({**row, "source": "drill"})
    checks = {
        "no_acknowledged_write_lost": not v.lost,
        "no_duplicates": not v.duplicates,
        "no_split_brain": not v.split_brain,
        "recovered": v.rto_s is not None,
        # the remote DR standby cluster must stay healthy through every drill; the same-city standby
        # only once the roles are back to the design (failback), or after restore (rejoin step)
        "one_primary": h.checks.get("one_primary", False),
        "standby_cluster_streaming": h.checks.get("standby_cluster_streaming", False),
        **(
            {k: h.checks.get(k, False) for k in ("design_primary_leads", "sync_standby_streaming")}
            if design_after
            else {}
        ),
    }
    rec = record_of(
        run,
        v,
        cluster=dc.ha.scope,
        centre=dc.production_centre(),
        fault_at=fault_at,
        detection=detection,
        promotion=promotion,
        timeline=rows,
        systems=systems,
        checks=checks,
        notes=h.details,
    )
    write_atomic(run.record_file, rec.model_dump(mode="json"))
    run.event("verify", "judged", passed=rec.passed)
    return rec
