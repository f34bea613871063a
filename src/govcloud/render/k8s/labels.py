"""Label and metadata helpers every Kubernetes renderer shares.

Upstream keys first (`app.kubernetes.io/*`, `topology.kubernetes.io/*`, Pod Security), then govcloud's
own under the `govcloud.dev/` prefix. Every label value is a string (Kubernetes requires it).
"""

from __future__ import annotations

from typing import Any

from govcloud.plan.clusters import ClusterPlan

PREFIX = "govcloud.dev/"
PART_OF = "govcloud"
MANAGED_BY = "govcloud"

APP_NAME = "app.kubernetes.io/name"
APP_INSTANCE = "app.kubernetes.io/instance"
APP_COMPONENT = "app.kubernetes.io/component"
APP_PART_OF = "app.kubernetes.io/part-of"
APP_MANAGED_BY = "app.kubernetes.io/managed-by"
REGION = "topology.kubernetes.io/region"
ZONE = "topology.kubernetes.io/zone"

CLOUD = PREFIX + "cloud"
CENTRE = PREFIX + "centre"
DR_ROLE = PREFIX + "dr-role"
NET_ZONE = PREFIX + "zone"
"""The network zone (internet, extranet, dedicated, management): not the topology zone, which is the centre."""
ZONE_ISOLATED = PREFIX + "zone-isolated"
""""true" when the namespace's network zone is isolated: it takes traffic only through declared boundaries
and exposes nothing outside the cluster (the policy pack enforces this on the resources)."""
MLPS = PREFIX + "mlps-level"
TENANT = PREFIX + "tenant"
ROLE = PREFIX + "role"
"""What a namespace is for: tenant, platform or exchange (NetworkPolicies select on it)."""
SYSTEM = PREFIX + "system"
STANDBY = PREFIX + "standby"

TITLE = PREFIX + "title"
DEPARTMENT = PREFIX + "department"

PSA = "pod-security.kubernetes.io/"
PSA_LEVEL = "restricted"


def common(cluster: ClusterPlan, name: str, component: str) -> dict[str, str]:
    """Labels every object carries: what it is, who manages it, and where (region, centre, cloud)."""
    return {
        APP_NAME: name,
        APP_COMPONENT: component,
        APP_PART_OF: PART_OF,
        APP_MANAGED_BY: MANAGED_BY,
        REGION: cluster.region,
        ZONE: cluster.zone,
        CLOUD: cluster.cloud,
        CENTRE: cluster.centre,
        DR_ROLE: cluster.role.value,
    }


def selector(name: str, component: str) -> dict[str, str]:
    """The immutable subset of labels a Deployment, Service or PodDisruptionBudget selects pods by."""
    return {APP_NAME: name, APP_COMPONENT: component, APP_PART_OF: PART_OF}


def pod_security() -> dict[str, str]:
    """Pod Security Admission labels: enforce, audit and warn the `restricted` profile."""
    return {
        PSA + "enforce": PSA_LEVEL,
        PSA + "enforce-version": "latest",
        PSA + "audit": PSA_LEVEL,
        PSA + "warn": PSA_LEVEL,
    }


def metadata(
    name: str, labels: dict[str, str], namespace: str | None = None, annotations: dict[str, str] | None = None
) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name, "labels": dict(labels)}
    if namespace is not None:
        meta["namespace"] = namespace
    if annotations:
        meta["annotations"] = dict(annotations)
    return meta


def obj(api_version: str, kind: str, meta: dict[str, Any], **body: Any) -> dict[str, Any]:
    return {"apiVersion": api_version, "kind": kind, "metadata": meta, **body}
