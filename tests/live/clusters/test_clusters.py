"""Each running lab cluster holds what the plan and the renderer say: nodes, namespaces, quotas,
NetworkPolicies, platform services and their standbys."""

from __future__ import annotations

from typing import Any

import pytest

from govcloud.model.topology import CentreRole, Standby
from govcloud.plan import Plan
from govcloud.render.k8s import render_cluster
from govcloud.render.k8s.scope import PLATFORM_NS
from govcloud.render.kind import render_kind_config

Kubectl = Any  # the conftest's kubectl fixture: testinfra's local host running kubectl
Lab = Any  # the conftest's lab fixture: folder, kubeconfig, engine per cluster

pytestmark = pytest.mark.live


def _expected(plan: Plan, cluster: str) -> list[dict[str, Any]]:
    return render_cluster(plan, plan.cluster(cluster))


def _by_name(items: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(i["metadata"].get("namespace", ""), i["metadata"]["name"]): i for i in items}


def test_nodes_are_ready_with_the_plans_capacity_and_topology_labels(
    plan: Plan, kubectl: Kubectl, cluster: str, lab: Lab
) -> None:
    c = plan.cluster(cluster)
    nodes = kubectl.get(cluster, "nodes")["items"]
    # kwok simulates the plan's nodes; a kind cluster has the nodes its config declares
    assert len(nodes) == (c.nodes if lab.engine[cluster] == "kwok" else len(render_kind_config(c)["nodes"]))
    for n in nodes:
        labels = n["metadata"]["labels"]
        assert labels["topology.kubernetes.io/region"] == c.region
        assert labels["topology.kubernetes.io/zone"] == c.zone
        ready = {x["type"]: x["status"] for x in n["status"]["conditions"]}["Ready"]
        assert ready == "True", f"{n['metadata']['name']} not Ready"


def test_every_tenant_namespace_exists_with_its_labels(plan: Plan, kubectl: Kubectl, cluster: str) -> None:
    want = {
        o["metadata"]["name"]: o["metadata"]["labels"] for o in _expected(plan, cluster) if o["kind"] == "Namespace"
    }
    live = {n["metadata"]["name"]: n["metadata"]["labels"] for n in kubectl.get(cluster, "namespaces")["items"]}
    for name, labels in want.items():
        assert name in live, f"namespace {name} missing"
        assert labels.items() <= live[name].items()
        assert live[name]["pod-security.kubernetes.io/enforce"] == "restricted"


def test_quotas_match_the_tenants_declared_capacity(plan: Plan, kubectl: Kubectl, cluster: str) -> None:
    want = _by_name([o for o in _expected(plan, cluster) if o["kind"] == "ResourceQuota"])
    live = _by_name(kubectl.get(cluster, "resourcequotas")["items"])
    for key, q in want.items():
        assert key in live, f"ResourceQuota {key} missing"
        assert {k: str(v) for k, v in q["spec"]["hard"].items()} == live[key]["spec"]["hard"]


def test_every_tenant_namespace_has_its_default_deny_policy(plan: Plan, kubectl: Kubectl, cluster: str) -> None:
    expected = _expected(plan, cluster)
    namespaces = {o["metadata"]["name"] for o in expected if o["kind"] == "Namespace"}
    live = kubectl.get(cluster, "networkpolicies")["items"]
    want = _by_name([o for o in expected if o["kind"] == "NetworkPolicy"])
    assert set(want) <= set(_by_name(live))
    deny = {
        p["metadata"]["namespace"]
        for p in live
        if p["spec"].get("podSelector") == {}
        and set(p["spec"].get("policyTypes", [])) == {"Ingress", "Egress"}
        and not p["spec"].get("ingress")
        and not p["spec"].get("egress")
    }
    assert namespaces <= deny, f"no default-deny in {sorted(namespaces - deny)}"


def test_platform_services_are_available_and_standby_in_the_dr_centre(
    plan: Plan, kubectl: Kubectl, cluster: str
) -> None:
    c = plan.cluster(cluster)
    live = _by_name(kubectl.get(cluster, "deployments")["items"])
    services = [p for p in plan.topology.platform_services if p.cloud == c.cloud and p.scope == "provincial"]
    for p in services:
        d = live.get((PLATFORM_NS, p.name))
        assert d is not None, f"platform service {p.name} not deployed"
        replicas = d["spec"]["replicas"]
        if c.role == CentreRole.REMOTE_DR:
            assert replicas == (1 if p.standby == Standby.WARM else 0), f"{p.name} standby replicas"
        else:
            assert replicas == p.replicas
        assert d["status"].get("availableReplicas", 0) == replicas, f"{p.name} not Available"


def test_every_rendered_deployment_is_available(plan: Plan, kubectl: Kubectl, cluster: str) -> None:
    want = _by_name([o for o in _expected(plan, cluster) if o["kind"] == "Deployment"])
    live = _by_name(kubectl.get(cluster, "deployments")["items"])
    for key, d in want.items():
        assert key in live, f"Deployment {key} missing"
        assert live[key]["status"].get("availableReplicas", 0) == d["spec"]["replicas"], f"{key} not Available"
