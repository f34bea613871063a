"""The kwok lab engine: one real control plane per data centre (etcd, kube-apiserver,
kube-controller-manager, kube-scheduler) with kwok simulating its nodes, all on loopback; etcd
speaks only client-cert TLS, to certs of the cluster's own etcd CA (the apiserver's).

`up` is a pipeline of named steps run across every cluster of the profile; each step checks before
it acts (a running process is left alone, an existing cert or node kept), so `up` twice changes
nothing and a lab that died half-way is finished by the next `up` or removed by `down`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from govcloud.diagnostics import RuntimeFailure, UsageError
from govcloud.lab import kubeconfig, pki, state, tools
from govcloud.lab.profiles import PROFILES, compact_clouds
from govcloud.plan import Plan
from govcloud.plan.clusters import ClusterPlan
from govcloud.render.nodes import render_nodes

Progress = Callable[[str, int, int], None]
READY_TIMEOUT_S = 240.0
STAGES = Path(__file__).with_name("kwok-stages.yaml")
TOOLS = ("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok")
KWOK_FILES = ("clusters", "pki", "kubeconfig")
"""What `up` writes in the lab folder: every cluster's state, the lab CA, the kubeconfig."""

API_GROUPS = (
    "v1",
    "apps/v1",  # Deployments and their ReplicaSets
    "batch/v1",  # CronJobs and their Jobs
    "networking.k8s.io/v1",  # NetworkPolicies; ServiceCIDR and IPAddress allocate Service IPs
    "policy/v1",  # PodDisruptionBudgets
    "scheduling.k8s.io/v1",  # PriorityClasses
    "coordination.k8s.io/v1",  # node leases (kwok's heartbeats), apiserver identity
    "discovery.k8s.io/v1",  # EndpointSlices of the Services
    "events.k8s.io/v1",  # the scheduler's events
    "rbac.authorization.k8s.io/v1",  # Node,RBAC authorization; the controllers' own service accounts
    "authentication.k8s.io/v1",  # TokenReview / TokenRequest: the controllers' delegated authentication
    "authorization.k8s.io/v1",  # SubjectAccessReview: delegated authorization, `kubectl auth can-i`
    "admissionregistration.k8s.io/v1",  # the apiserver's own informers list webhook configurations
    "certificates.k8s.io/v1",  # and PodCertificateRequests; /readyz waits for them to sync
    "storage.k8s.io/v1",  # the scheduler's volume plugins wait for these informers to sync
    "resource.k8s.io/v1",  # likewise its DynamicResources plugin (DRA is GA and always on)
    "apiextensions.k8s.io/v1",  # CRDs: the extensions server the apiserver is built around
    "apiregistration.k8s.io/v1",  # APIServices: the aggregator every request goes through
)
"""The only built-in API groups a lab apiserver serves (`--runtime-config api/all=false,…`): what
`govcloud deploy`, the Pulumi program, the live suite and the control plane's own components use.
Off: autoscaling, flowcontrol (priority and fairness is off), node (RuntimeClass), storagemigration,
internal.apiserver, every alpha and beta group: each group served costs its REST
storage, watch cache and OpenAPI schema in every one of the province's apiservers."""

DISABLED_ADMISSION = (
    "CertificateApproval",  # no CertificateSigningRequests in the lab
    "CertificateSigning",
    "CertificateSubjectRestriction",
    "ClusterTrustBundleAttest",
    "DefaultIngressClass",  # no Ingress in the lab
    "DefaultStorageClass",  # no volumes: kwok pods mount nothing
    "PersistentVolumeClaimResize",
    "StorageObjectInUseProtection",
    "MutatingAdmissionPolicy",  # the lab registers no admission policies and no webhooks
    "MutatingAdmissionWebhook",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionWebhook",
    "RuntimeClass",  # node.k8s.io is off
)
"""Default admission plugins that act only on objects the lab never makes (or of groups switched off
above). What stays on is what the deployed objects rely on: NamespaceLifecycle, LimitRanger,
ServiceAccount, PodSecurity (the tenants' `restricted` level), Priority (PriorityClasses),
ResourceQuota, DefaultTolerationSeconds, TaintNodesByCondition."""

