"""A namespace holding MLPS level 3+ systems sits in an isolated network zone (as GC044 asks of the design)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from govcloud.crossguard.base import Check, Finding
from govcloud.crossguard.objects import KubeObject
from govcloud.render.k8s.labels import MLPS, NET_ZONE, ZONE_ISOLATED

NAME = "mlps-level-isolated-zone"


def run(objects: Iterable[KubeObject], config: Mapping[str, Any]) -> Iterator[Finding]:
    threshold = int(config["isolatedZoneFrom"])
    for ns in objects:
        if ns.kind != "Namespace":
            continue
        raw = ns.labels.get(MLPS)
        if raw is None:
            yield Finding(
                ns,
                f"namespace '{ns.name}' on {ns.cluster} has no {MLPS} label, so its protection level cannot be checked",
            )
            continue
        try:
            level = int(str(raw))
        except ValueError:
            yield Finding(ns, f"namespace '{ns.name}' on {ns.cluster} has {MLPS}={raw!r}, not a level 1-4")
            continue
        if level >= threshold and str(ns.labels.get(ZONE_ISOLATED)) != "true":
            zone = ns.labels.get(NET_ZONE)
            where = f"zone '{zone}', which is not isolated" if zone else "no isolated zone"
            yield Finding(
                ns,
                f"namespace '{ns.name}' on {ns.cluster} holds MLPS level {level} systems but is in "
                f"{where} (level {threshold} and above must be)",
            )


CHECK = Check(
    name=NAME,
    description="Every namespace carries its MLPS level; at the configured level and above "
    "(isolatedZoneFrom, default 3) it must be in an isolated network zone.",
    remediation="Move the tenant to an isolated zone (专用网络区) in topology.yaml, or lower its systems' level if "
    "it was set wrong; govcloud renders the labels from the topology.",
    reference="GB/T 22239-2019 8.1.2.1 e) (level 3): important network areas isolated by reliable technical means",
    run=run,
    per_object=True,
    config={
        "isolatedZoneFrom": {
            "type": "integer",
            "minimum": 1,
            "maximum": 4,
            "default": 3,
            "description": "The MLPS level from which a namespace must be in an isolated zone.",
        }
    },
)
