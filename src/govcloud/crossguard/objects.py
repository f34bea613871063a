"""One view of a Kubernetes object, whether it comes from a Pulumi resource or a rendered manifest.

Pulumi names a Kubernetes type `kubernetes:<group>/<version>:<Kind>` (the core group is `core`); its
properties are the object's fields (`metadata`, `spec`, ...). The cluster an object goes to is its
provider: namespaces repeat across clusters, so every check keys namespaces by (cluster, name).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

WORKLOAD_KINDS = ("Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob")


@dataclass(frozen=True, slots=True)
class KubeObject:
    api_version: str
    kind: str
    name: str
    namespace: str | None
    cluster: str
    """The provider the object is created through (a kubeconfig context in a manifest)."""
    body: Mapping[str, Any]
    ref: str
    """How to point at the object: its Pulumi URN, or `<cluster>/<kind>/<name>` for a manifest."""

    @property
    def labels(self) -> Mapping[str, Any]:
        meta = self.body.get("metadata") or {}
        return meta.get("labels") or {}

    @property
    def spec(self) -> Mapping[str, Any]:
        return self.body.get("spec") or {}

    def describe(self) -> str:
        where = f"namespace '{self.namespace}' on {self.cluster}" if self.namespace else self.cluster
        return f"{self.kind} '{self.name}' ({where})"

    def pod_spec(self) -> Mapping[str, Any] | None:
        """The pod template's spec of a workload (or the Pod's own spec); None for other kinds."""
        if self.kind not in WORKLOAD_KINDS:
            return None
        spec: Mapping[str, Any] = self.spec
        if self.kind == "CronJob":
            spec = (spec.get("jobTemplate") or {}).get("spec") or {}
        if self.kind != "Pod":
            spec = (spec.get("template") or {}).get("spec") or {}
        return spec


def api_version_of(type_token: str) -> tuple[str, str] | None:
    """`kubernetes:apps/v1:Deployment` → ("apps/v1", "Deployment"); None for non-Kubernetes types."""
    parts = type_token.split(":")
    if len(parts) != 3 or parts[0] != "kubernetes" or "/" not in parts[1]:
        return None
    group, version = parts[1].split("/", 1)
    return (version if group == "core" else f"{group}/{version}"), parts[2]


def from_pulumi(type_token: str, props: Mapping[str, Any], cluster: str, urn: str) -> KubeObject | None:
    """A Pulumi resource's view; None when it is not a Kubernetes object (providers, components, ...)."""
    kind = api_version_of(type_token)
    if kind is None or kind[1].endswith("List") or kind[1] == "ConfigGroup":
        return None
    meta = props.get("metadata") or {}
    return KubeObject(
        api_version=kind[0],
        kind=kind[1],
        name=str(meta.get("name") or ""),
        namespace=meta.get("namespace"),
        cluster=cluster,
        body=props,
        ref=urn,
    )


def from_manifest(obj: Mapping[str, Any], cluster: str) -> KubeObject:
    meta = obj.get("metadata") or {}
    ns = meta.get("namespace")
    name = str(meta.get("name") or "")
    ref = f"{cluster}/{obj.get('kind')}/{ns + '/' if ns else ''}{name}"
    return KubeObject(
        api_version=str(obj.get("apiVersion")),
        kind=str(obj.get("kind")),
        name=name,
        namespace=ns,
        cluster=cluster,
        body=obj,
        ref=ref,
    )


def namespaces(objects: list[KubeObject]) -> dict[tuple[str, str], KubeObject]:
    """The stack's Namespace objects by (cluster, name)."""
    return {(o.cluster, o.name): o for o in objects if o.kind == "Namespace" and o.api_version == "v1"}
