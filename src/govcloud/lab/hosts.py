"""Lab hosts: the servers of each data centre as Docker containers reached over SSH.

Layout (networks, names, addresses) comes from the plan (`plan.lab`); this module only makes Docker
match it, in named idempotent steps: image, key pair, networks, containers, SSH. Each step checks
before it acts, so a second `up` changes nothing and a half-failed `up` can be run again or torn
down (`down` finds everything by the `govcloud.dev/lab=<lab id>` label: the lab folder that made it,
so one lab's `down` never removes another lab's hosts).

Docker is driven through its CLI (`docker`, explicit argument lists, no shell): the engine is
Debian's docker.io, whose client always matches it, and no extra Python dependency is needed.

Every lab network is `--internal`: containers reach each other and the controller (through the
bridge's gateway address), nothing else.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict

from govcloud.diagnostics import RuntimeFailure, UsageError
from govcloud.lab import links
from govcloud.lab.profiles import select
from govcloud.plan import Plan, names
from govcloud.plan.hosts import LabHost, LabNetwork

LABEL = "govcloud.dev/lab"
"""Its value is the lab's id (`lab_id`): which lab folder made the container or network."""
LAB_DIR_LABEL = "govcloud.dev/lab-dir"
"""The lab folder itself, for a reader (and the message when another lab holds a host's name)."""
HOST_LABEL = "govcloud.dev/host"
IMAGE_REPO = "govcloud/labhost"
CONTAINER_PREFIX = "gc-"
SSH_TIMEOUT_S = 60.0


def lab_id(state: Path) -> str:
    """The id this lab's containers and networks carry (LABEL): its lab folder's resolved path,
    hashed. Two checkouts on one machine, or a test's kwok-only lab beside running lab hosts, each
    remove only what their own folder made."""
    return hashlib.sha256(str(state.resolve()).encode()).hexdigest()[:12]


def lab_labels(state: Path) -> list[str]:
    """`--label` arguments marking a container or network as this lab's."""
    return ["--label", f"{LABEL}={lab_id(state)}", "--label", f"{LAB_DIR_LABEL}={state.resolve()}"]


def _mine(state: Path) -> str:
    """The `docker ps` / `docker network ls` filter for this lab's containers and networks."""
    return f"label={LABEL}={lab_id(state)}"


def _refuse_if_foreign(kind: str, name: str, labels: dict[str, str], state: Path) -> None:
    """An existing container or network by a name this lab wants, made by another lab folder: refused."""
    if labels.get(LABEL) != lab_id(state):
        owner = labels.get(LAB_DIR_LABEL) or "an older govcloud, or not govcloud"
        raise UsageError(
            f"{kind} {name} belongs to another lab (made by {owner}); run `govcloud lab hosts down` there first"
        )


# Network hardening sysctls are per network namespace, and /proc/sys is read-only inside an
# unprivileged container: the runtime must set them when it creates the container. The values are
# the base role's `base_sysctl` (roles/base/defaults/main.yml); a unit test keeps the two equal,
# and the base role checks the running values on every host.
LAB_SYSCTLS: dict[str, str] = {
    "net.ipv4.conf.all.accept_redirects": "0",
    "net.ipv4.conf.all.accept_source_route": "0",
    "net.ipv4.conf.all.log_martians": "1",
    "net.ipv4.conf.all.rp_filter": "1",
    "net.ipv4.conf.all.secure_redirects": "0",
    "net.ipv4.conf.all.send_redirects": "0",
    "net.ipv4.conf.default.accept_redirects": "0",
    "net.ipv4.conf.default.accept_source_route": "0",
    "net.ipv4.conf.default.rp_filter": "1",
    "net.ipv4.conf.default.send_redirects": "0",
    "net.ipv4.icmp_echo_ignore_broadcasts": "1",
    "net.ipv4.tcp_syncookies": "1",
    "net.ipv6.conf.all.accept_ra": "0",
    "net.ipv6.conf.all.accept_redirects": "0",
    "net.ipv6.conf.default.accept_ra": "0",
    "net.ipv6.conf.default.accept_redirects": "0",
}

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


