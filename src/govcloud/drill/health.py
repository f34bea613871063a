"""Is the HA cluster as the design wants it? Read from Patroni's REST API on every member.

Used by the precheck (before a fault) and after restoration and failback. The questions: who leads,
is the same-city standby synchronous and streaming, is the remote standby cluster's leader running
and streaming, is every standby within the lag bound, and does every inter-centre replication
connection arrive from the fault proxy (so latency and cuts apply to it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Network
from typing import Any

from govcloud.drill import patroni
from govcloud.drill.cluster import DrillCluster


@dataclass(slots=True)
class Health:
    leader: str | None
    members: dict[str, dict[str, Any]]
    checks: dict[str, bool] = field(default_factory=dict)
    details: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(self.checks.values())

    def as_dict(self) -> dict[str, Any]:
        return {"leader": self.leader, "checks": self.checks, "details": self.details}


def _gateway(dc: DrillCluster, centre: str) -> str:
    net = next(n for n in dc.plan.lab.networks if n.centre == centre)
    return str(IPv4Network(net.ipv4).network_address + 1)


def read(dc: DrillCluster, *, design: bool) -> Health:
    members = {m.host: patroni.get(dc.api(m), "/patroni")[1] or {} for m in dc.ha.members}
    leader = next(
        (h for h, s in members.items() if s.get("role") in ("master", "primary") and s.get("state") == "running"), None
    )
    h = Health(leader, members)
    max_lag = dc.policy.drills.max_lag_kib * 1024
    h.checks["one_primary"] = sum(s.get("role") in ("master", "primary") for s in members.values()) == 1
    if design:
        h.checks["design_primary_leads"] = leader == dc.production.host
    if leader is None:
        h.details.append("no member reports itself primary")
        return h
    lead = members[leader]
    repl = {r.get("application_name"): r for r in lead.get("replication") or []}
    location = int((lead.get("xlog") or {}).get("location") or 0)
    leader_centre = dc.ha.member(leader).centre
    for m in dc.ha.members:
        if m.host == leader:
            continue
        state = members[m.host]
        r: dict[str, Any] = repl.get(m.host) or {}
        streaming = bool(r) and r.get("state") == "streaming"
        if m.role == "standby-cluster":
            h.checks["standby_cluster_streaming"] = streaming and state.get("role") == "standby_leader"
        else:
            h.checks["sync_standby_streaming"] = streaming and r.get("sync_state") == "sync"
        received = int((state.get("xlog") or {}).get("received_location") or 0)
        lag = max(0, location - received) if received else None
        h.checks[f"{m.host}_lag_within_bound"] = lag is not None and lag <= max_lag
        if r and m.centre != leader_centre:
            via = r.get("client_addr")
            h.checks[f"{m.host}_replicates_through_proxy"] = via == _gateway(dc, leader_centre)
            h.details.append(f"{m.host}: {r.get('sync_state')} {r.get('state')} from {via}, lag {lag} bytes")
        else:
            h.details.append(f"{m.host}: role {state.get('role')!r} state {state.get('state')!r}, not replicating")
    return h
