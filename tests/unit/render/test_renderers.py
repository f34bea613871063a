"""The Kubernetes renderers, tested directly on the dicts they return (small topology: 1 + 2 + 1)."""

from __future__ import annotations

import builtins
import re
from pathlib import Path
from typing import Any

import pytest

from govcloud import pipeline
from govcloud.model.topology import Standby
from govcloud.plan import Plan, build_plan
from govcloud.render.k8s import backups, exchange, priority, render_all, render_cluster
from govcloud.render.k8s import labels as L

DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")


def by_kind(objs: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [o for o in objs if o["kind"] == kind]


def find(objs: list[dict[str, Any]], kind: str, name: str, namespace: str | None = None) -> dict[str, Any]:
    return next(
        o
        for o in objs
        if o["kind"] == kind and o["metadata"]["name"] == name and o["metadata"].get("namespace") == namespace
    )


def pod_specs(objs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for o in objs:
        if o["kind"] == "Deployment":
            out.append(o["spec"]["template"]["spec"])
        elif o["kind"] == "CronJob":
            out.append(o["spec"]["jobTemplate"]["spec"]["template"]["spec"])
    return out


def test_one_cluster_per_centre_and_the_provincial_cloud_is_three(small_plan: Plan, small_rendered) -> None:
    assert list(small_rendered) == [c.name for c in small_plan.clusters]
    assert [c for c in small_rendered if c.startswith("gc-p-")] == ["gc-p-prod", "gc-p-aa", "gc-p-dr"]


def test_each_cluster_holds_only_its_own_clouds_tenants(small_plan: Plan, small_rendered) -> None:
    for c in small_plan.clusters:
        tenants = {
            o["metadata"]["name"]
            for o in by_kind(small_rendered[c.name], "Namespace")
            if o["metadata"]["labels"][L.ROLE] == "tenant"
        }
        assert tenants == {t.name for t in small_plan.topology.tenants if t.cloud == c.cloud}


def test_tenant_namespace_is_labelled_with_cloud_zone_mlps_and_restricted_pod_security(small_rendered) -> None:
    ns = find(small_rendered["gc-p-prod"], "Namespace", "core")
    labels = ns["metadata"]["labels"]
    assert labels[L.CLOUD] == "provincial"
    assert labels[L.NET_ZONE] == "dedicated"
    assert labels[L.MLPS] == "4"
    assert labels["pod-security.kubernetes.io/enforce"] == "restricted"


def test_every_namespace_has_a_default_deny_policy(small_rendered) -> None:
    for cluster, objs in small_rendered.items():
        for ns in by_kind(objs, "Namespace"):
            name = ns["metadata"]["name"]
            deny = find(objs, "NetworkPolicy", "default-deny", name)
            assert deny["spec"] == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}, (cluster, name)


def _zone_peers(rule_peers: list[dict[str, Any]]) -> set[str]:
    return {
        p["namespaceSelector"]["matchLabels"][L.NET_ZONE]
        for p in rule_peers
        if L.NET_ZONE in p.get("namespaceSelector", {}).get("matchLabels", {})
    }


def test_nothing_crosses_zones_except_declared_boundaries_on_their_ports(small_plan: Plan, small_rendered) -> None:
    for c in small_plan.clusters:
        cloud = small_plan.index.clouds[c.cloud]
        declared = {(b.from_zone, b.to): sorted(b.ports) for b in cloud.boundaries}
        for t in (t for t in small_plan.topology.tenants if t.cloud == c.cloud):
            for pol in (
                o for o in by_kind(small_rendered[c.name], "NetworkPolicy") if o["metadata"]["namespace"] == t.name
            ):
                for rule in pol["spec"].get("ingress", []):
                    for zone in _zone_peers(rule["from"]) - {t.zone}:
                        assert sorted(p["port"] for p in rule["ports"]) == declared[(zone, t.zone)]
                for rule in pol["spec"].get("egress", []):
                    for zone in _zone_peers(rule["to"]) - {t.zone}:
                        assert sorted(p["port"] for p in rule["ports"]) == declared[(t.zone, zone)]


def test_declared_boundary_opens_ingress_into_the_target_zone(small_rendered) -> None:
    pol = find(small_rendered["gc-p-prod"], "NetworkPolicy", "allow-boundary-from-internet", "core")
    assert pol["spec"]["ingress"] == [
        {
            "from": [{"namespaceSelector": {"matchLabels": {L.ROLE: "tenant", L.NET_ZONE: "internet"}}}],
            "ports": [{"port": 443, "protocol": "TCP"}],
        }
    ]
    # edge (internet) may reach dedicated on 443, but nothing opens dedicated → internet
    names = {
        o["metadata"]["name"]
        for o in by_kind(small_rendered["gc-p-prod"], "NetworkPolicy")
        if o["metadata"]["namespace"] == "edge"
    }
    assert "allow-boundary-to-dedicated" in names and not any(n.startswith("allow-boundary-from") for n in names)


def test_tenants_may_reach_platform_services_and_dns(small_rendered) -> None:
    objs = small_rendered["gc-alpha-dc"]
    dns = find(objs, "NetworkPolicy", "allow-dns", "alpha-gov")
    assert {p["port"] for p in dns["spec"]["egress"][0]["ports"]} == {53}
    shared = find(objs, "NetworkPolicy", "allow-platform-services", "alpha-gov")
    to = shared["spec"]["egress"][0]["to"]
    assert {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "gc-exchange"}}} in to
    assert {"ipBlock": {"cidr": "10.128.0.0/16"}} in to  # gc-p-prod's pod range: platform services live there


