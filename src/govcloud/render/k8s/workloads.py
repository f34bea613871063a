"""Deployment, Service and PodDisruptionBudget of one shared service instance: what platform.py and
exchange.py both render, so the two stay alike."""

from __future__ import annotations

from typing import Any

from govcloud.model.topology import PlatformService
from govcloud.plan import names
from govcloud.plan.clusters import ClusterPlan
from govcloud.render.k8s import labels as L
from govcloud.render.k8s import pods, priority, scope


def service_labels(cluster: ClusterPlan, p: PlatformService, component: str) -> dict[str, str]:
    labels = {
        **L.common(cluster, p.name, component),
        L.MLPS: str(p.mlps_level),
        L.NET_ZONE: p.zone,
        "app.kubernetes.io/instance": names.instance(p.name, cluster.centre),
    }
    if scope.is_standby(p, cluster):
        labels[L.STANDBY] = p.standby.value
    return labels


def instance(
    cluster: ClusterPlan,
    p: PlatformService,
    namespace: str,
    component: str,
    image: str,
    *,
    volumes: list[dict[str, Any]] | None = None,
    mounts: list[dict[str, Any]] | None = None,
    env: dict[str, str] | None = None,
    pod_annotations: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    labels = service_labels(cluster, p, component)
    sel = L.selector(p.name, component)
    annotations = {L.TITLE: p.title, L.PREFIX + "kind": p.kind.value}
    container = pods.container(p.name, image, p.cpu_millicores, p.memory_mib, port=p.port, env=env, mounts=mounts)
    template: dict[str, Any] = {
        "metadata": {"labels": dict(labels)},
        "spec": {
            **pods.pod_spec(
                [container], priority_class=priority.name(p.mlps_level), service_account=p.name, volumes=volumes
            ),
            "topologySpreadConstraints": [
                {
                    "labelSelector": {"matchLabels": dict(sel)},
                    "maxSkew": 1,
                    "topologyKey": "kubernetes.io/hostname",
                    "whenUnsatisfiable": "ScheduleAnyway",
                }
            ],
        },
    }
    if pod_annotations:
        template["metadata"]["annotations"] = dict(pod_annotations)
    deployment = L.obj(
        "apps/v1",
        "Deployment",
        L.metadata(p.name, labels, namespace, annotations),
        spec={
            "replicas": scope.replicas(p, cluster),
            "revisionHistoryLimit": 3,
            "selector": {"matchLabels": dict(sel)},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}},
            "template": template,
        },
    )
    service = L.obj(
        "v1",
        "Service",
        L.metadata(p.name, labels, namespace, annotations),
        spec={
            "type": "ClusterIP",
            "selector": dict(sel),
            "ports": [{"name": "http", "port": p.port, "protocol": "TCP", "targetPort": "http"}],
        },
    )
    pdb = L.obj(
        "policy/v1",
        "PodDisruptionBudget",
        L.metadata(p.name, labels, namespace),
        spec={
            "maxUnavailable": 1,
            "selector": {"matchLabels": dict(sel)},
        },
    )
    account = pods.service_account(L.metadata(p.name, labels, namespace))
    return [account, deployment, service, pdb]
