"""Nothing in an isolated network zone is reachable from outside the cluster.

A namespace of an isolated zone carries `govcloud.dev/zone-isolated: "true"`. Its Services stay
ClusterIP (no NodePort, LoadBalancer, ExternalName or externalIPs), it has no Ingress, and no
NetworkPolicy in it admits the whole address space: traffic comes in only through the boundaries
the cloud declares (GC047), which the renderer turns into namespace-selected policies.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from govcloud.crossguard.base import Check, Finding
from govcloud.crossguard.objects import KubeObject, namespaces
from govcloud.render.k8s.labels import NET_ZONE, ZONE_ISOLATED

NAME = "isolated-zone-not-exposed"
EXPOSING_TYPES = ("NodePort", "LoadBalancer", "ExternalName")
ANYWHERE = ("0.0.0.0/0", "::/0")


def _exposure(obj: KubeObject) -> str | None:
    """How `obj` would expose its namespace outside the cluster, or None."""
    if obj.kind == "Service":
        kind = obj.spec.get("type") or "ClusterIP"
        if kind in EXPOSING_TYPES:
            return f"is type {kind}"
        if obj.spec.get("externalIPs"):
            return "has externalIPs"
    elif obj.kind == "Ingress":
        return "is an Ingress"
    elif obj.kind == "NetworkPolicy":
        for rule in obj.spec.get("ingress") or ():
            peers = rule.get("from")
            if not peers:
                return "admits ingress from every source (a rule without `from`)"
            for peer in peers:
                cidr = (peer.get("ipBlock") or {}).get("cidr")
                if cidr in ANYWHERE:
                    return f"admits ingress from {cidr}"
    return None


def run(objects: Iterable[KubeObject], _config: Mapping[str, Any]) -> Iterator[Finding]:
    objs = list(objects)
    ns_objs = namespaces(objs)
    for obj in objs:
        ns = ns_objs.get((obj.cluster, obj.namespace or ""))
        if ns is None or str(ns.labels.get(ZONE_ISOLATED)) != "true":
            continue
        how = _exposure(obj)
        if how is not None:
            zone = ns.labels.get(NET_ZONE, "?")
            yield Finding(
                obj,
                f"{obj.describe()} {how}, but zone '{zone}' is isolated: nothing in it may be "
                "reachable from outside the cluster",
            )


CHECK = Check(
    name=NAME,
    description="Namespaces of an isolated network zone expose nothing outside the cluster: ClusterIP Services "
    "only, no Ingress, no NetworkPolicy admitting every address.",
    remediation="Make the Service ClusterIP (no externalIPs) and reach it through a boundary declared in the "
    "topology (boundaries: from/to/ports), which opens exactly those ports from that zone.",
    reference="GB/T 22239-2019 8.1.2.1 e) important network areas are isolated from others by reliable technical "
    "means; blueprint: default-deny NetworkPolicies",
    run=run,
)
