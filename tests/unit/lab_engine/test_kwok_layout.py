"""The kwok engine's pure parts: which clusters a profile runs, ports, nodes, kind configs, PKI."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from cryptography import x509

from govcloud import pipeline
from govcloud.lab import kubeconfig, pki
from govcloud.lab.deploy import ordered
from govcloud.lab.kwok import select_clusters
from govcloud.lab.state import Ports
from govcloud.plan import Plan
from govcloud.render.kind import render_kind_config
from govcloud.render.nodes import KWOK_ANNOTATION, render_nodes


@pytest.fixture(scope="module")
def plan(reference_path: Path) -> Plan:
    return pipeline.load_plan(reference_path)


def test_full_profile_runs_every_centre_and_compact_keeps_the_dr_shape(plan: Plan) -> None:
    assert len(select_clusters(plan, "full")) == len(plan.clusters) >= 20
    compact = select_clusters(plan, "compact")
    roles = {c.role.value for c in compact if c.cloud == "provincial"}
    assert roles == {"production", "active-active", "remote-dr"}
    assert len(compact) < len(plan.clusters)


def test_ports_never_collide_between_clusters(plan: Plan) -> None:
    ports = [
        getattr(Ports(c.index), p)
        for c in plan.clusters
        for p in ("etcd_client", "etcd_peer", "apiserver", "controller_manager", "scheduler", "kwok")
    ]
    assert len(ports) == len(set(ports))


def test_nodes_carry_capacity_topology_labels_and_the_kwok_annotation(plan: Plan) -> None:
    c = plan.clusters[0]
    nodes = render_nodes(c)
    assert len(nodes) == c.nodes
    for n in nodes:
        assert n["metadata"]["annotations"][KWOK_ANNOTATION] == "fake"
        labels = n["metadata"]["labels"]
        assert labels["topology.kubernetes.io/region"] == c.region
        assert labels["topology.kubernetes.io/zone"] == c.zone
        assert int(n["status"]["allocatable"]["cpu"]) * c.nodes <= c.capacity.cpu
    assert len({n["spec"]["podCIDR"] for n in nodes}) == c.nodes


def test_kind_config_uses_the_plan_ipv4_ranges_and_loopback(plan: Plan) -> None:
    c = plan.clusters[1]
    cfg = render_kind_config(c)
    assert cfg["apiVersion"] == "kind.x-k8s.io/v1alpha4" and cfg["name"] == c.name
    assert cfg["networking"]["podSubnet"] == str(c.pod_ipv4)
    assert cfg["networking"]["serviceSubnet"] == str(c.service_ipv4)
    assert cfg["networking"]["apiServerAddress"] == "127.0.0.1"
    assert all(n["labels"]["topology.kubernetes.io/zone"] == c.zone for n in cfg["nodes"])


def test_kind_config_swaps_kindnetd_for_the_policy_enforcing_network_and_allows_cgroup_v1(plan: Plan) -> None:
    cfg = render_kind_config(plan.clusters[0])
    assert cfg["networking"]["disableDefaultCNI"] is True
    assert [yaml.safe_load(p) for p in cfg["kubeadmConfigPatches"]] == [
        {"kind": "KubeletConfiguration", "failCgroupV1": False}
    ]
    assert [n["role"] for n in cfg["nodes"]] == ["control-plane"]


def test_pki_issues_a_chain_and_keeps_existing_certs(tmp_path: Path) -> None:
    ca = pki.ensure_ca(tmp_path)
    cert, key = pki.ensure_cert(tmp_path / "c", "admin", ca, cn="a", orgs=("system:masters",), client=True)
    first = cert.read_bytes()
    assert pki.ensure_cert(tmp_path / "c", "admin", ca, cn="a", client=True) == (cert, key)
    assert cert.read_bytes() == first
    leaf = x509.load_pem_x509_certificate(first)
    root = x509.load_pem_x509_certificate(ca[0].read_bytes())
    leaf.verify_directly_issued_by(root)
    assert key.stat().st_mode & 0o777 == 0o600


def test_kubeconfig_has_a_context_per_cluster_and_is_private(tmp_path: Path) -> None:
    entries = [
        kubeconfig.Entry(n, f"https://127.0.0.1:{p}", tmp_path / "ca", tmp_path / "c", tmp_path / "k")
        for n, p in (("gc-b", 2), ("gc-a", 1))
    ]
    path = kubeconfig.write(tmp_path / "kubeconfig", entries)
    doc = yaml.safe_load(path.read_text())
    assert [c["name"] for c in doc["contexts"]] == ["gc-a", "gc-b"]
    assert path.stat().st_mode & 0o777 == 0o600


def test_deploy_applies_namespaces_before_what_lives_in_them() -> None:
    objs = [
        {"kind": "Deployment", "metadata": {"name": "d", "namespace": "n"}},
        {"kind": "Namespace", "metadata": {"name": "n"}},
        {"kind": "PriorityClass", "metadata": {"name": "p"}},
    ]
    assert [o["kind"] for o in ordered(objs)] == ["PriorityClass", "Namespace", "Deployment"]