CONTROLLERS = (
    "deployment-controller",  # Deployments -> ReplicaSets (deploy waits for Available)
    "replicaset-controller",  # ReplicaSets -> Pods, which the scheduler binds and kwok runs
    "cronjob-controller",  # the tenants' backup CronJobs -> Jobs
    "job-controller",  # Jobs -> Pods (kwok's stages make them Succeeded)
    "ttl-after-finished-controller",  # the Jobs' ttlSecondsAfterFinished
    "pod-garbage-collector-controller",  # deletes terminated pods, so a long-lived lab stays bounded
    "namespace-controller",  # deleting a namespace deletes what is in it (Pulumi destroy, lab tests)
    "garbage-collector-controller",  # owner references: a deleted Deployment takes its ReplicaSets and Pods
    "resourcequota-controller",  # quota usage; ResourceQuota admission needs it to admit pods
    "serviceaccount-controller",  # each namespace's `default` ServiceAccount, which pods need to be admitted
    "serviceaccount-token-controller",
    "root-ca-certificate-publisher-controller",  # kube-root-ca.crt, what a pod's token volume projects
    "endpointslice-controller",  # the Services' EndpointSlices
    # the legacy v1 Endpoints: the Pulumi Kubernetes provider's Service await reads these, not the
    # slices, and waits its 10-minute timeout for a Service whose Endpoints stay empty
    "endpoints-controller",
    "clusterrole-aggregation-controller",  # the admin/edit/view roles
    # a new Node is tainted not-ready (TaintNodesByCondition admission) until this controller sees it
    # Ready and lifts the taint; without it nothing is ever scheduled
    "node-lifecycle-controller",
)
"""The kube-controller-manager controllers a simulated centre needs (`--controllers`); the rest of the
default set watch and reconcile kinds the lab never makes: volumes and their attach/detach, taint
eviction, node TTLs and IPAM, StatefulSets, DaemonSets,
ReplicationControllers, HPAs, CSRs, DRA claims, PDB status, the mirroring of hand-made Endpoints into slices,
storage version migration. Each brings its informers and workers into every controller-manager."""


GO_RUNTIME: dict[str, dict[str, str]] = {
    # A lab component's live heap is small and steady; Go's default GOGC=100 lets the heap grow to
    # twice it before collecting, and keeps freed pages. GOGC trades a little CPU for a smaller
    # peak, and GOMEMLIMIT (a soft limit, set above the live heap measured on the full lab, see
    # docs/lab.md) makes the runtime collect and return memory harder as it nears it. The limit must
    # stay well above the live heap: the provincial production centre's apiserver holds ~135 MB live
    # once deployed, and at 160 MiB its collector ran back to back (the runtime's GC CPU limiter
    # engaged), doubling the lab's idle CPU and slowing `pulumi up` by a fifth.
    # GOMAXPROCS=1: a hundred Go runtimes share two cores; with one P each, fewer threads spin
    # looking for work, and lab up, deploy and memory all came out lower (docs/lab.md).
    name: {"GOGC": "25", "GOMAXPROCS": "1", "GOMEMLIMIT": limit}
    for name, limit in {
        "etcd": "32MiB",
        "kube-apiserver": "256MiB",
        "kube-controller-manager": "40MiB",
        "kube-scheduler": "24MiB",
        "kwok": "24MiB",
    }.items()
}
"""The Go runtime settings each control-plane process of a simulated centre starts with."""