class DockerError(RuntimeFailure):
    """Docker is missing, not running, or refused a step (exit code 4)."""


@dataclass(slots=True)
class Docker:
    """The docker CLI, with explicit argument lists."""

    binary: str = ""

    def __post_init__(self) -> None:
        if not self.binary:
            self.binary = os.environ.get("GOVCLOUD_DOCKER") or (
                "/usr/bin/docker" if os.path.exists("/usr/bin/docker") else (shutil.which("docker") or "docker")
            )

    def run(self, *args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        try:
            proc = subprocess.run([self.binary, *args], capture_output=True, text=True, timeout=timeout, check=False)
        except FileNotFoundError as e:
            raise DockerError(f"no docker client ({self.binary}); run scripts/setup-docker.sh") from e
        if check and proc.returncode != 0:
            raise DockerError(f"docker {' '.join(args[:2])} failed: {proc.stderr.strip() or proc.stdout.strip()}")
        return proc

    def ok(self, *args: str) -> bool:
        return self.run(*args, check=False).returncode == 0

    def inspect(self, kind: str, name: str) -> dict[str, Any] | None:
        proc = self.run(kind, "inspect", name, check=False)
        if proc.returncode != 0:
            return None
        data: list[dict[str, Any]] = json.loads(proc.stdout or "[]")
        return data[0] if data else None

    def ping(self) -> None:
        proc = self.run("info", "--format", "{{.ServerVersion}}", check=False, timeout=15)
        if proc.returncode != 0:
            raise DockerError(
                f"the docker engine is not answering; run scripts/setup-docker.sh ({proc.stderr.strip()[:200]})"
            )


@dataclass(slots=True)
class StepResult:
    step: str
    name: str
    action: str  # "created" | "repaired" | "exists" | "removed" | "recreated" | "absent" | "ready"


@dataclass(slots=True)
class UpResult:
    profile: str
    image: str
    hosts: list[LabHost]
    steps: list[StepResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def changed(self) -> int:
        return sum(s.action not in ("exists", "ready") for s in self.steps)

    def as_dict(self) -> dict[str, object]:
        return {
            "profile": self.profile,
            "image": self.image,
            "hosts": [h.name for h in self.hosts],
            "changed": self.changed,
            "seconds": round(self.seconds, 1),
            "steps": [{"step": s.step, "name": s.name, "action": s.action} for s in self.steps],
        }


# --- steps --------------------------------------------------------------------------------------


def ensure_image(docker: Docker, project: Path, image: str | None, progress: Progress) -> str:
    """The image to run: `image` if given, else the one `images/labhost/build.sh` builds (cached by its
    recipe hash, so this is quick once built), else govcloud/labhost:latest."""
    if image:
        if docker.inspect("image", image) is None:
            raise DockerError(f"image {image} not found")
        return image
    build = project / "images" / "labhost" / "build.sh"
    if build.exists():
        progress(f"image: {build} (cached unless its recipe changed)")
        proc = subprocess.run([str(build), "--output", "json"], capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            tail = "\n".join(proc.stderr.strip().splitlines()[-10:])
            raise DockerError(f"building the lab host image failed:\n{tail}")
        return str(json.loads(proc.stdout.strip().splitlines()[-1])["image"])
    latest = f"{IMAGE_REPO}:latest"
    if docker.inspect("image", latest) is None:
        raise DockerError(f"no {latest} image and no images/labhost/build.sh to build it")
    return latest


def ensure_keypair(state: Path) -> tuple[Path, bool]:
    """The lab's SSH key pair, `<lab>/ssh/id_ed25519` (0600), generated once."""
    ssh = state / "ssh"
    ssh.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = ssh / "id_ed25519"
    if key.exists() and key.with_suffix(".pub").exists():
        key.chmod(0o600)
        return key, False
    for p in (key, key.with_suffix(".pub")):
        p.unlink(missing_ok=True)
    # generated in-process (no ssh-keygen): OpenSSH's own private key format, 0600 from the first byte
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()
    )
    public = private.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    fd = os.open(key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    key.with_suffix(".pub").write_bytes(public + b" govcloud-lab\n")
    return key, True


def ensure_network(docker: Docker, net: LabNetwork, state: Path) -> str:
    current = docker.inspect("network", net.name)
    if current is not None:
        _refuse_if_foreign("network", net.name, current.get("Labels") or {}, state)
        subnets = {c.get("Subnet") for c in (current.get("IPAM") or {}).get("Config") or []}
        if str(net.ipv4) not in subnets:
            raise DockerError(
                f"network {net.name} exists with subnets {sorted(s for s in subnets if s)}, "
                f"the plan wants {net.ipv4}; run `govcloud lab hosts down` first"
            )
        return "exists"
    args = [
        "network",
        "create",
        "--driver",
        "bridge",
        "--internal",
        *lab_labels(state),
        "--subnet",
        str(net.ipv4),
        "--gateway",
        str(net.ipv4.network_address + 1),
    ]
    if net.ipv6 is not None:
        args += ["--ipv6", "--subnet", str(net.ipv6), "--gateway", str(net.ipv6.network_address + 1)]
    docker.run(*args, net.name)
    return "created"


def container_args(host: LabHost, image: str, state: Path, extra_hosts: dict[str, str] | None = None) -> list[str]:
    """`docker create` arguments for one lab host of the lab in `state` (pure; unit-tested).
    `extra_hosts`: names the host resolves to a fixed address (HA cluster members, at their proxy
    address: govcloud.plan.ha)."""
    args = [
        "create",
        "--name",
        CONTAINER_PREFIX + host.name,
        "--hostname",
        host.name,
        *lab_labels(state),
        "--label",
        f"{HOST_LABEL}={host.name}",
        "--network",
        host.network,
        "--ip",
        str(host.ipv4),
        "--restart",
        "unless-stopped",
        "--stop-timeout",
        "5",
        "--memory",
        "512m",
        "--pids-limit",
        "512",
    ]
    if host.ipv6 is not None:
        args += ["--ip6", str(host.ipv6)]
    for key, value in sorted(LAB_SYSCTLS.items()):
        args += ["--sysctl", f"{key}={value}"]
    for name, addr in sorted((extra_hosts or {}).items()):
        args += ["--add-host", f"{name}:{addr}"]
    return [*args, image]


def extra_hosts_of(plan: Plan, host: LabHost) -> dict[str, str]:
    """How `host` resolves the HA members of its cloud: local ones directly, others at the proxy."""
    for cluster in plan.ha:
        if cluster.cloud == host.cloud and any(m.centre == host.centre for m in cluster.members):
            return {name: str(addr) for name, addr in cluster.hosts_entries(host.centre).items()}
    return {}


def _attached(current: dict[str, Any], network: str) -> str | None:
    """The IPv4 address the container has on `network`, or None when it is not attached."""
    nets = (current.get("NetworkSettings") or {}).get("Networks") or {}
    cfg = nets.get(network)
    if cfg is None:
        return None
    return str((cfg.get("IPAMConfig") or {}).get("IPv4Address") or cfg.get("IPAddress") or "")


def ensure_container(
    docker: Docker,
    host: LabHost,
    image: str,
    pubkey: Path,
    state: Path,
    *,
    recreate: bool,
    extra_hosts: dict[str, str] | None = None,
) -> str:
    """The host's container, created or repaired until each of its steps holds: it exists, sits on its
    centre network and on the backbone at the plan's addresses, runs, and has the lab's key. A step that
    failed half-way in an earlier `up` (a refused Docker call, a kill) is found by its missing state."""
    name = CONTAINER_PREFIX + host.name
    current = docker.inspect("container", name)
    if current is not None:
        _refuse_if_foreign("container", name, (current.get("Config") or {}).get("Labels") or {}, state)
    action = "exists"
    if current is not None and (
        (recreate and current.get("Config", {}).get("Image") != image) or _attached(current, host.network) is None
    ):
        docker.run("rm", "-f", name)  # wrong image, or created outside its centre network: start over
        current, action = None, "recreated"
    if current is None:
        docker.run(*container_args(host, image, state, extra_hosts))
        action = "created" if action == "exists" else action
        current = docker.inspect("container", name) or {}
    repaired = False
    backbone = _attached(current, names.BACKBONE_NETWORK)
    if backbone != str(host.backbone_ipv4):
        if backbone is not None:
            docker.run("network", "disconnect", "--force", names.BACKBONE_NETWORK, name)
        docker.run("network", "connect", "--ip", str(host.backbone_ipv4), names.BACKBONE_NETWORK, name)
        repaired = True
    if not current.get("State", {}).get("Running"):
        docker.run("start", name)
        repaired = True
    want = pubkey.read_text(encoding="utf-8").strip()
    have = docker.run("exec", name, "cat", "/root/.ssh/authorized_keys", check=False).stdout.strip()
    if have != want:
        docker.run("cp", str(pubkey), f"{name}:/root/.ssh/authorized_keys")
        docker.run("exec", name, "chown", "root:root", "/root/.ssh/authorized_keys")
        docker.run("exec", name, "chmod", "600", "/root/.ssh/authorized_keys")
        repaired = True
    if action == "exists" and repaired:
        return "repaired"
    return action


def ssh_login(host: LabHost, key: Path, timeout: float = 5) -> bool:
    """A real login with the lab's key (what Ansible will do), not just an open port 22."""
    try:
        with socket.create_connection((str(host.ipv4), 22), timeout=1):
            pass
    except OSError:
        return False
    args = ["-o", "BatchMode=yes", "-o", "ConnectTimeout=3", "-o", "StrictHostKeyChecking=no"]
    args += ["-o", "UserKnownHostsFile=/dev/null", "-o", "IdentitiesOnly=yes", "-o", "LogLevel=ERROR"]
    cmd = ["ssh", *args, "-i", str(key), f"root@{host.ipv4}", "true"]
    try:
        return subprocess.run(cmd, capture_output=True, timeout=timeout, check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def wait_ssh(hosts: Sequence[LabHost], key: Path, timeout: float = SSH_TIMEOUT_S) -> list[str]:
    """Wait until every host takes an SSH login with the lab's key; the names that never did."""
    deadline = time.monotonic() + timeout
    pending = list(hosts)
    while pending and time.monotonic() < deadline:
        pending = [h for h in pending if not ssh_login(h, key)]
        if pending:
            time.sleep(0.5)
    return [h.name for h in pending]


# --- commands -----------------------------------------------------------------------------------


def up(
    plan: Plan,
    *,
    profile: str,
    project: Path,
    state: Path,
    image: str | None = None,
    recreate: bool = False,
    docker: Docker | None = None,
    progress: Progress = _quiet,
) -> UpResult:
    """Start the profile's lab hosts. Idempotent: what exists and runs is left alone."""
    t0 = time.monotonic()
    docker = docker or Docker()
    try:
        hosts = select(plan.lab, plan.topology, profile)
    except ValueError as e:
        raise UsageError(str(e)) from e
    if not hosts:
        raise UsageError("the topology declares no lab hosts")
    docker.ping()
    tag = ensure_image(docker, project, image, progress)
    result = UpResult(profile, tag, hosts)
    key, made = ensure_keypair(state)
    result.steps.append(StepResult("keypair", str(key), "created" if made else "exists"))
    wanted = {names.BACKBONE_NETWORK} | {h.network for h in hosts}
    network_ids: dict[str, str] = {}
    for net in plan.lab.networks:
        if net.name in wanted:
            action = ensure_network(docker, net, state)
            result.steps.append(StepResult("network", net.name, action))
            if action != "exists":
                progress(f"network {net.name} {net.ipv4}: {action}")
            network_ids[net.name] = str((docker.inspect("network", net.name) or {}).get("Id", ""))
    for h in hosts:
        action = ensure_container(
            docker, h, tag, key.with_suffix(".pub"), state, recreate=recreate, extra_hosts=extra_hosts_of(plan, h)
        )
        result.steps.append(StepResult("container", CONTAINER_PREFIX + h.name, action))
        if action != "exists":
            progress(f"host {h.name} {h.ipv4} (backbone {h.backbone_ipv4}): {action}")
    # every inter-centre path of an HA cluster through the lab's fault proxy (govcloud.lab.links)
    for step, name, action in links.up(plan, state, network_ids, progress):
        result.steps.append(StepResult(step, name, action))
    missing = wait_ssh(hosts, key)
    if missing:
        raise DockerError(
            f"no SSH login with {key} within {SSH_TIMEOUT_S:.0f}s on: {', '.join(missing)}; "
            "`govcloud lab hosts up` again repairs what a failed step left"
        )
    result.steps.append(StepResult("ssh", f"{len(hosts)} hosts", "ready"))
    result.seconds = time.monotonic() - t0
    return result


class HostStatus(TypedDict):
    host: str
    container: str
    ipv4: str
    backbone_ipv4: str
    role: str
    centre: str
    state: str  # docker's container state, or "absent"
    image: str | None


class LabStatus(TypedDict):
    hosts: list[HostStatus]
    networks: list[str]
    strays: list[str]  # lab containers the topology does not declare
    running: int


def status(plan: Plan, *, state: Path, docker: Docker | None = None) -> LabStatus:
    """What runs now in the lab of `state`, against what the plan declares (every lab host, whatever
    the profile)."""
    docker = docker or Docker()
    docker.ping()
    proc = docker.run("ps", "-a", "--filter", _mine(state), "--format", "{{json .}}")
    running: dict[str, dict[str, str]] = {}
    for line in proc.stdout.splitlines():
        row = json.loads(line)
        running[row["Names"]] = row
    hosts: list[HostStatus] = []
    for h in plan.lab.hosts:
        c = running.pop(CONTAINER_PREFIX + h.name, None)
        hosts.append(
            {
                "host": h.name,
                "container": CONTAINER_PREFIX + h.name,
                "ipv4": str(h.ipv4),
                "backbone_ipv4": str(h.backbone_ipv4),
                "role": h.role.value,
                "centre": h.centre,
                "state": c["State"] if c else "absent",
                "image": c["Image"] if c else None,
            }
        )
    nets = docker.run("network", "ls", "--filter", _mine(state), "--format", "{{.Name}}").stdout.split()
    return {
        "hosts": hosts,
        "networks": sorted(nets),
        "strays": sorted(running),
        "running": sum(h["state"] == "running" for h in hosts),
    }


def down(*, state: Path, docker: Docker | None = None, progress: Progress = _quiet) -> list[StepResult]:
    """Remove every lab host container and lab network of the lab in `state` (found by its label),
    and stop the lab's fault proxy. Keeps the state folder."""
    docker = docker or Docker()
    steps: list[StepResult] = []
    # the proxy is a process of ours, not a container: it is stopped even when Docker is not answering
    if links.down(state) == "removed":
        steps.append(StepResult("toxiproxy", "server", "removed"))
        progress("stopped toxiproxy-server")
    docker.ping()
    # names, not ids: -q would print ids whatever --format says
    containers = docker.run("ps", "-a", "--filter", _mine(state), "--format", "{{.Names}}").stdout.split()
    if containers:
        docker.run("rm", "-f", *sorted(containers), timeout=300)
        steps += [StepResult("container", n, "removed") for n in sorted(containers)]
        progress(f"removed {len(containers)} containers")
    nets = docker.run("network", "ls", "--filter", _mine(state), "--format", "{{.Name}}").stdout.split()
    for n in sorted(nets):
        docker.run("network", "rm", n)
        steps.append(StepResult("network", n, "removed"))
    if nets:
        progress(f"removed {len(nets)} networks")
    return steps
