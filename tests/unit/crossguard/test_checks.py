"""The policy pack's checks on plain objects: the rendered reference province passes every one, and
each way of breaking a rule is caught with a message that names the object and the fix."""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from govcloud import pipeline
from govcloud.crossguard import CHECKS, CONTAINERS, DEFAULT_DENY, ISOLATED_ZONE, MLPS_ZONE, POD_SECURITY
from govcloud.crossguard.objects import KubeObject, api_version_of, from_manifest, from_pulumi
from govcloud.render.k8s import render_cluster

ROOT = Path(__file__).resolve().parents[3]


@cache
def province() -> tuple[KubeObject, ...]:
    plan = pipeline.load_plan(ROOT / "topology.yaml")
    return tuple(from_manifest(o, c.context) for c in plan.clusters for o in render_cluster(plan, c))


def messages(check: Any, objects: list[KubeObject], config: dict[str, Any] | None = None) -> list[str]:
    return [f.message for f in check.findings(objects, config)]


def namespace(
    name: str, *, isolated: bool = True, level: int = 3, psa: str | None = "restricted", cluster: str = "gc-p-prod"
) -> KubeObject:
    labels = {
        "govcloud.dev/zone": "dedicated" if isolated else "extranet",
        "govcloud.dev/zone-isolated": str(isolated).lower(),
        "govcloud.dev/mlps-level": str(level),
    }
    if psa:
        labels["pod-security.kubernetes.io/enforce"] = psa
    return from_manifest(
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": labels}}, cluster
    )


def netpol(ns: str, spec: dict[str, Any], name: str = "default-deny", cluster: str = "gc-p-prod") -> KubeObject:
    return from_manifest(
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {"name": name, "namespace": ns},
            "spec": spec,
        },
        cluster,
    )


DENY = {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}


def service(ns: str, **spec: Any) -> KubeObject:
    return from_manifest(
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "web", "namespace": ns},
            "spec": {"ports": [{"port": 443}], **spec},
        },
        "gc-p-prod",
    )


def deployment(container: dict[str, Any], pod_sc: dict[str, Any] | None = None, kind: str = "Deployment") -> KubeObject:
    pod = {"securityContext": pod_sc or {}, "containers": [{"name": "app", **container}]}
    spec: dict[str, Any] = {"template": {"spec": pod}}
    if kind == "CronJob":
        spec = {"schedule": "0 2 * * *", "jobTemplate": {"spec": spec}}
    api = "batch/v1" if kind == "CronJob" else "apps/v1"
    return from_manifest(
        {"apiVersion": api, "kind": kind, "metadata": {"name": "api", "namespace": "permits"}, "spec": spec},
        "gc-p-prod",
    )


SAFE = {
    "securityContext": {"runAsNonRoot": True, "allowPrivilegeEscalation": False},
    "resources": {"limits": {"cpu": "1", "memory": "1Gi"}},
}


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.name)
def test_the_rendered_reference_province_passes_every_check(check: Any) -> None:
    assert messages(check, list(province())) == []


def test_check_names_are_unique_and_each_has_a_reference_and_a_fix() -> None:
    assert len({c.name for c in CHECKS}) == len(CHECKS)
    assert all(c.reference and c.remediation and c.description for c in CHECKS)


def test_a_namespace_without_default_deny_is_reported() -> None:
    objs = [namespace("intake"), netpol("intake", {"podSelector": {}, "policyTypes": ["Ingress"]})]
    assert messages(DEFAULT_DENY, objs) == [
        "namespace 'intake' on gc-p-prod has no default-deny NetworkPolicy, so every pod in it takes and makes "
        "any connection"
    ]


@pytest.mark.parametrize(
    "spec",
    [
        {"podSelector": {"matchLabels": {"app": "x"}}, "policyTypes": ["Ingress", "Egress"]},
        {**DENY, "ingress": [{"from": [{"podSelector": {}}]}]},
        {"policyTypes": ["Ingress", "Egress"]},
    ],
    ids=["selects-some-pods", "allows-something", "no-pod-selector"],
)
def test_a_policy_that_is_not_a_default_deny_does_not_count(spec: dict[str, Any]) -> None:
    assert len(messages(DEFAULT_DENY, [namespace("intake"), netpol("intake", spec)])) == 1


def test_default_deny_is_matched_per_cluster() -> None:
    objs = [
        namespace("intake", cluster="gc-p-prod"),
        namespace("intake", cluster="gc-p-aa"),
        netpol("intake", DENY, cluster="gc-p-prod"),
    ]
    assert messages(DEFAULT_DENY, objs) == [
        "namespace 'intake' on gc-p-aa has no default-deny NetworkPolicy, so every pod in it takes and makes "
        "any connection"
    ]


@pytest.mark.parametrize(
    ("spec", "how"),
    [
        ({"type": "LoadBalancer"}, "is type LoadBalancer"),
        ({"type": "NodePort"}, "is type NodePort"),
        ({"type": "ExternalName", "externalName": "x.example"}, "is type ExternalName"),
        ({"externalIPs": ["172.29.0.9"]}, "has externalIPs"),
    ],
)
def test_a_service_exposing_an_isolated_zone_is_reported(spec: dict[str, Any], how: str) -> None:
    assert messages(ISOLATED_ZONE, [namespace("registry"), service("registry", **spec)]) == [
        f"Service 'web' (namespace 'registry' on gc-p-prod) {how}, but zone 'dedicated' is isolated: nothing in it "
        "may be reachable from outside the cluster"
    ]