def select_clusters(plan: Plan, profile: str) -> list[ClusterPlan]:
    """The clusters a profile runs: `full` is every centre; `compact` the clouds of the compact host
    profile (the provincial cloud's three centres, a city and its backup partner, an industry cloud)."""
    if profile not in PROFILES:
        raise UsageError(f"unknown lab profile {profile!r}; choose one of {', '.join(PROFILES)}")
    if profile == "full":
        return list(plan.clusters)
    clouds = set(compact_clouds(plan.topology))
    return [c for c in plan.clusters if c.cloud in clouds]


def _quiet(_msg: str, _done: int, _total: int) -> None:
    pass


class LabError(RuntimeFailure):
    """A lab step failed; the message names the cluster and the log to read."""


@dataclass(slots=True)
class ClusterStatus:
    name: str
    cloud: str
    centre: str
    role: str
    api: str
    running: list[str] = field(default_factory=list)
    api_ready: bool = False
    etcd_ready: bool = False
    nodes: int = 0
    nodes_ready: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "cluster": self.name,
            "cloud": self.cloud,
            "centre": self.centre,
            "role": self.role,
            "api": self.api,
            "api_ready": self.api_ready,
            "etcd_ready": self.etcd_ready,
            "processes": self.running,
            "nodes": self.nodes,
            "nodes_ready": self.nodes_ready,
        }


