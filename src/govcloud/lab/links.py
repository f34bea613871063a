"""Inter-centre links of the lab: every path between two centres of an HA cluster goes through Toxiproxy.

Named idempotent steps, run by `govcloud lab hosts up` after the networks exist:

1. proxy addresses: each route's listen address (plan.ha) is added to the source centre network's
   bridge on the controller (`ip addr add <addr>/32 dev br-…`), so containers of that centre reach it
   on their own network (lab networks are `--internal`: no other way out);
2. the server: `toxiproxy-server` on the loopback API port, a process of the lab (its identity — pid,
   start time, executable — and log in the lab's state folder: `govcloud.lab.state`);
3. proxies: one per route and member port, upstream the member's own address, with a latency toxic
   each way that adds up to the link's round trip (whole milliseconds: Toxiproxy's unit).

The drills cut a link by disabling its proxies (`govcloud.drill.faults`).
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from govcloud.diagnostics import RuntimeFailure
from govcloud.lab import state as lab_state
from govcloud.lab.tools import find
from govcloud.lab.toxiproxy import API_HOST, API_PORT, Toxiproxy
from govcloud.plan import Plan
from govcloud.plan.ha import MEMBER_PORTS, Route

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Proxy:
    name: str
    listen: str
    upstream: str
    latency_ms: tuple[int, int]


def proxies_of(plan: Plan, networks: set[str] | None = None) -> list[Proxy]:
    """Every proxy the plan's HA routes need (pure; unit-tested). `networks`: only routes whose
    source centre network runs."""
    out: list[Proxy] = []
    for cluster in plan.ha:
        for r in cluster.routes:
            if networks is not None and f"gc-{r.source}" not in networks:
                continue
            for port in MEMBER_PORTS:
                out.append(Proxy(r.name(port), f"{r.listen}:{port}", f"{r.upstream}:{port}", r.latency_ms))
    return out


def routes_of(plan: Plan) -> list[Route]:
    return [r for c in plan.ha for r in c.routes]


def bridge_of(network_id: str) -> str:
    """Docker's bridge device for a network it created without a name option."""
    return f"br-{network_id[:12]}"


def _ip(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["ip", *args], capture_output=True, text=True, check=False)


def ensure_addresses(plan: Plan, network_ids: dict[str, str]) -> list[str]:
    """Add each route's proxy address to its source centre's bridge; the addresses added."""
    added: list[str] = []
    for r in routes_of(plan):
        net = f"gc-{r.source}"
        if net not in network_ids:
            continue
        dev = bridge_of(network_ids[net])
        have = _ip("-4", "-o", "addr", "show", "dev", dev)
        if have.returncode != 0:
            raise RuntimeFailure(f"no bridge {dev} for network {net}: {have.stderr.strip()}")
        if f" {r.listen}/32 " in have.stdout:
            continue
        done = _ip("addr", "add", f"{r.listen}/32", "dev", dev)
        if done.returncode != 0:
            raise RuntimeFailure(f"cannot add proxy address {r.listen} to {dev} ({net}): {done.stderr.strip()}")
        added.append(f"{r.listen} on {dev}")
    return added


class Server:
    """The lab's toxiproxy-server process."""

    def __init__(self, state: Path, api: Toxiproxy | None = None) -> None:
        self.dir = state / "toxiproxy"
        self.api = api or Toxiproxy()

    @property
    def pidfile(self) -> Path:
        return self.dir / "server.pid"

    def pid(self) -> int | None:
        """The recorded server's pid, only while that very process runs (pids get reused)."""
        identity = lab_state.running(self.pidfile)
        return identity.pid if identity is not None else None

    def ensure(self) -> str:
        if self.api.alive():
            return "exists"
        binary = find("toxiproxy-server")
        self.dir.mkdir(parents=True, exist_ok=True)
        with (self.dir / "server.log").open("ab") as log:
            proc = subprocess.Popen(
                [str(binary), "-host", self.api.host, "-port", str(self.api.port)],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # the lab's process, not the caller's: it outlives the command
            )
        identity = lab_state.identity_of(proc.pid)
        if identity is not None:
            lab_state.write_record(self.pidfile, identity)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.api.alive():
                return "started"
            if proc.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeFailure(f"toxiproxy-server did not start; see {self.dir / 'server.log'}")

    def stop(self) -> str:
        """Stop the recorded server if it still is that process; "absent" if nothing was stopped."""
        identity = lab_state.running(self.pidfile)
        stopped = lab_state.stop([identity], grace_s=5) if identity is not None else []
        self.pidfile.unlink(missing_ok=True)
        return "removed" if stopped else "absent"


def ensure_proxies(plan: Plan, api: Toxiproxy, networks: set[str]) -> int:
    """Create the proxies (enabled) and their latency toxics; how many proxies there are."""
    wanted = proxies_of(plan, networks)
    api.populate([{"name": p.name, "listen": p.listen, "upstream": p.upstream, "enabled": True} for p in wanted])
    for p in wanted:
        up, down = p.latency_ms
        api.set_latency(p.name, "upstream", up)
        api.set_latency(p.name, "downstream", down)
    return len(wanted)


def up(plan: Plan, state: Path, network_ids: dict[str, str], progress: Progress) -> list[tuple[str, str, str]]:
    """All three steps; (step, name, action) for the caller's result."""
    if not plan.ha:
        return []
    steps: list[tuple[str, str, str]] = []
    for added in ensure_addresses(plan, network_ids):
        progress(f"proxy address {added}")
        steps.append(("proxy-address", added, "created"))
    server = Server(state)
    action = server.ensure()
    if action != "exists":
        progress(f"toxiproxy-server on {API_HOST}:{API_PORT}: {action}")
    steps.append(("toxiproxy", f"{API_HOST}:{API_PORT}", action))
    n = ensure_proxies(plan, server.api, set(network_ids))
    steps.append(("proxies", f"{n} proxies", "ready"))
    return steps


def down(state: Path) -> str:
    """Stop the lab's proxy (its addresses go with the networks)."""
    return Server(state).stop()
