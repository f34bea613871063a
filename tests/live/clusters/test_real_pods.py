"""What only real pods can show (kind): the lab service's process, port and mounted configuration,
seen from inside its pods through testinfra's kubectl:// backend; NetworkPolicies proven with real
traffic between probe pods; Services found through the cluster's DNS. Plus one admission check
every engine runs: Pod Security `restricted` refuses a privileged pod.

The traffic checks start short-lived probe pods (the lab service image) in tenant namespaces on
both sides of one of the cloud's declared zone boundaries, and remove them afterwards. Every
denied pair has an allowed control to the same server, so a refusal means the policy, not a
server that is not up. kube-router rejects denied packets, so a denied connection fails at once
(refused) rather than timing out; either counts as denied.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pytest
import testinfra

from govcloud.model.topology import PlatformService
from govcloud.plan import Plan
from govcloud.render.k8s import scope
from govcloud.render.k8s.exchange import CONFIG_DIR

Kubectl = Any  # the conftest's fixtures
Lab = Any

pytestmark = pytest.mark.live
real_pods = pytest.mark.real_pods

PROBE_LABEL = "govcloud.dev/live-probe"
PROBE_IMAGE = "govcloud/lab-service:1.0"
UNDECLARED_PORT = 8080
"""A port no boundary declares: the same server answers it to a same-zone caller."""


def in_pod(lab: Lab, cluster: str, namespace: str, pod: str, container: str) -> Any:
    return testinfra.get_host(
        f"kubectl://{pod}?namespace={namespace}&container={container}&kubeconfig={lab.kubeconfig}&context={cluster}"
    )


def running_pod(kubectl: Kubectl, cluster: str, namespace: str, app: str) -> dict[str, Any]:
    pods = kubectl.get(cluster, "pods", namespace=namespace)["items"]
    for p in pods:
        labels = p["metadata"].get("labels", {})
        if labels.get("app.kubernetes.io/name") == app and p["status"].get("phase") == "Running":
            return dict(p)
    raise AssertionError(f"no running {app} pod in {cluster}/{namespace}")


def service_pod(
    plan: Plan, kubectl: Kubectl, lab: Lab, cluster: str, namespace: str
) -> tuple[PlatformService, str, Any]:
    """The cluster's first running platform (or exchange) service, one of its pods, and a testinfra
    host inside that pod; the test is skipped if the cluster runs none."""
    c = plan.cluster(cluster)
    pick = scope.platform_services if namespace == scope.PLATFORM_NS else scope.exchange_services
    services = [p for p in pick(plan, c) if scope.replicas(p, c)]
    if not services:
        pytest.skip(f"{cluster} runs no service in {namespace}")
    p = services[0]
    name = running_pod(kubectl, cluster, namespace, p.name)["metadata"]["name"]
    return p, name, in_pod(lab, cluster, namespace, name, p.name)


# --- inside the platform and exchange pods -------------------------------------------------------
@real_pods
def test_platform_pods_run_the_lab_service_as_non_root_listening_on_their_port(
    plan: Plan, kubectl: Kubectl, lab: Lab, cluster: str
) -> None:
    p, _, host = service_pod(plan, kubectl, lab, cluster, scope.PLATFORM_NS)
    # PID 1 is the service itself (serve execs httpd). Read from /proc: testinfra's busybox process
    # module asks `ps -o time`, which Debian's busybox does not offer.
    argv = host.file("/proc/1/cmdline").content_string.split("\0")
    assert argv[:2] == ["busybox", "httpd"] and argv[argv.index("-p") + 1] == str(p.port), argv
    assert host.socket(f"tcp://0.0.0.0:{p.port}").is_listening
    assert host.check_output("id -u") == "65532"
    assert host.file("/tmp/www/readyz").content_string == "ok\n"
    assert not host.run("touch /probe-rootfs").succeeded, "the root file system is writable"


@real_pods
def test_exchange_pods_serve_their_read_only_mounted_peer_configuration(
    plan: Plan, kubectl: Kubectl, lab: Lab, cluster: str
) -> None:
    p, _, host = service_pod(plan, kubectl, lab, cluster, scope.EXCHANGE_NS)
    peers = host.file(f"{CONFIG_DIR}/peers.json")
    assert peers.exists
    doc = json.loads(peers.content_string)
    assert doc["self"]["cluster"] == cluster
    assert "ro" in host.mount_point(CONFIG_DIR).options
    served = host.check_output(f"timeout 3 wget -qO- http://127.0.0.1:{p.port}/config")
    assert json.loads(served) == doc


# --- DNS ------------------------------------------------------------------------------------------
@real_pods
def test_cluster_dns_resolves_a_platform_service_to_its_cluster_ip(
    plan: Plan, kubectl: Kubectl, lab: Lab, cluster: str
) -> None:
    p, _, host = service_pod(plan, kubectl, lab, cluster, scope.PLATFORM_NS)
    svc = kubectl.get(cluster, "service", p.name, namespace=scope.PLATFORM_NS)
    out = host.check_output(f"nslookup {p.name}.{scope.PLATFORM_NS}.svc.cluster.local")
    assert svc["spec"]["clusterIP"] in out


# --- Pod Security: every engine ---------------------------------------------------------------------
def dry_run_pod(kubectl: Kubectl, cluster: str, namespace: str, security: dict[str, Any]) -> Any:
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "pod-security-probe", "namespace": namespace},
        "spec": {"containers": [{"name": "c", "image": PROBE_IMAGE, "securityContext": security}]},
    }
    return kubectl.run(cluster, "create", "--dry-run=server", "-f", "-", stdin=json.dumps(pod))


def tenant_namespace(plan: Plan, cluster: str) -> str:
    tenants = scope.tenants(plan, plan.cluster(cluster))
    return tenants[0].name if tenants else scope.PLATFORM_NS


def test_pod_security_restricted_refuses_a_privileged_pod(plan: Plan, kubectl: Kubectl, lab: Lab, cluster: str) -> None:
    r = dry_run_pod(kubectl, cluster, tenant_namespace(plan, cluster), {"privileged": True})
    assert r.rc != 0, "a privileged pod was admitted"
    if lab.engine[cluster] == "kind":  # kubeadm's apiserver allows privileged pods: Pod Security must refuse
        assert 'violates PodSecurity "restricted' in r.stderr, r.stderr
    else:  # kwok's apiserver runs without --allow-privileged, which refuses it before admission
        assert "disallowed by cluster policy" in r.stderr or "violates PodSecurity" in r.stderr, r.stderr


def test_pod_security_restricted_refuses_a_pod_that_keeps_root_and_its_capabilities(
    plan: Plan, kubectl: Kubectl, cluster: str
) -> None:
    r = dry_run_pod(kubectl, cluster, tenant_namespace(plan, cluster), {})
    assert r.rc != 0 and 'violates PodSecurity "restricted' in r.stderr, r.stderr
    for missing in ("allowPrivilegeEscalation", "capabilities", "runAsNonRoot", "seccompProfile"):
        assert missing in r.stderr, f"{missing} not named in the refusal"


# --- NetworkPolicy with real traffic ----------------------------------------------------------------
@dataclass(frozen=True)
class Boundary:
    """Tenants on both sides of one declared boundary (from_zone → to_zone on port), and one outside."""

    port: int
    source: str
    target: str
    same_zone: str
    outsider: str | None


def boundary(plan: Plan, cluster: str) -> Boundary | None:
    c = plan.cluster(cluster)
    cloud = plan.index.clouds.get(c.cloud)
    tenants = scope.tenants(plan, c)
    by_zone: dict[str, list[str]] = {}
    for t in tenants:
        by_zone.setdefault(t.zone, []).append(t.name)
    for b in cloud.boundaries if cloud else []:
        ports = [p for p in b.ports if p >= 1024 and p != UNDECLARED_PORT]  # non-root servers
        if not ports or b.from_zone not in by_zone or b.to not in by_zone:
            continue
        into_target = {x.from_zone for x in cloud.boundaries if x.to == b.to and ports[0] in x.ports}
        outsiders = [n for z, ns in by_zone.items() if z not in into_target | {b.to} for n in ns]
        return Boundary(
            port=ports[0],
            source=by_zone[b.from_zone][0],
            target=by_zone[b.to][0],
            same_zone=(by_zone[b.to][1:] or by_zone[b.to])[0],
            outsider=outsiders[0] if outsiders else None,
        )
    return None


def probe_pod(name: str, namespace: str, port: int) -> dict[str, Any]:
    amount = {"cpu": "10m", "memory": "16Mi"}
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace, "labels": {PROBE_LABEL: name}},
        "spec": {
            "automountServiceAccountToken": False,
            "securityContext": {"runAsNonRoot": True, "runAsUser": 65532, "seccompProfile": {"type": "RuntimeDefault"}},
            "containers": [
                {
                    "name": "probe",
                    "image": PROBE_IMAGE,
                    "imagePullPolicy": "Never",
                    "env": [{"name": "GC_HTTP_PORT", "value": str(port)}],
                    "readinessProbe": {"httpGet": {"path": "/readyz", "port": port}, "periodSeconds": 2},
                    "resources": {"requests": amount, "limits": amount},
                    "securityContext": {
                        "allowPrivilegeEscalation": False,
                        "capabilities": {"drop": ["ALL"]},
                        "readOnlyRootFilesystem": True,
                    },
                    "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],
                }
            ],
            "volumes": [{"name": "tmp", "emptyDir": {}}],
        },
    }


class Probes:
    """Probe pods of one cluster: started together, waited for, removed at the end."""

    def __init__(self, lab: Lab, kubectl: Kubectl, cluster: str, pods: list[dict[str, Any]]) -> None:
        self.lab, self.kubectl, self.cluster, self.pods = lab, kubectl, cluster, pods
        self.ip: dict[str, str] = {}

    def kubectl_run(self, *args: str, stdin: str | None = None) -> Any:
        return self.kubectl.run(self.cluster, *args, stdin=stdin)

    def start(self) -> None:
        pod_list = {"apiVersion": "v1", "kind": "List", "items": self.pods}
        r = self.kubectl_run("apply", "-f", "-", stdin=json.dumps(pod_list))
        assert r.rc == 0, r.stderr
        selector = ["-A", "-l", PROBE_LABEL]
        r = self.kubectl_run("wait", "pod", *selector, "--for=condition=Ready", "--timeout=120s")
        assert r.rc == 0, f"probe pods not Ready: {r.stderr}"
        for p in self.kubectl.get(self.cluster, "pods", "-l", PROBE_LABEL)["items"]:
            self.ip[p["metadata"]["name"]] = p["status"]["podIP"]

    def stop(self) -> None:
        self.kubectl_run("delete", "pod", "-A", "-l", PROBE_LABEL, "--wait=false")

    def get(self, client: str, url: str) -> bool:
        ns = next(p["metadata"]["namespace"] for p in self.pods if p["metadata"]["name"] == client)
        host = in_pod(self.lab, self.cluster, ns, client, "probe")
        r = host.run("timeout 3 wget -qO- %s", url)
        return bool(r.rc == 0 and r.stdout.strip() == "ok")

    def url(self, server: str, port: int) -> str:
        return f"http://{self.ip[server]}:{port}/healthz"

    def eventually(self, client: str, url: str, want: bool, within_s: float = 20.0) -> bool:
        """True once `client` → `url` gives `want` (the firewall programs a new pod within seconds)."""
        deadline = time.monotonic() + within_s
        while True:
            if self.get(client, url) == want:
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(1)


@pytest.fixture(scope="session")
def probe_sets(plan: Plan, kubectl: Kubectl, lab: Lab) -> Iterator[dict[str, tuple[Probes, Boundary]]]:
    """Probe pods in every kind cluster that has a boundary to test, started in all clusters at once
    (most of a start is waiting for pods to become Ready), removed at the end of the session."""
    sets: dict[str, tuple[Probes, Boundary]] = {}
    for cluster, engine in sorted(lab.engine.items()):
        b = boundary(plan, cluster) if engine == "kind" else None
        if b is None:
            continue
        pods = [
            probe_pod("probe-target", b.target, b.port),
            probe_pod("probe-target-other-port", b.target, UNDECLARED_PORT),
            probe_pod("probe-source", b.source, UNDECLARED_PORT),
            probe_pod("probe-same-zone", b.same_zone, UNDECLARED_PORT),
        ]
        if b.outsider:
            pods.append(probe_pod("probe-outsider", b.outsider, UNDECLARED_PORT))
        sets[cluster] = (Probes(lab, kubectl, cluster, pods), b)
    try:
        with ThreadPoolExecutor(max_workers=max(len(sets), 1)) as pool:
            for f in [pool.submit(p.start) for p, _ in sets.values()]:
                f.result()
        yield sets
    finally:
        for p, _ in sets.values():
            p.stop()


@pytest.fixture
def traffic(probe_sets: dict[str, tuple[Probes, Boundary]], cluster: str) -> tuple[Probes, Boundary]:
    if cluster not in probe_sets:
        pytest.skip(f"{cluster}: no tenants on both sides of a declared boundary with a port ≥ 1024")
    return probe_sets[cluster]


@real_pods
def test_a_declared_boundary_lets_its_port_through_and_nothing_else(traffic: tuple[Probes, Boundary]) -> None:
    probes, b = traffic
    allowed = probes.url("probe-target", b.port)
    other_port = probes.url("probe-target-other-port", UNDECLARED_PORT)
    # controls: both servers answer a caller the policies allow
    assert probes.eventually("probe-source", allowed, True), f"{b.source} → {b.target}:{b.port} (declared) refused"
    assert probes.eventually("probe-same-zone", other_port, True), f"same-zone caller cannot reach {b.target}"
    # the boundary is its declared port only
    assert probes.eventually("probe-source", other_port, False, within_s=10)
    assert not probes.get("probe-source", other_port), f"{b.source} → {b.target}:{UNDECLARED_PORT} got through"


@real_pods
def test_a_zone_without_a_boundary_cannot_reach_the_other_zone(traffic: tuple[Probes, Boundary]) -> None:
    probes, b = traffic
    if b.outsider is None:
        pytest.skip(f"no tenant outside the zones that may reach {b.target} on {b.port}")
    allowed = probes.url("probe-target", b.port)
    assert probes.eventually("probe-source", allowed, True), "control: the declared caller is refused"
    assert probes.eventually("probe-outsider", allowed, False, within_s=10)
    assert not probes.get("probe-outsider", allowed), f"{b.outsider} → {b.target}:{b.port} got through"


@real_pods
def test_tenants_reach_platform_services_by_name_and_platform_pods_cannot_reach_tenants(
    plan: Plan, kubectl: Kubectl, lab: Lab, cluster: str, traffic: tuple[Probes, Boundary]
) -> None:
    probes, b = traffic
    p, pod, host = service_pod(plan, kubectl, lab, cluster, scope.PLATFORM_NS)
    by_name = f"http://{p.name}.{scope.PLATFORM_NS}.svc.cluster.local:{p.port}/healthz"
    assert probes.eventually("probe-source", by_name, True), f"tenant {b.source} cannot call {p.name} by name"
    target = probes.url("probe-target-other-port", UNDECLARED_PORT)
    assert probes.eventually("probe-same-zone", target, True), "control: the tenant server does not answer"
    r = host.run("timeout 3 wget -qO- %s", target)
    assert r.rc != 0, f"platform pod {pod} reached tenant {b.target}"
