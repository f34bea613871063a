"""The steps of a city drill (`dr-drill.yml -e scenario=city -e city=NAME`): the city's database lost,
restored at its backup partner from what it shipped there, served from there.

| step      | what it does |
|-----------|--------------|
| restore   | the partner's copy stopped and deleted, every lab host of the city started, the city's own |
|           | database answering again: safe before a drill (a rerun after a failure) and after it |
| precheck  | the city's database answers read-write, its archiver ships without failures, the partner |
|           | holds a base backup and serves no copy yet |
| load      | (shared with the HA drills) writes through the city's service address |
| shipped   | wait until a WAL segment holding some of this run's writes has reached the partner, then |
|           | a random part of an archive cycle, so the loss falls anywhere in it, as a real one would |
| fault     | every container of the city killed at once (SIGKILL) |
| takeover  | the partner restores the latest base backup, replays every shipped WAL segment, promotes |
|           | and serves the copy (`gc-takeover start`, from the backup role) |
| observe   | (shared) until a write is acknowledged at the partner |
| stop-load | (shared) |
| verify    | the checker's verdict against the copy: what survived is a prefix of what was |
|           | acknowledged, the history lost is within the archive timeout, each hosted system judged |

After the drill the city's own database is primary again with the data it held at the loss; the
writes the partner took meanwhile are deleted with the copy (a rehearsal: a real return would
re-seed the city from the partner's copy).
"""

from __future__ import annotations

import random
import time
from collections import Counter
from typing import Any

from govcloud.diagnostics import RuntimeFailure
from govcloud.drill import checker, faults, judge
from govcloud.drill.city import TAKEOVER, CityDrill
from govcloud.drill.cluster import DATABASE, DRILL_USER
from govcloud.drill.records import Record, Run, read_jsonl, write_atomic
from govcloud.drill.steps import DrillFailed, Progress, _wait, record_of
from govcloud.drill.timeline import build
from govcloud.plan.ha import PG_PORT

ARCHIVE_TIMEOUT_S = 60  # roles/postgresql/defaults/main.yml postgresql_archive_timeout
BACKUP_ROOT = "/srv/backup"  # roles/backup/defaults/main.yml backup_root
SHIP_SLACK_S = 15.0  # the segment switch, then rsync over SSH to the partner


def _direct(cd: CityDrill, host: str, port: int, timeout_s: int = 2) -> str:
    return (
        f"host={host} port={port} dbname={DATABASE} user={DRILL_USER} password={cd.secret('pg-drill')} "
        f"connect_timeout={timeout_s} application_name=govcloud-drill"
    )


def _query(conninfo: str, sql: str, *args: object) -> tuple[Any, ...] | None:
    import psycopg

    try:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            return conn.execute(sql, args).fetchone()
    except psycopg.Error:
        return None


def _partner(cd: CityDrill, *args: str, check: bool = True) -> str:
    docker = faults.Docker()
    if not faults.lab_containers(docker, [cd.partner]):
        raise RuntimeFailure(f"the backup partner {cd.partner.name} has no container: run `govcloud lab hosts up`")
    proc = docker.run("exec", faults.CONTAINER_PREFIX + cd.partner.name, TAKEOVER, *args, cd.source.name, check=False)
    if check and proc.returncode != 0:
        raise DrillFailed(f"{TAKEOVER} {args[0]} on {cd.partner.name}: {(proc.stderr or proc.stdout).strip()[:300]}")
    return proc.stdout.strip()


def restore(cd: CityDrill, run: Run, progress: Progress, timeout: float = 180.0) -> dict[str, Any]:
    done = []
    if _partner(cd, "stop") == "stopped":  # stops a running copy and deletes any copy left behind
        done.append(f"the copy of {cd.source.name} on {cd.partner.name} stopped and deleted")
    docker = faults.Docker()
    for name, data in faults.lab_containers(docker, cd.city_hosts()).items():
        if not data.get("State", {}).get("Running"):
            docker.run("start", name)
            done.append(f"started {name}")
    run.event("restore", "healed", detail="; ".join(done) if done else "nothing was broken")
    for d in done:
        progress(f"restore: {d}")
    conninfo = _direct(cd, str(cd.source.ipv4), PG_PORT)

    def answers() -> tuple[bool, str]:
        row = _query(conninfo, "SELECT pg_is_in_recovery()")
        ok = row is not None and row[0] is False
        return ok, f"{cd.source.name} " + ("answers read-write" if ok else "does not answer read-write yet")

    detail = _wait(f"{cd.source.name} answering read-write", answers, timeout, progress)
    run.event("restore", "members-running", detail=detail)
    return {"undone": done}


def precheck(cd: CityDrill, run: Run, progress: Progress, timeout: float = 60.0) -> dict[str, Any]:
    conninfo = _direct(cd, str(cd.source.ipv4), PG_PORT)
    found: dict[str, Any] = {}

    def ready() -> tuple[bool, str]:
        row = _query(
            conninfo,
            "SELECT pg_is_in_recovery(), archived_count, failed_count,"
            " coalesce(last_failed_time < last_archived_time, failed_count = 0) FROM pg_stat_archiver",
        )
        if row is None:
            return False, f"{cd.source.name} does not answer"
        found.update(primary=row[0] is False, archived=row[1], failed=row[2], shipping=bool(row[3]))
        return bool(found["primary"] and found["shipping"]), f"{cd.source.name}: {found}"

    try:
        detail = _wait("precheck", ready, timeout, progress)
    finally:
        run.event("precheck", "checked", ok=bool(found.get("primary") and found.get("shipping")), checks=found)
    base = faults.Docker().run(
        "exec",
        faults.CONTAINER_PREFIX + cd.partner.name,
        "cat",
        f"{BACKUP_ROOT}/{cd.source.name}/base/LATEST",
        check=False,
    )
    if base.returncode != 0:
        raise DrillFailed(f"precheck: {cd.partner.name} holds no base backup of {cd.source.name} (run site.yml)")
    if _partner(cd, "status") != "none":
        raise DrillFailed(f"precheck: {cd.partner.name} already serves a copy of {cd.source.name} (run restore)")
    progress(f"precheck: {detail}; base backup {base.stdout.strip()} at {cd.partner.name}")
    return {**found, "base_backup": base.stdout.strip()}