def test_quota_and_limit_range_come_from_the_tenants_declared_quota(small_rendered) -> None:
    quota = find(small_rendered["gc-p-aa"], "ResourceQuota", "tenant-quota", "core")["spec"]["hard"]
    assert quota["requests.cpu"] == "100" and quota["requests.memory"] == "400Gi"
    assert quota["requests.storage"] == "1000Gi" and quota["pods"] == "100"
    lr = find(small_rendered["gc-p-aa"], "LimitRange", "tenant-limits", "core")["spec"]["limits"][0]
    assert lr["max"] == {"cpu": "100", "memory": "400Gi"} and "defaultRequest" in lr


def test_platform_services_are_active_in_both_same_city_centres_and_warm_in_dr(small_rendered) -> None:
    for cluster, want in (("gc-p-prod", 2), ("gc-p-aa", 2), ("gc-p-dr", 1)):
        objs = small_rendered[cluster]
        for kind in ("Deployment", "Service", "PodDisruptionBudget"):
            assert find(objs, kind, "identity", "gc-platform")
        assert find(objs, "Deployment", "identity", "gc-platform")["spec"]["replicas"] == want
    assert not any(o["metadata"].get("namespace") == "gc-platform" for o in small_rendered["gc-alpha-dc"])


def test_cold_standby_runs_zero_replicas_in_the_dr_centre(small_plan: Plan) -> None:
    topo = small_plan.topology
    cold = [p.model_copy(update={"standby": Standby.COLD}) for p in topo.platform_services]
    plan = build_plan(topo.model_copy(update={"platform_services": cold}))
    dep = find(render_cluster(plan, plan.cluster("gc-p-dr")), "Deployment", "identity", "gc-platform")
    assert dep["spec"]["replicas"] == 0 and dep["metadata"]["labels"][L.STANDBY] == "cold"
    assert (
        find(render_cluster(plan, plan.cluster("gc-p-prod")), "Deployment", "identity", "gc-platform")["spec"][
            "replicas"
        ]
        == 2
    )


def test_exchange_runs_on_provincial_and_city_clusters_only(small_rendered) -> None:
    have = {
        c
        for c, objs in small_rendered.items()
        if any(o["metadata"].get("namespace") == "gc-exchange" and o["kind"] == "Deployment" for o in objs)
    }
    assert have == {"gc-p-prod", "gc-p-aa", "gc-p-dr", "gc-alpha-dc", "gc-beta-dc"}


def test_exchange_config_names_upstream_and_downstream_peers(small_plan: Plan) -> None:
    p = small_plan.index.services["exchange"]
    city = exchange.peers(small_plan, small_plan.cluster("gc-alpha-dc"), p)
    assert [c.name for c in city.upstream] == ["gc-p-prod", "gc-p-aa", "gc-p-dr"] and not city.downstream
    prov = exchange.peers(small_plan, small_plan.cluster("gc-p-prod"), p)
    assert [c.name for c in prov.downstream] == ["gc-alpha-dc", "gc-beta-dc"] and not prov.upstream
    assert [c.name for c in prov.siblings] == ["gc-p-aa", "gc-p-dr"]


def test_exchange_configmap_is_mounted_and_rolls_pods_when_it_changes(small_rendered) -> None:
    objs = small_rendered["gc-alpha-dc"]
    cm = find(objs, "ConfigMap", "exchange-peers", "gc-exchange")
    assert '"mode": "city"' in cm["data"]["peers.json"] and '"cluster": "gc-p-prod"' in cm["data"]["peers.json"]
    tpl = find(objs, "Deployment", "exchange", "gc-exchange")["spec"]["template"]
    assert {"name": "peers", "configMap": {"name": "exchange-peers"}} in tpl["spec"]["volumes"]
    assert L.PREFIX + "config-hash" in tpl["metadata"]["annotations"]