def test_the_same_service_in_an_open_zone_is_fine() -> None:
    assert messages(ISOLATED_ZONE, [namespace("portal", isolated=False), service("portal", type="LoadBalancer")]) == []


@pytest.mark.parametrize(
    ("rule", "how"),
    [
        ({"from": [{"ipBlock": {"cidr": "0.0.0.0/0"}}]}, "admits ingress from 0.0.0.0/0"),
        ({"from": [{"ipBlock": {"cidr": "::/0"}}]}, "admits ingress from ::/0"),
        ({"ports": [{"port": 443}]}, "admits ingress from every source"),
    ],
)
def test_a_network_policy_opening_an_isolated_zone_to_everyone_is_reported(rule: dict[str, Any], how: str) -> None:
    found = messages(ISOLATED_ZONE, [namespace("registry"), netpol("registry", {**DENY, "ingress": [rule]}, "open")])
    assert len(found) == 1 and how in found[0]


def test_an_ingress_in_an_isolated_zone_is_reported() -> None:
    ing = from_manifest(
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "metadata": {"name": "web", "namespace": "registry"},
            "spec": {},
        },
        "gc-p-prod",
    )
    assert "is an Ingress" in messages(ISOLATED_ZONE, [namespace("registry"), ing])[0]


def test_level_3_in_an_open_zone_is_reported_and_the_threshold_is_configurable() -> None:
    ns = namespace("permits", isolated=False, level=3)
    assert messages(MLPS_ZONE, [ns]) == [
        "namespace 'permits' on gc-p-prod holds MLPS level 3 systems but is in zone 'extranet', which is not "
        "isolated (level 3 and above must be)"
    ]
    assert messages(MLPS_ZONE, [ns], {"isolatedZoneFrom": 4}) == []


def test_a_namespace_without_an_mlps_level_is_reported() -> None:
    bare = from_manifest({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "tmp"}}, "gc-p-prod")
    assert messages(MLPS_ZONE, [bare]) == [
        "namespace 'tmp' on gc-p-prod has no govcloud.dev/mlps-level label, so its protection level cannot be checked"
    ]


@pytest.mark.parametrize(
    ("psa", "says"), [("baseline", "enforces 'baseline'"), (None, "enforces no Pod Security profile")]
)
def test_a_namespace_not_enforcing_restricted_is_reported(psa: str | None, says: str) -> None:
    assert messages(POD_SECURITY, [namespace("notices", psa=psa)]) == [
        f"namespace 'notices' on gc-p-prod {says}; it must enforce 'restricted'"
    ]


@pytest.mark.parametrize(
    ("container", "pod_sc", "problem"),
    [
        ({**SAFE, "securityContext": {"allowPrivilegeEscalation": False}}, {}, "may run as root"),
        (
            {**SAFE, "securityContext": {"runAsUser": 0, "allowPrivilegeEscalation": False}},
            {"runAsNonRoot": True},
            "runs as user 0",
        ),
        ({**SAFE, "securityContext": {"runAsNonRoot": True}}, {}, "may escalate privileges"),
        ({**SAFE, "securityContext": {**SAFE["securityContext"], "privileged": True}}, {}, "is privileged"),
        ({**SAFE, "resources": {"limits": {"cpu": "1"}}}, {}, "has no memory limit (set resources.limits.memory)"),
        ({**SAFE, "resources": {}}, {}, "has no cpu or memory limit"),
    ],
    ids=["no-run-as-non-root", "user-0", "escalation", "privileged", "no-memory-limit", "no-limits"],
)
def test_containers_running_as_root_or_without_limits_are_reported(
    container: dict[str, Any], pod_sc: dict[str, Any], problem: str
) -> None:
    found = messages(CONTAINERS, [deployment(container, pod_sc)])
    assert len(found) == 1 and problem in found[0]
    assert found[0].startswith("Deployment 'api' (namespace 'permits' on gc-p-prod): container 'app' ")


def test_a_pod_level_run_as_non_root_covers_its_containers() -> None:
    container = {**SAFE, "securityContext": {"allowPrivilegeEscalation": False}}
    assert messages(CONTAINERS, [deployment(container, {"runAsNonRoot": True})]) == []


def test_cron_job_pod_templates_are_checked_too() -> None:
    assert len(messages(CONTAINERS, [deployment({"resources": {}}, kind="CronJob")])) == 1


def test_pulumi_type_tokens_map_to_api_versions() -> None:
    assert api_version_of("kubernetes:core/v1:Service") == ("v1", "Service")
    assert api_version_of("kubernetes:apps/v1:Deployment") == ("apps/v1", "Deployment")
    assert api_version_of("kubernetes:networking.k8s.io/v1:NetworkPolicy") == ("networking.k8s.io/v1", "NetworkPolicy")
    assert api_version_of("pulumi:providers:kubernetes") is None
    assert api_version_of("govcloud:index:Cluster") is None


def test_a_pulumi_resource_is_seen_like_its_manifest() -> None:
    manifest = next(o for o in province() if o.kind == "Deployment")
    props = copy.deepcopy(dict(manifest.body))
    obj = from_pulumi("kubernetes:apps/v1:Deployment", props, manifest.cluster, "urn:pulumi:lab::govcloud::x")
    assert obj is not None
    assert (obj.api_version, obj.kind, obj.name, obj.namespace) == (
        manifest.api_version,
        manifest.kind,
        manifest.name,
        manifest.namespace,
    )
    assert from_pulumi("pulumi:providers:kubernetes", {}, "gc-p-prod", "urn") is None