def shipped(cd: CityDrill, run: Run, progress: Progress) -> dict[str, Any]:
    acks = [float(w["ack"]) for w in read_jsonl(run.writes_file) if "ack" in w]
    if not acks:
        raise DrillFailed("shipped: no acknowledged write yet: run the load step first")
    conninfo = _direct(cd, str(cd.source.ipv4), PG_PORT)

    def archived() -> tuple[bool, str]:
        row = _query(conninfo, "SELECT extract(epoch FROM last_archived_time), last_archived_wal FROM pg_stat_archiver")
        at = float(row[0]) if row and row[0] is not None else 0.0
        return at > acks[0], f"last archived {row[1] if row else '?'} at {at:.0f}"

    detail = _wait("a segment with this run's writes shipped", archived, ARCHIVE_TIMEOUT_S + 30, progress)
    run.event("shipped", "archived", detail=detail)
    # a real loss falls anywhere in the archive cycle: so does the drill's, or the RPO it measures
    # would always be the few seconds after a segment switch
    hold = random.uniform(0, ARCHIVE_TIMEOUT_S)
    progress(f"shipped: {detail}; the fault follows in {hold:.1f}s")
    time.sleep(hold)
    run.event("shipped", "held", detail=f"{hold:.1f}s into the archive cycle")
    return {"detail": detail, "hold_s": round(hold, 3)}


def fault(cd: CityDrill, run: Run, progress: Progress) -> dict[str, Any]:
    docker = faults.Docker()
    running = [
        n for n, d in faults.lab_containers(docker, cd.city_hosts()).items() if d.get("State", {}).get("Running")
    ]
    if not running:
        raise RuntimeFailure(f"no running lab container of {cd.city}: nothing to kill (run the restore step)")
    at = time.time()
    docker.run("kill", *running)
    run.event("fault", "injected", at=at, scenario=cd.scenario, detail="killed " + ", ".join(running))
    progress(f"fault (city {cd.city}): killed {', '.join(running)}")
    return {"at": at, "actions": running}


def takeover(cd: CityDrill, run: Run, progress: Progress) -> dict[str, Any]:
    start = time.time()
    run.event("takeover", "started", at=start, detail=f"{cd.partner.name} restores {cd.source.name}")
    out = _partner(cd, "start")
    end = time.time()
    run.event("takeover", "serving", at=end, detail=out[:300])
    progress(f"takeover: {out} ({end - start:.1f}s)")
    return {"seconds": round(end - start, 3), "detail": out}


def _prefix_hole(writes: list[checker.Write], surviving: Counter[int]) -> int | None:
    """The first acknowledged write missing while a later acknowledged one survived (None: a prefix)."""
    acked = sorted((w for w in writes if w.ack is not None), key=lambda w: float(w.ack or 0))
    missing = None
    for w in acked:
        if surviving.get(w.seq, 0) == 0:
            missing = missing if missing is not None else w.seq
        elif missing is not None:
            return missing
    return None


def verify(cd: CityDrill, run: Run, progress: Progress) -> Record:
    from govcloud.drill.city import TAKEOVER_PORT

    writes = checker.parse_writes(read_jsonl(run.writes_file))
    if not writes:
        raise DrillFailed(f"run {run.id} has no writes to check")
    f = run.first("injected")
    fault_at = float(f["at"]) if f else None
    # the copy alone: what survived the loss is what the partner holds now
    surviving = checker.surviving_rows(_direct(cd, str(cd.partner.ipv4), TAKEOVER_PORT, timeout_s=5), run.id)
    names = cd.names()
    # the partner's own writes after the takeover are not lost history; only those acknowledged by
    # the city before the loss are judged
    v = checker.judge(writes, surviving, fault_at, names)
    before = [w for w in writes if w.ack is not None and fault_at is not None and float(w.ack) <= fault_at]
    hole = _prefix_hole(before, surviving)
    rows, _, _ = build(run.events(), [], v, fault_at)
    started = run.first("started")
    serving = run.first("serving")
    detection = promotion = None
    if fault_at is not None and started and serving:
        detection = float(started["at"]) - fault_at
        promotion = float(serving["at"]) - float(started["at"])
    systems = judge.judge_systems(cd.hosted_systems(), v.rto_s, len(v.lost), v.lost_seconds)
    checks = {
        "recovered": v.rto_s is not None,
        "restored_data_is_a_prefix": hole is None,
        "loss_within_archive_timeout": v.lost_seconds <= ARCHIVE_TIMEOUT_S + SHIP_SLACK_S,
        "no_duplicates": not v.duplicates,
        "no_split_brain": not v.split_brain,
    }
    notes = [
        f"{len(v.lost)} acknowledged write(s) not yet shipped were lost ({v.lost_seconds:.1f}s of history; "
        f"archive_timeout {ARCHIVE_TIMEOUT_S}s)",
    ]
    if hole is not None:
        notes.append(f"write {hole} is missing from the copy while later ones survived")
    rec = record_of(
        run,
        v,
        cluster=f"city:{cd.city}",
        centre=cd.source.centre,
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