class KwokLab:
    def __init__(self, plan: Plan, root: Path, profile: str = "full") -> None:
        self.plan = plan
        self.root = root
        self.profile = profile
        self.clusters = select_clusters(plan, profile)
        self.pki_dir = root / "pki"
        self.kubeconfig = root / "kubeconfig"

    # --- layout -------------------------------------------------------------------------------

    def dir(self, c: ClusterPlan) -> Path:
        return self.root / "clusters" / c.name

    def ports(self, c: ClusterPlan) -> state.Ports:
        return state.Ports(c.index)

    def api_url(self, c: ClusterPlan) -> str:
        return f"https://127.0.0.1:{self.ports(c).apiserver}"

    def etcd_url(self, c: ClusterPlan) -> str:
        return f"https://127.0.0.1:{self.ports(c).etcd_client}"

    def _certs(self, c: ClusterPlan) -> dict[str, Path]:
        d = self.dir(c) / "pki"
        e = d / "etcd"
        return {
            "etcd-ca": e / "ca.crt",
            "etcd.crt": e / "member.crt",
            "etcd.key": e / "member.key",
            "etcd-client.crt": e / "apiserver-etcd-client.crt",
            "etcd-client.key": e / "apiserver-etcd-client.key",
            "ca": self.pki_dir / "ca.crt",
            "serving.crt": d / "apiserver.crt",
            "serving.key": d / "apiserver.key",
            "admin.crt": d / "admin.crt",
            "admin.key": d / "admin.key",
            "sa.key": d / "sa.key",
            "sa.pub": d / "sa.pub",
            "kubeconfig": d / "admin.kubeconfig",
        }

    # --- steps --------------------------------------------------------------------------------

    def step_certs(self, c: ClusterPlan) -> None:
        ca = pki.ensure_ca(self.pki_dir)
        d = self.dir(c) / "pki"
        pki.ensure_cert(d, "apiserver", ca, cn="kube-apiserver", server=True)
        pki.ensure_cert(d, "admin", ca, cn=f"{c.name}-admin", orgs=("system:masters",), client=True)
        pki.ensure_signing_key(d)
        e = d / "etcd"
        etcd_ca = pki.ensure_ca(e, cn=f"{c.name}-etcd-ca")
        # the member cert serves clients and the peer port, and is a peer's client cert
        pki.ensure_cert(e, "member", etcd_ca, cn=f"{c.name}-etcd", server=True, client=True, dns=("localhost",))
        pki.ensure_cert(e, "apiserver-etcd-client", etcd_ca, cn="kube-apiserver-etcd-client", client=True)
        cert = self._certs(c)
        kubeconfig.write(
            cert["kubeconfig"],
            [kubeconfig.Entry(c.name, self.api_url(c), cert["ca"], cert["admin.crt"], cert["admin.key"])],
        )

    def etcd_argv(self, c: ClusterPlan, etcd: Path) -> list[str]:
        """etcd's command line: TLS on both listeners, and only certs of this cluster's etcd CA get in.

        The etcd CA is the cluster's own, not the lab CA: etcd's own user auth is off, so every cert
        its trusted CA signs is full access to every object, and kube client certs (the admin
        kubeconfig, any narrower user) must not be that.
        """
        p, k = self.ports(c), self._certs(c)
        client, peer = self.etcd_url(c), f"https://127.0.0.1:{p.etcd_peer}"
        return [
            str(etcd),
            "--name",
            c.name,
            "--data-dir",
            str(self.dir(c) / "etcd"),
            "--listen-client-urls",
            client,
            "--advertise-client-urls",
            client,
            "--cert-file",
            str(k["etcd.crt"]),
            "--key-file",
            str(k["etcd.key"]),
            "--trusted-ca-file",
            str(k["etcd-ca"]),
            "--client-cert-auth",
            # one member, so no peer ever dials in; the peer port still listens, so it gets TLS too
            "--listen-peer-urls",
            peer,
            "--initial-advertise-peer-urls",
            peer,
            "--initial-cluster",
            f"{c.name}={peer}",
            "--peer-cert-file",
            str(k["etcd.crt"]),
            "--peer-key-file",
            str(k["etcd.key"]),
            "--peer-trusted-ca-file",
            str(k["etcd-ca"]),
            "--peer-client-cert-auth",
            "--listen-metrics-urls",
            "",
            # a lab: small backend, no fsync per commit (data is rebuilt by `lab up`)
            "--quota-backend-bytes",
            str(512 * 1024 * 1024),
            "--unsafe-no-fsync",
            "--log-level",
            "warn",
        ]

    def step_etcd(self, c: ClusterPlan, bins: dict[str, Path]) -> None:
        state.start("etcd", self.etcd_argv(c, bins["etcd"]), self.dir(c), GO_RUNTIME["etcd"])

    def apiserver_argv(self, c: ClusterPlan, apiserver: Path) -> list[str]:
        p, k = self.ports(c), self._certs(c)
        services = ",".join(str(n) for n in (c.service_ipv4, c.service_ipv6) if n is not None)
        return [
            str(apiserver),
            "--etcd-servers",
            self.etcd_url(c),
            "--etcd-cafile",
            str(k["etcd-ca"]),
            "--etcd-certfile",
            str(k["etcd-client.crt"]),
            "--etcd-keyfile",
            str(k["etcd-client.key"]),
            "--bind-address",
            "127.0.0.1",
            "--advertise-address",
            "127.0.0.1",
            "--secure-port",
            str(p.apiserver),
            "--tls-cert-file",
            str(k["serving.crt"]),
            "--tls-private-key-file",
            str(k["serving.key"]),
            "--client-ca-file",
            str(k["ca"]),
            "--service-account-key-file",
            str(k["sa.pub"]),
            "--service-account-signing-key-file",
            str(k["sa.key"]),
            "--service-account-issuer",
            f"https://kubernetes.default.svc/{c.name}",
            "--service-cluster-ip-range",
            services,
            "--authorization-mode",
            "Node,RBAC",
            "--allow-privileged=false",
            # the kubernetes Service cannot point at a loopback address; nothing in the lab needs it
            "--endpoint-reconciler-type",
            "none",
            "--enable-priority-and-fairness=false",
            "--profiling=false",
            "--runtime-config",
            ",".join(("api/all=false", *(f"{g}=true" for g in API_GROUPS))),
            "--disable-admission-plugins",
            ",".join(DISABLED_ADMISSION),
        ]

    def step_apiserver(self, c: ClusterPlan, bins: dict[str, Path]) -> None:
        state.start(
            "kube-apiserver", self.apiserver_argv(c, bins["kube-apiserver"]), self.dir(c), GO_RUNTIME["kube-apiserver"]
        )

    def _component_argv(self, c: ClusterPlan, binary: Path, port: int) -> list[str]:
        """What the controller-manager and the scheduler share: the cluster's admin kubeconfig for the
        API and for delegated authentication and authorization, a loopback secure port, no leader
        election (one of each per cluster), no profiling endpoint."""
        kc = str(self._certs(c)["kubeconfig"])
        return [
            str(binary),
            "--kubeconfig",
            kc,
            "--authentication-kubeconfig",
            kc,
            "--authorization-kubeconfig",
            kc,
            "--bind-address",
            "127.0.0.1",
            "--secure-port",
            str(port),
            "--leader-elect=false",
            "--profiling=false",
        ]

    def controller_manager_argv(self, c: ClusterPlan, binary: Path) -> list[str]:
        k = self._certs(c)
        cidrs = ",".join(str(n) for n in (c.pod_ipv4, c.pod_ipv6) if n is not None)
        return [
            *self._component_argv(c, binary, self.ports(c).controller_manager),
            "--service-account-private-key-file",
            str(k["sa.key"]),
            "--root-ca-file",
            str(k["ca"]),
            "--use-service-account-credentials=true",
            "--cluster-cidr",
            cidrs,
            "--allocate-node-cidrs=false",
            "--controllers",
            ",".join(CONTROLLERS),
        ]

    def scheduler_argv(self, c: ClusterPlan, binary: Path) -> list[str]:
        return self._component_argv(c, binary, self.ports(c).scheduler)

    def kwok_argv(self, c: ClusterPlan, binary: Path) -> list[str]:
        p, k = self.ports(c), self._certs(c)
        return [
            str(binary),
            "--kubeconfig",
            str(k["kubeconfig"]),
            "--manage-all-nodes=false",
            "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
            "--manage-nodes-with-label-selector=",
            "--manage-single-node=",
            "--cidr",
            str(c.pod_ipv4) if c.pod_ipv4 else "10.0.0.0/24",
            "--node-ip",
            "127.0.0.1",
            "--server-address",
            f"127.0.0.1:{p.kwok}",
            "--node-lease-duration-seconds",
            "40",
            "--config",
            str(STAGES),
            "--v",
            "WARN",
        ]

    def step_controllers(self, c: ClusterPlan, bins: dict[str, Path]) -> None:
        d = self.dir(c)
        state.start(
            "kube-controller-manager",
            self.controller_manager_argv(c, bins["kube-controller-manager"]),
            d,
            GO_RUNTIME["kube-controller-manager"],
        )
        state.start("kube-scheduler", self.scheduler_argv(c, bins["kube-scheduler"]), d, GO_RUNTIME["kube-scheduler"])
        state.start("kwok", self.kwok_argv(c, bins["kwok"]), d, GO_RUNTIME["kwok"])

    def step_nodes(self, c: ClusterPlan) -> int:
        from govcloud.lab.kube import Applier, api_client

        applier = Applier(api_client(self._certs(c)["kubeconfig"], c.name))
        try:
            return sum(applier.create_if_missing(n) for n in render_nodes(c))
        finally:
            applier.api.close()

    # --- checks -------------------------------------------------------------------------------

    def api_ready(self, c: ClusterPlan) -> bool:
        from govcloud.lab.kube import probe

        k = self._certs(c)
        if not k["admin.crt"].exists():
            return False
        return probe(f"{self.api_url(c)}/readyz", k["ca"], k["admin.crt"], k["admin.key"])

    def etcd_ready(self, c: ClusterPlan) -> bool:
        """etcd's /health over TLS with the apiserver's etcd client cert, as the apiserver reaches it."""
        from govcloud.lab.kube import probe

        k = self._certs(c)
        if not k["etcd-client.crt"].exists():
            return False
        return probe(f"{self.etcd_url(c)}/health", k["etcd-ca"], k["etcd-client.crt"], k["etcd-client.key"])

    def _wait_ready(self, pending: list[ClusterPlan], progress: Progress, total: int) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        waiting = list(pending)
        while waiting:
            for c in list(waiting):
                if self.api_ready(c):
                    waiting.remove(c)
                    progress(f"{c.name}: API ready", total - len(waiting), total)
                else:
                    for proc in ("etcd", "kube-apiserver"):
                        if state.running(self.dir(c) / f"{proc}.pid") is None:
                            raise LabError(f"{c.name}: {proc} exited; see {self.dir(c) / (proc + '.log')}")
            if waiting and time.monotonic() > deadline:
                names = ", ".join(c.name for c in waiting)
                # an apiserver that cannot reach etcd only says so in its log; name etcd when it is the cause
                no_etcd = [c.name for c in waiting if not self.etcd_ready(c)]
                why = f"; etcd not answering over TLS: {', '.join(no_etcd)} (see <cluster>/etcd.log)" if no_etcd else ""
                raise LabError(
                    f"API not ready after {READY_TIMEOUT_S:.0f}s: {names} "
                    f"(logs in {self.root / 'clusters'}/<cluster>/kube-apiserver.log){why}"
                )
            if waiting:
                time.sleep(0.5)

    # --- commands -----------------------------------------------------------------------------

    def up(self, progress: Progress = _quiet) -> list[ClusterStatus]:
        bins = tools.find_all(*TOOLS)
        total = len(self.clusters)
        for i, c in enumerate(self.clusters, 1):
            self.step_certs(c)
            self.step_etcd(c, bins)
            progress(f"{c.name}: certificates, etcd", i, total)
        for i, c in enumerate(self.clusters, 1):
            self.step_apiserver(c, bins)
            progress(f"{c.name}: kube-apiserver started", i, total)
        self._wait_ready(self.clusters, progress, total)
        for i, c in enumerate(self.clusters, 1):
            self.step_controllers(c, bins)
            progress(f"{c.name}: controller-manager, scheduler, kwok", i, total)
        for i, c in enumerate(self.clusters, 1):
            made = self.step_nodes(c)
            progress(f"{c.name}: {c.nodes} nodes ({made} new)", i, total)
        self.write_kubeconfig()
        return self.status()

    def cluster(self, name: str) -> ClusterPlan:
        """A cluster of the plan by name; a usage error naming the known ones otherwise."""
        for c in self.plan.clusters:
            if c.name == name:
                return c
        raise UsageError(f"no lab cluster {name!r}; clusters: {', '.join(c.name for c in self.plan.clusters)}")

    def running(self, c: ClusterPlan) -> list[str]:
        """The cluster's processes that run now and are the very processes its pid files record."""
        return [p for p in TOOLS if state.running(self.dir(c) / f"{p}.pid") is not None]

    def stop_cluster(self, c: ClusterPlan, grace_s: float = 0.0) -> list[LabProcess]:
        """Stop one cluster's whole control plane and its kwok at once (TERM, then KILL after `grace_s`):
        only processes its pid files record that still are those processes. Its state stays, so
        `start_cluster` (or `lab up`) brings the same cluster back."""
        recorded = []
        for p in TOOLS:
            identity = state.running(self.dir(c) / f"{p}.pid")
            if identity is not None:
                recorded.append(LabProcess(c.name, p, identity))
        stopped = {i.pid for i in state.stop([r.identity for r in recorded], grace_s=grace_s)}
        return [r for r in recorded if r.identity.pid in stopped]

    def start_cluster(self, c: ClusterPlan, progress: Progress = _quiet) -> list[str]:
        """`up`'s steps for one cluster that already has its state: what is running is left alone.
        Returns the processes it started."""
        if not (self.dir(c) / "pki").is_dir():
            raise UsageError(f"{c.name} has no state in {self.root}: start the lab with `govcloud lab up`")
        bins = tools.find_all(*TOOLS)
        before = set(self.running(c))
        self.step_certs(c)
        self.step_etcd(c, bins)
        self.step_apiserver(c, bins)
        self._wait_ready([c], progress, 1)
        self.step_controllers(c, bins)
        self.step_nodes(c)
        return [p for p in TOOLS if p not in before and p in self.running(c)]

    def write_kubeconfig(self) -> Path:
        entries = []
        for c in self.clusters:
            k = self._certs(c)
            entries.append(kubeconfig.Entry(c.name, self.api_url(c), k["ca"], k["admin.crt"], k["admin.key"]))
        return kubeconfig.write(self.kubeconfig, entries)

    def status(self) -> list[ClusterStatus]:
        out = []
        for c in select_clusters(self.plan, "full"):
            d = self.dir(c)
            if not d.exists():
                continue
            st = ClusterStatus(c.name, c.cloud, c.centre, c.role.value, self.api_url(c))
            st.running = [p for p in (*TOOLS,) if state.running(d / f"{p}.pid") is not None]
            st.api_ready = "kube-apiserver" in st.running and self.api_ready(c)
            st.etcd_ready = "etcd" in st.running and self.etcd_ready(c)
            if st.api_ready:
                st.nodes, st.nodes_ready = self._node_counts(c)
            out.append(st)
        return out

    def _node_counts(self, c: ClusterPlan) -> tuple[int, int]:
        from kubernetes import client as k8s

        from govcloud.lab.kube import api_client

        api = api_client(self._certs(c)["kubeconfig"], c.name)
        try:
            nodes = k8s.CoreV1Api(api).list_node(_request_timeout=5).items
        finally:
            api.close()
        ready = sum(
            any(cond.type == "Ready" and cond.status == "True" for cond in ((n.status and n.status.conditions) or []))
            for n in nodes
        )
        return len(nodes), ready

    def down(self) -> DownResult:
        """Stop every process the lab recorded that still is that process, then remove the clusters'
        state, the lab CA and the kubeconfig. A pid file naming anything else (a pid reused since, a
        bare pid of an older govcloud) is reported, and its process left alone; so is a process that
        still works in a cluster's folder but that no pid file names (its record was lost)."""
        clusters_dir = self.root / "clusters"
        result = DownResult()
        recorded: dict[int, tuple[str, str, state.ProcessIdentity]] = {}
        for pidfile in sorted(clusters_dir.glob("*/*.pid")) if clusters_dir.exists() else []:
            identity = state.running(pidfile)
            if identity is None:
                result.ignored.append(str(pidfile))
            else:
                recorded[identity.pid] = (pidfile.parent.name, pidfile.stem, identity)
        stopped = {i.pid for i in state.stop([r[2] for r in recorded.values()])}
        if clusters_dir.exists():
            result.unrecorded = state.working_in(clusters_dir, exclude=sorted(stopped))
        result.stopped = [
            LabProcess(cluster, name, identity)
            for pid, (cluster, name, identity) in sorted(recorded.items())
            if pid in stopped
        ]
        result.removed = state.remove(self.root, KWOK_FILES)
        return result


@dataclass(frozen=True, slots=True)
class LabProcess:
    cluster: str
    name: str
    identity: state.ProcessIdentity

    def as_dict(self) -> dict[str, object]:
        return {"cluster": self.cluster, "process": self.name, **self.identity.as_dict()}


@dataclass(slots=True)
class DownResult:
    stopped: list[LabProcess] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    """Pid files whose process is gone or is not the one recorded: nothing was signalled."""
    unrecorded: list[state.ProcessIdentity] = field(default_factory=list)
    """Processes still working in a cluster's folder that no pid file names: left running, reported."""
    removed: list[str] = field(default_factory=list)
