"""The kind lab engine: real clusters whose nodes are Docker containers and whose pods are real
processes, one cluster per data centre of the profile (the same selection as kwok's).

Everything a node runs comes from govcloud's own node image, built offline by
images/kind-node/build.sh (`scripts/setup-kind.sh`): no registry is ever asked. `up` creates the
clusters one at a time with kind, installs the pod network and NetworkPolicy firewall
(kind-network.yaml: kube-router, since kindnetd's policy agent needs a kernel feature this
machine lacks), waits until every node is Ready and CoreDNS answers, and writes the lab's one
kubeconfig with one context per cluster (gc-<centre>), certificates by path, exactly as kwok's.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

import yaml
from kubernetes import client

from govcloud.diagnostics import RuntimeFailure, UsageError
from govcloud.lab import kubeconfig, tools
from govcloud.lab.kube import Applier, api_client, probe
from govcloud.lab.kwok import ClusterStatus, select_clusters
from govcloud.plan import Plan
from govcloud.plan.clusters import ClusterPlan
from govcloud.render.kind import api_port, render_kind_config

NODE_REPOSITORY = "govcloud/kind-node"
ADDONS = (Path(__file__).with_name("kind-network.yaml"), Path(__file__).with_name("kind-capacity.yaml"))
"""What `up` installs in every kind cluster: the pod network with its NetworkPolicy firewall, and the
admission policy that fits the declared workloads on this machine's real cores."""
KIND_FILES = ("kind", "kind-kubeconfig")
"""What `up` writes in the lab folder besides the kubeconfig: `kind/` (configs, kind's own kubeconfig,
each cluster's certificates); `kind-kubeconfig` is where earlier versions kept kind's kubeconfig."""
READY_TIMEOUT_S = 240.0
"""Per cluster: node Ready, CoreDNS and kube-router available. A node on a busy 2-core machine
takes ~30 s; the margin is for a machine building or testing beside it."""

PARALLEL = 3
"""Clusters created at once by `up`."""

Progress = Callable[[str, int, int], None]


def node_ready(node: client.V1Node) -> bool:
    conditions = node.status.conditions if node.status else None
    return any(x.type == "Ready" and x.status == "True" for x in conditions or [])


class KindError(RuntimeFailure):
    """kind or a cluster it made failed; the message says which and what to read."""


def _docker() -> str:
    return str(tools.find("docker"))


def node_image() -> str:
    """The node image to run: $GOVCLOUD_KIND_NODE_IMAGE, else the newest govcloud/kind-node image in
    Docker (build.sh tags each recipe govcloud/kind-node:<kubernetes>-<recipe12>)."""
    chosen = os.environ.get("GOVCLOUD_KIND_NODE_IMAGE")
    if chosen:
        return chosen
    r = subprocess.run(
        [_docker(), "image", "ls", NODE_REPOSITORY, "--format", "{{.CreatedAt}}\t{{.Repository}}:{{.Tag}}"],
        capture_output=True,
        text=True,
    )
    tags = sorted((line.split("\t") for line in r.stdout.splitlines() if "\t" in line), reverse=True)
    tags = [t for t in tags if not t[1].split(":", 1)[1].startswith("building-")]
    if r.returncode != 0 or not tags:
        raise UsageError(
            f"no {NODE_REPOSITORY} image in Docker, and no registry to pull one from: build it with "
            "scripts/setup-kind.sh (or `make setup-kind`), or set GOVCLOUD_KIND_NODE_IMAGE"
        )
    return tags[0][1]


def missing_prerequisites() -> list[str]:
    try:
        docker = _docker()
    except tools.MissingTool:
        return ["docker: install and start it with scripts/setup-docker.sh"]
    if subprocess.run([docker, "info"], capture_output=True).returncode != 0:
        return ["docker: the engine is not running (scripts/setup-docker.sh starts it)"]
    problems = []
    info = subprocess.run([docker, "info", "--format", "{{.DefaultRuntime}}"], capture_output=True, text=True)
    if info.stdout.strip() != "nosysres":
        problems.append(
            "docker: the default runtime is not runc-nosysres, so kind's privileged nodes cannot start "
            "on this kernel (no CAP_SYS_RESOURCE); scripts/setup-docker.sh installs it"
        )
    for name in ("kind", "kubectl"):
        try:
            tools.find(name)
        except tools.MissingTool as e:
            problems.append(f"{name}: {e}")
    return problems


def existing() -> set[str]:
    """Every kind cluster Docker holds (kind's names), whoever made it."""
    try:
        kind = tools.find("kind")
    except tools.MissingTool:
        return set()
    r = subprocess.run([str(kind), "get", "clusters"], capture_output=True, text=True)
    return set(r.stdout.split()) if r.returncode == 0 else set()