def test_backups_follow_the_dr_schedule_to_the_remote_dr_or_partner_centre(small_rendered) -> None:
    prov = find(small_rendered["gc-p-prod"], "CronJob", "backup-registry", "core")
    assert prov["spec"]["schedule"] == "0 2 * * *" and prov["spec"]["suspend"] is False
    assert prov["metadata"]["annotations"][L.PREFIX + "backup-target"] == "p-dr"
    city = find(small_rendered["gc-alpha-dc"], "CronJob", "backup-alpha-hall", "alpha-gov")
    assert city["spec"]["schedule"] == "30 1 * * *"
    assert city["metadata"]["annotations"][L.PREFIX + "backup-target"] == "beta-dc"  # backup partner
    env = {
        e["name"]: e["value"] for e in city["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["env"]
    }
    assert env["GC_TARGET_CLUSTER"] == "gc-beta-dc" and env["GC_TARGET_HOST"] == "beta-dc-backup-1"


def test_backup_target_matches_the_labs_backup_links(small_plan: Plan) -> None:
    hosts = {h.name: h for h in small_plan.lab.hosts}
    for link in small_plan.lab.backups:
        src = hosts[link.source]
        cluster = next(c for c in small_plan.clusters if c.centre == src.centre)
        assert backups.target(small_plan, cluster).host == link.target


def test_backup_jobs_are_suspended_outside_the_production_centre(small_rendered) -> None:
    for cluster in ("gc-p-aa", "gc-p-dr"):
        job = find(small_rendered[cluster], "CronJob", "backup-registry", "core")
        assert job["spec"]["suspend"] is True and job["metadata"]["labels"][L.STANDBY] == "true"


def test_system_without_dr_target_gets_no_backup(small_rendered) -> None:
    assert not any(o["metadata"]["name"] == "backup-portal-gateway" for objs in small_rendered.values() for o in objs)


def test_higher_mlps_gets_higher_priority_and_workloads_use_their_level(small_rendered) -> None:
    objs = small_rendered["gc-p-prod"]
    values = [find(objs, "PriorityClass", priority.name(level))["value"] for level in priority.LEVELS]
    assert values == sorted(values) and len(set(values)) == 4
    job = find(objs, "CronJob", "backup-registry", "core")  # registry is MLPS 4
    assert job["spec"]["jobTemplate"]["spec"]["template"]["spec"]["priorityClassName"] == "gc-mlps-4"


def test_every_container_passes_the_restricted_profile_with_requests_and_limits(small_rendered) -> None:
    specs = [s for objs in small_rendered.values() for s in pod_specs(objs)]
    assert specs
    for spec in specs:
        assert spec["securityContext"]["runAsNonRoot"] is True and spec["securityContext"]["runAsUser"] > 0
        assert spec["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        assert spec["automountServiceAccountToken"] is False
        assert not any(spec.get(k) for k in ("hostNetwork", "hostPID", "hostIPC"))
        for c in spec["containers"]:
            sc = c["securityContext"]
            assert sc["runAsNonRoot"] is True and sc["runAsUser"] > 0 and sc["privileged"] is False
            assert sc["allowPrivilegeEscalation"] is False and sc["capabilities"] == {"drop": ["ALL"]}
            assert sc["readOnlyRootFilesystem"] is True
            assert set(c["resources"]["requests"]) == set(c["resources"]["limits"]) == {"cpu", "memory"}


def test_images_come_from_the_topologys_lab_settings(small_plan: Plan, small_rendered) -> None:
    lab = small_plan.topology.lab
    images = {
        o["metadata"].get("namespace"): c["image"]
        for objs in small_rendered.values()
        for o in objs
        for c in (pod_specs([o])[0]["containers"] if o["kind"] in ("Deployment", "CronJob") else [])
    }
    assert images["gc-platform"] == lab.workload_image
    assert images["gc-exchange"] == lab.exchange_image
    assert images["core"] == lab.backup_image


def test_every_object_carries_upstream_labels_of_its_cluster(small_plan: Plan, small_rendered) -> None:
    for c in small_plan.clusters:
        for o in small_rendered[c.name]:
            labels = o["metadata"]["labels"]
            assert labels[L.APP_PART_OF] == "govcloud" and labels[L.APP_MANAGED_BY] == "govcloud"
            assert labels[L.APP_NAME] and labels[L.APP_COMPONENT]
            assert labels[L.REGION] == c.region and labels[L.ZONE] == c.zone
            assert all(isinstance(v, str) for v in labels.values())


def test_names_are_dns_labels_and_unique_per_kind_and_namespace(small_rendered) -> None:
    for objs in small_rendered.values():
        keys = [(o["kind"], o["metadata"].get("namespace"), o["metadata"]["name"]) for o in objs]
        assert len(keys) == len(set(keys))
        assert all(DNS_LABEL.match(name) for _, _, name in keys)


def test_renderers_never_read_files(small_plan: Plan, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*a: object, **k: object) -> None:
        raise AssertionError("a renderer opened a file")

    monkeypatch.setattr(builtins, "open", refuse)
    monkeypatch.setattr(Path, "read_text", refuse)
    assert sum(len(v) for v in render_all(small_plan).values()) > 0


def test_reference_topology_renders_every_cluster(reference_path: Path) -> None:
    plan = pipeline.load_plan(reference_path)
    rendered = render_all(plan)
    assert len(rendered) == len(plan.clusters) == 20
    assert all(by_kind(objs, "Namespace") for objs in rendered.values())
