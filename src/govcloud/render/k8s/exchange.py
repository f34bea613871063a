"""The data sharing and exchange service (政务数据共享交换平台) on the provincial centres and every city
cloud, in `gc-exchange`. A ConfigMap names each instance's peers: upstream (归集: a city sends its data
to the provincial centres), downstream (数据回流: the provincial centres send data back to every city),
and siblings (the provincial centres among themselves). Peers are named by cluster (= kubeconfig
context), namespace, Service and port: no invented DNS names."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from govcloud.model.topology import CloudKind, PlatformService
from govcloud.plan import Plan
from govcloud.plan.clusters import ClusterPlan
from govcloud.render.k8s import labels as L
from govcloud.render.k8s import namespaces, scope, workloads

COMPONENT = "exchange"
CONFIG_DIR = "/etc/govcloud/exchange"


@dataclass(frozen=True, slots=True)
class Peers:
    upstream: list[ClusterPlan]
    downstream: list[ClusterPlan]
    siblings: list[ClusterPlan]

    def all(self) -> list[ClusterPlan]:
        return [*self.upstream, *self.downstream, *self.siblings]


def peers(plan: Plan, cluster: ClusterPlan, p: PlatformService) -> Peers:
    home = [c for c in plan.clusters if c.cloud == p.cloud]
    cities = [c for c in plan.clusters if c.cloud_kind == CloudKind.CITY and c.cloud != p.cloud]
    if cluster.cloud == p.cloud:
        return Peers([], cities, [c for c in home if c.name != cluster.name])
    return Peers(home, [], [])


def config_name(p: PlatformService) -> str:
    return f"{p.name}-peers"


def _peer(c: ClusterPlan, p: PlatformService) -> dict[str, Any]:
    return {
        "cluster": c.name,
        "context": c.context,
        "cloud": c.cloud,
        "centre": c.centre,
        "role": c.role.value,
        "namespace": scope.EXCHANGE_NS,
        "service": p.name,
        "port": p.port,
        "standby": scope.is_standby(p, c),
    }


def config(plan: Plan, cluster: ClusterPlan, p: PlatformService) -> dict[str, str]:
    ps = peers(plan, cluster, p)
    mode = "provincial" if cluster.cloud == p.cloud else "city"
    doc = {
        "self": _peer(cluster, p),
        "mode": mode,
        "upstream": [_peer(c, p) for c in ps.upstream],
        "downstream": [_peer(c, p) for c in ps.downstream],
        "siblings": [_peer(c, p) for c in ps.siblings],
    }
    return {"mode": mode, "peers.json": json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"}


def render(plan: Plan, cluster: ClusterPlan) -> list[dict[str, Any]]:
    services = scope.exchange_services(plan, cluster)
    if not services:
        return []
    zones = {(p.cloud, p.zone) for p in services}
    cloud, zone = zones.pop() if len(zones) == 1 else (None, None)
    out = [
        namespaces.namespace(
            cluster,
            scope.EXCHANGE_NS,
            COMPONENT,
            zone=zone,
            isolated=cloud is not None and scope.zone_isolated(plan, cloud, zone),
            mlps_level=max(p.mlps_level for p in services),
        )
    ]
    for p in services:
        data = config(plan, cluster, p)
        digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]
        labels = workloads.service_labels(cluster, p, COMPONENT)
        out.append(
            L.obj("v1", "ConfigMap", L.metadata(config_name(p), labels, scope.EXCHANGE_NS), data=data, immutable=False)
        )
        out += workloads.instance(
            cluster,
            p,
            scope.EXCHANGE_NS,
            COMPONENT,
            plan.topology.lab.exchange_image,
            volumes=[{"name": "peers", "configMap": {"name": config_name(p)}}],
            mounts=[{"mountPath": CONFIG_DIR, "name": "peers", "readOnly": True}],
            env={"GC_EXCHANGE_CONFIG": f"{CONFIG_DIR}/peers.json", "GC_EXCHANGE_MODE": data["mode"]},
            pod_annotations={L.PREFIX + "config-hash": digest},
        )
    return out