class KindLab:
    """The plan's clusters of one profile as kind clusters, with their files under `<lab>/kind`."""

    def __init__(self, plan: Plan, root: Path, profile: str = "full") -> None:
        self.plan = plan
        self.root = root
        self.profile = profile
        self.clusters = select_clusters(plan, profile)
        self.dir = root / "kind"
        self.kubeconfig = root / "kubeconfig"
        self._lock = threading.Lock()

    # --- files ---------------------------------------------------------------------------------
    def config_path(self, c: ClusterPlan) -> Path:
        return self.dir / f"{c.name}.yaml"

    def cert_dir(self, c: ClusterPlan) -> Path:
        return self.dir / c.name

    def write_configs(self) -> list[Path]:
        self.dir.mkdir(parents=True, exist_ok=True)
        paths = []
        for c in self.clusters:
            p = self.config_path(c)
            p.write_text(yaml.safe_dump(render_kind_config(c), sort_keys=False), encoding="utf-8")
            paths.append(p)
        return paths

    def _entry(self, c: ClusterPlan) -> kubeconfig.Entry:
        d = self.cert_dir(c)
        return kubeconfig.Entry(c.context, self.api_url(c), d / "ca.crt", d / "admin.crt", d / "admin.key")

    def api_url(self, c: ClusterPlan) -> str:
        return f"https://127.0.0.1:{api_port(c)}"

    def _save_credentials(self, c: ClusterPlan) -> None:
        """kind's kubeconfig carries the cluster CA and an admin client certificate inline; the lab's
        kubeconfig names files instead (kwok's scheme), so they are written out, the key 0600."""
        kind = str(tools.find("kind"))
        r = subprocess.run([kind, "get", "kubeconfig", "--name", c.name], capture_output=True, text=True)
        if r.returncode != 0:
            raise KindError(f"kind get kubeconfig --name {c.name} failed: {r.stderr.strip()}")
        doc = yaml.safe_load(r.stdout)
        cluster, user = doc["clusters"][0]["cluster"], doc["users"][0]["user"]
        d = self.cert_dir(c)
        d.mkdir(parents=True, exist_ok=True)
        for name, data, mode in (
            ("ca.crt", cluster["certificate-authority-data"], 0o644),
            ("admin.crt", user["client-certificate-data"], 0o644),
            ("admin.key", user["client-key-data"], 0o600),
        ):
            path = d / name
            fd = os.open(path.with_suffix(".tmp"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
            with os.fdopen(fd, "wb") as f:
                f.write(base64.b64decode(data))
            path.with_suffix(".tmp").replace(path)

    def write_kubeconfig(self) -> Path:
        mine = existing()
        entries = [self._entry(c) for c in self.clusters if c.name in mine and (self.cert_dir(c) / "ca.crt").exists()]
        return kubeconfig.write(self.kubeconfig, entries)

    # --- up --------------------------------------------------------------------------------------
    def _create(self, c: ClusterPlan, image: str) -> None:
        kind = str(tools.find("kind"))
        r = subprocess.run(
            [
                kind,
                "create",
                "cluster",
                "--name",
                c.name,
                "--config",
                str(self.config_path(c)),
                "--image",
                image,
                "--kubeconfig",
                str(self.dir / "kind-kubeconfig"),
            ],
            capture_output=True,
            text=True,
        )
        if r.returncode != 0:
            raise KindError(
                f"kind create cluster {c.name} failed (its nodes are kept for `kind export logs`; "
                f"`govcloud lab down` removes them):\n{r.stderr.strip()[-2000:]}"
            )

    def _install_addons(self, c: ClusterPlan) -> None:
        applier = Applier(api_client(self.kubeconfig, c.context))
        for manifest in ADDONS:
            for obj in yaml.safe_load_all(manifest.read_text(encoding="utf-8")):
                if obj:
                    applier.apply(obj)

    def _wait_ready(self, c: ClusterPlan, timeout_s: float = READY_TIMEOUT_S) -> None:
        """Every node Ready and CoreDNS and kube-router available, or a KindError naming what is not."""
        api = api_client(self.kubeconfig, c.context)
        core, apps = client.CoreV1Api(api), client.AppsV1Api(api)
        deadline = time.monotonic() + timeout_s
        waiting = "the API server"
        while time.monotonic() < deadline:
            try:
                nodes = core.list_node().items
                unready = [str(n.metadata.name if n.metadata else "?") for n in nodes if not node_ready(n)]
                dns = apps.read_namespaced_deployment("coredns", "kube-system").status
                router = apps.read_namespaced_daemon_set("kube-router", "kube-system").status
                if not nodes or unready:
                    waiting = f"nodes {', '.join(unready) or '(none yet)'} Ready"
                elif router is None or dns is None:
                    waiting = "kube-router and CoreDNS to report"
                elif (router.number_available or 0) < router.desired_number_scheduled:
                    waiting = "kube-router on every node"
                elif (dns.available_replicas or 0) < (dns.replicas or 1):
                    waiting = "CoreDNS available"
                else:
                    return
            except client.exceptions.ApiException as e:
                waiting = f"the API server ({e.status} {e.reason})"
            except Exception as e:  # connection refused while the control plane starts
                waiting = f"the API server ({type(e).__name__})"
            time.sleep(2)
        raise KindError(
            f"{c.name}: still waiting for {waiting} after {timeout_s:.0f}s (kind export logs --name {c.name})"
        )

    def _bring_up(self, c: ClusterPlan, image: str, create: bool) -> None:
        if create:
            self._create(c, image)
        with self._lock:  # one writer of the shared kubeconfig at a time
            self._save_credentials(c)
            self.write_kubeconfig()
        self._install_addons(c)
        self._wait_ready(c)

    def up(self, progress: Progress | None = None) -> list[ClusterStatus]:
        """Create the missing clusters, PARALLEL at a time: most of a node's start is waiting (kubeadm's
        phases, the CNI's first sandbox retry), so a few at once finish sooner on 2 cores than one by one."""
        self.write_configs()
        problems = missing_prerequisites()
        if problems:
            raise UsageError(
                f"kind engine cannot start (configs written to {self.dir}):\n  - " + "\n  - ".join(problems)
            )
        image = node_image()
        have = existing()
        total, done = len(self.clusters), 0
        if progress:
            progress(f"creating {total - len(have & {c.name for c in self.clusters})} cluster(s)", 0, total)
        with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
            futures = {pool.submit(self._bring_up, c, image, c.name not in have): c for c in self.clusters}
            errors = []
            for f in as_completed(futures):
                done += 1
                outcome = "ready"
                try:
                    f.result()
                except (KindError, UsageError) as e:
                    errors.append(str(e))
                    outcome = "failed"
                if progress:
                    progress(f"{futures[f].name}: {outcome}", done, total)
        if errors:
            raise KindError("\n".join(errors))
        self.write_kubeconfig()
        return self.status()

    # --- status and down -------------------------------------------------------------------------
    def containers(self) -> dict[str, list[str]]:
        """The node containers of each of the plan's kind clusters, by cluster name."""
        r = subprocess.run(
            [_docker(), "ps", "--filter", "label=io.x-k8s.kind.cluster", "--format", "{{json .}}"],
            capture_output=True,
            text=True,
        )
        out: dict[str, list[str]] = {}
        for line in r.stdout.splitlines():
            row: dict[str, Any] = json.loads(line)
            labels = dict(kv.split("=", 1) for kv in row.get("Labels", "").split(",") if "=" in kv)
            out.setdefault(labels.get("io.x-k8s.kind.cluster", ""), []).append(row["Names"])
        return out

    def status(self) -> list[ClusterStatus]:
        """A row per plan cluster that has kind nodes running (kwok's row shape, `running` = node containers)."""
        try:
            running = self.containers()
        except tools.MissingTool:
            return []
        rows = []
        for c in self.plan.clusters:
            if c.name not in running:
                continue
            s = ClusterStatus(c.name, c.cloud, c.centre, c.role.value, self.api_url(c), sorted(running[c.name]))
            d = self.cert_dir(c)
            if (d / "ca.crt").exists():
                s.api_ready = probe(self.api_url(c) + "/readyz", d / "ca.crt", d / "admin.crt", d / "admin.key")
                s.etcd_ready = s.api_ready  # etcd is a static pod behind the API server
                if s.api_ready and self.kubeconfig.exists():
                    s.nodes, s.nodes_ready = self._node_counts(c)
            rows.append(s)
        return rows

    def _node_counts(self, c: ClusterPlan) -> tuple[int, int]:
        try:
            nodes = client.CoreV1Api(api_client(self.kubeconfig, c.context)).list_node().items
        except Exception:
            return 0, 0
        ready = sum(node_ready(n) for n in nodes)
        return len(nodes), ready


def down(plan: Plan) -> list[str]:
    """Delete the plan's kind clusters (their names); the files are the caller's (`KIND_FILES`)."""
    ours = {c.name for c in plan.clusters} & existing()
    if not ours:
        return []
    kind = str(tools.find("kind"))
    for name in sorted(ours):
        subprocess.run([kind, "delete", "cluster", "--name", name], capture_output=True)
    return sorted(ours)
