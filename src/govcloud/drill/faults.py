"""Faults a drill injects, and their undoing. Only ever the lab's own hosts and links.

- kill(centre): every container of the centre killed at once (`docker kill`, SIGKILL: no clean
  shutdown), as a centre lost to fire or power would be;
- partition(centre): the centre cut off from every other centre while its processes keep running:
  every fault-proxy route into or out of it disabled, and its hosts' backbone addresses dropped on
  the backbone bridge (iptables DOCKER-USER rules, tagged `govcloud-partition:<centre>`), so no path
  is left between it and the other centres; the controller still sees it, to observe. (Not `docker
  network disconnect`: Docker rewrites a container's /etc/hosts then, losing the proxy names.)
- heal(): everything above undone, idempotently (start stopped lab containers, reconnect a
  container missing from the backbone, delete the partition rules, re-enable every proxy), so a
  drill that failed midway can be rerun.

Guards: a container is touched only if Docker labels it as a lab's (`govcloud.dev/lab=<lab id>`) and
names it as the plan's host (`govcloud.dev/host=<name>`); the proxy API is the lab's loopback one.
"""

from __future__ import annotations

import shlex
import subprocess
import time
from typing import Any

from govcloud.diagnostics import RuntimeFailure, UsageError
from govcloud.drill.cluster import DrillCluster
from govcloud.lab.hosts import CONTAINER_PREFIX as CONTAINER_PREFIX
from govcloud.lab.hosts import HOST_LABEL, LABEL
from govcloud.lab.hosts import Docker as Docker
from govcloud.lab.links import bridge_of, proxies_of
from govcloud.lab.toxiproxy import Toxiproxy as Toxiproxy
from govcloud.plan.hosts import LabHost

BACKBONE = "gc-backbone"


class RefusedError(UsageError):
    """The drill would touch something that is not the lab's own."""


def lab_containers(docker: Docker, hosts: list[LabHost]) -> dict[str, dict[str, Any]]:
    """Container name → inspect data, for those of `hosts` that exist; refuses foreign containers."""
    out: dict[str, dict[str, Any]] = {}
    for h in hosts:
        name = CONTAINER_PREFIX + h.name
        data = docker.inspect("container", name)
        if data is None:
            continue
        labels = data.get("Config", {}).get("Labels") or {}
        if not labels.get(LABEL) or labels.get(HOST_LABEL) != h.name:
            raise RefusedError(
                f"container {name} is not this lab's host {h.name} (labels {labels}); refusing to touch it"
            )
        out[name] = data
    return out


def _centre(dc: DrillCluster, centre: str) -> list[LabHost]:
    if centre not in {m.centre for m in dc.ha.members}:
        raise RefusedError(f"centre {centre!r} is not a centre of the {dc.ha.cloud} HA cluster")
    return dc.centre_hosts(centre)


def kill(dc: DrillCluster, centre: str, docker: Docker | None = None) -> tuple[float, list[str]]:
    """(time of the kill, containers killed)."""
    docker = docker or Docker()
    running = [n for n, d in lab_containers(docker, _centre(dc, centre)).items() if d.get("State", {}).get("Running")]
    if not running:
        raise RuntimeFailure(f"no running lab container in centre {centre}: nothing to kill (run the restore step)")
    at = time.time()
    docker.run("kill", *running)
    return at, running


def _routes_touching(dc: DrillCluster, centre: str) -> list[str]:
    names = []
    for r in dc.ha.routes:
        if centre in (r.source, r.target_centre):
            names += [p.name for p in proxies_of(dc.plan) if p.name.startswith(f"{r.source}__{r.target}__")]
    return names


def partition(
    dc: DrillCluster, centre: str, docker: Docker | None = None, api: Toxiproxy | None = None
) -> tuple[float, list[str]]:
    """(time of the cut, what was cut)."""
    docker = docker or Docker()
    api = api or Toxiproxy()
    containers = lab_containers(docker, _centre(dc, centre))
    proxies = _routes_touching(dc, centre)
    known = api.proxies()
    missing = [p for p in proxies if p not in known]
    if missing:
        raise RuntimeFailure(f"fault proxies missing ({', '.join(missing[:3])}…): run `govcloud lab hosts up`")
    bridge = _backbone_bridge(docker)
    addresses = [str(h.backbone_ipv4) for h in _centre(dc, centre) if CONTAINER_PREFIX + h.name in containers]
    at = time.time()
    for p in proxies:
        api.set_enabled(p, False)
    cut = [f"proxy {p}" for p in proxies]
    for addr in addresses:
        for direction in ("-s", "-d"):
            _iptables("-I", "DOCKER-USER", "-i", bridge, direction, addr, *_tag(centre), "-j", "DROP")
        cut.append(f"{addr} dropped on {BACKBONE}")
    return at, cut


TAG = "govcloud-partition"


def _tag(centre: str) -> list[str]:
    return ["-m", "comment", "--comment", f"{TAG}:{centre}"]


def _iptables(*args: str) -> str:
    proc = subprocess.run(["iptables", *args], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeFailure(f"iptables {' '.join(args[:2])} failed: {proc.stderr.strip()}")
    return proc.stdout


def _backbone_bridge(docker: Docker) -> str:
    net = docker.inspect("network", BACKBONE)
    if net is None or not (net.get("Labels") or {}).get(LABEL):
        raise RefusedError(f"network {BACKBONE} is not this lab's; refusing to cut it")
    return bridge_of(str(net["Id"]))


def partition_rules() -> list[str]:
    """The DOCKER-USER rules a partition added (as `iptables -S` prints them)."""
    return [line for line in _iptables("-S", "DOCKER-USER").splitlines() if TAG in line and line.startswith("-A ")]


def heal(dc: DrillCluster, docker: Docker | None = None, api: Toxiproxy | None = None) -> list[str]:
    """Undo every fault on the cluster's centres; what had to be undone (empty: nothing was broken)."""
    docker = docker or Docker()
    api = api or Toxiproxy()
    done: list[str] = []
    hosts = [h for m in dc.ha.members for h in dc.centre_hosts(m.centre)]
    hosts = list({h.name: h for h in hosts}.values())
    by_name = {CONTAINER_PREFIX + h.name: h for h in hosts}
    for name, data in lab_containers(docker, hosts).items():
        nets = data.get("NetworkSettings", {}).get("Networks") or {}
        if BACKBONE not in nets:
            docker.run("network", "connect", "--ip", str(by_name[name].backbone_ipv4), BACKBONE, name)
            done.append(f"{name} back on {BACKBONE}")
        if not data.get("State", {}).get("Running"):
            docker.run("start", name)
            done.append(f"started {name}")
    for rule in partition_rules():
        _iptables("-D", *shlex.split(rule)[1:])
        done.append(f"removed rule {rule}")
    known = api.proxies()
    for p in proxies_of(dc.plan):
        if p.name in known and not known[p.name].get("enabled", True):
            api.set_enabled(p.name, True)
            done.append(f"proxy {p.name} enabled")
    return done
