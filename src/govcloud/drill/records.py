"""A drill run's folder under reports/drills/, its event log and its final record.

Files of a run (`reports/drills/<UTC time>-<scenario>/`):
- `events.jsonl`: one line per step event (`{"at": unix time, "step": …, "event": …, …}`), appended;
- `writes.jsonl`: the load generator's log, one line per write attempt (acknowledged or not);
- `observations.jsonl`: Patroni's view of the members, sampled while the drill observes;
- `record.json`: the verdict and figures, written once by the verify step (atomically).
Runs are keyed by scenario, so a report can show each scenario's history.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from govcloud.diagnostics import UsageError

SCENARIOS = ("same-city", "partition", "switchover", "failback", "whole-city", "whole-city-failback")
"""The database drills (playbooks/dr-drill.yml, failback.yml): their record is `Record`."""
CITY = "city"  # a city drill's scenario is `city-<city cloud>`; its record is `Record` too
CLUSTER_LOSS = "cluster-loss"
"""The Kubernetes side (`govcloud drill cluster-loss`): its record is `ClusterLossRecord`."""


def known_scenario(scenario: str) -> bool:
    return scenario in SCENARIOS or (scenario.startswith(f"{CITY}-") and len(scenario) > len(CITY) + 1)


def reports_dir(root: Path | None = None) -> Path:
    env = os.environ.get("GOVCLOUD_REPORTS_DIR")
    return Path(env).resolve() if env else (Path(root or ".") / "reports" / "drills").resolve()


def new_run_id(scenario: str, now: float | None = None) -> str:
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now or time.time())) + f"-{scenario}"


@dataclass(frozen=True, slots=True)
class Run:
    dir: Path

    @property
    def id(self) -> str:
        return self.dir.name

    @property
    def scenario(self) -> str:
        return self.id.split("-", 1)[1] if "-" in self.id else ""

    @property
    def events_file(self) -> Path:
        return self.dir / "events.jsonl"

    @property
    def writes_file(self) -> Path:
        return self.dir / "writes.jsonl"

    @property
    def observations_file(self) -> Path:
        return self.dir / "observations.jsonl"

    @property
    def record_file(self) -> Path:
        return self.dir / "record.json"

    def event(self, step: str, event: str, at: float | None = None, **data: Any) -> dict[str, Any]:
        row = {"at": at if at is not None else time.time(), "step": step, "event": event, **data}
        with self.events_file.open("a", encoding="utf-8") as f:
            f.write(json.dumps(row, sort_keys=True) + "\n")
        return row

    def events(self) -> list[dict[str, Any]]:
        return read_jsonl(self.events_file)

    def first(self, event: str) -> dict[str, Any] | None:
        return next((e for e in self.events() if e["event"] == event), None)


def open_run(run_id: str, root: Path | None = None, *, create: bool = False) -> Run:
    if not run_id or "/" in run_id or run_id.startswith("."):
        raise UsageError(f"bad run id {run_id!r}: expected <UTC time>-<scenario>, e.g. {new_run_id('same-city')}")
    scenario = run_id.split("-", 1)[1] if "-" in run_id else ""
    if not known_scenario(scenario) and scenario != CLUSTER_LOSS:
        raise UsageError(
            f"run id {run_id!r} names no scenario; choose one of {', '.join((*SCENARIOS, CLUSTER_LOSS))}"
            f" or {CITY}-<city cloud>"
        )
    d = reports_dir(root) / run_id
    if create:
        d.mkdir(parents=True, exist_ok=True)
    elif not d.is_dir():
        raise UsageError(f"no drill run {run_id} under {reports_dir(root)}")
    return Run(d)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                continue  # a line cut short by a killed writer: every complete line still counts
    return rows


def write_text_atomic(path: Path, text: str) -> None:
    """Nothing half-written: a reader sees the old file or the whole new one."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_atomic(path: Path, data: object) -> None:
    write_text_atomic(path, json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


class SystemVerdict(BaseModel):
    model_config = ConfigDict(extra="forbid")
    system: str
    title: str
    dr_level: int
    rto_target_s: int
    rpo_target_s: int
    rto_pass: bool
    rpo_pass: bool

    @property
    def passed(self) -> bool:
        return self.rto_pass and self.rpo_pass


class Record(BaseModel):
    """What a drill established: the checker's verdict, the timeline, and each hosted system's pass/fail."""

    model_config = ConfigDict(extra="forbid")
    run: str
    scenario: str
    cluster: str
    centre: str
    started_at: float
    fault_at: float | None
    old_primary: str | None
    new_primary: str | None
    # the checker's figures (acknowledged writes vs what the surviving primary holds)
    acknowledged: int
    attempts: int
    lost: int
    lost_seconds: float
    duplicates: int
    split_brain: bool
    split_brain_detail: str = ""
    rto_s: float | None
    longest_gap_s: float
    # where the time went (Patroni's REST API, sampled during observation; only explains)
    detection_s: float | None = None
    promotion_s: float | None = None
    timeline: list[dict[str, Any]]
    systems: list[SystemVerdict]
    checks: dict[str, bool]
    passed: bool
    notes: list[str] = []


def load_records(root: Path | None = None, scenario: str | None = None) -> list[Record]:
    """Every run's record, oldest first (run ids sort by time)."""
    base = reports_dir(root)
    out: list[Record] = []
    if not base.is_dir():
        return out
    for d in sorted(p for p in base.iterdir() if p.is_dir()):
        f = d / "record.json"
        if not f.exists() or Run(d).scenario == CLUSTER_LOSS:  # its own record type: load_cluster_loss
            continue
        try:
            rec = Record.model_validate_json(f.read_text(encoding="utf-8"))
        except ValueError as e:
            raise UsageError(f"{f}: not a drill record ({str(e).splitlines()[0]})") from e
        if scenario is None or rec.scenario == scenario:
            out.append(rec)
    return out


class StandbyFigure(BaseModel):
    """One standby Deployment the cluster-loss drill scaled: design -> takeover replicas, and when it was Ready."""

    model_config = ConfigDict(extra="forbid")
    cluster: str
    namespace: str
    deployment: str
    standby: str
    design: int
    takeover: int
    ready_s: float | None
    """Seconds from the fault until its available replicas equalled the takeover replicas; None: never."""
    restored: bool
    """Back at the design replicas, all available, after restore."""


class ClusterLossRecord(BaseModel):
    """What the Kubernetes side of losing a production centre established (`govcloud drill cluster-loss`)."""

    model_config = ConfigDict(extra="forbid")
    run: str
    scenario: str = CLUSTER_LOSS
    cloud: str
    lost_cluster: str
    lost_centre: str
    survivors: list[str]
    serving: list[str]
    """The same-city clusters whose active Deployments were sampled throughout."""
    started_at: float
    fault_at: float
    stopped: list[str]
    """The lost cluster's processes the fault stopped (`process pid`)."""
    ready_s: float | None
    """Fault -> every scaled standby Ready (available replicas = takeover replicas): the takeover time."""
    scale_ready_s: float | None
    """Scale request -> every scaled standby Ready."""
    restore_s: float | None
    """Restore began -> control plane answering again and every standby back at its design."""
    standbys: list[StandbyFigure]
    watched: int
    """Active Deployments sampled in the serving clusters."""
    samples: int
    serving_failures: int
    """Samples in which some watched Deployment was not available or had no ready endpoint."""
    longest_outage_s: float
    """Longest run of failing samples (0: served throughout)."""
    rto_target_s: int | None
    """The strictest hosted system's RTO: the takeover must be Ready within it."""
    strictest: str | None
    timeline: list[dict[str, Any]]
    checks: dict[str, bool]
    passed: bool
    notes: list[str] = []


def load_cluster_loss(root: Path | None = None) -> list[ClusterLossRecord]:
    """Every cluster-loss run's record, oldest first."""
    out: list[ClusterLossRecord] = []
    for run in iter_runs(root):
        if run.scenario != CLUSTER_LOSS or not run.record_file.exists():
            continue
        try:
            out.append(ClusterLossRecord.model_validate_json(run.record_file.read_text(encoding="utf-8")))
        except ValueError as e:
            raise UsageError(f"{run.record_file}: not a cluster-loss record ({str(e).splitlines()[0]})") from e
    return out


def iter_runs(root: Path | None = None) -> Iterator[Run]:
    base = reports_dir(root)
    if base.is_dir():
        for d in sorted(p for p in base.iterdir() if p.is_dir()):
            yield Run(d)
