"""Every namespace has a default-deny NetworkPolicy: nothing talks unless a later policy allows it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from govcloud.crossguard.base import Check, Finding
from govcloud.crossguard.objects import KubeObject, namespaces

NAME = "namespace-default-deny"


def is_default_deny(policy: KubeObject) -> bool:
    """Selects every pod, governs both directions, and allows nothing."""
    spec = policy.spec
    selector = spec.get("podSelector")
    selects_all = selector is not None and not (selector.get("matchLabels") or selector.get("matchExpressions"))
    both = {"Ingress", "Egress"} <= set(spec.get("policyTypes") or ())
    return selects_all and both and not spec.get("ingress") and not spec.get("egress")


def run(objects: Iterable[KubeObject], _config: Mapping[str, Any]) -> Iterator[Finding]:
    objs = list(objects)
    denied = {
        (o.cluster, o.namespace) for o in objs if o.kind == "NetworkPolicy" and o.namespace and is_default_deny(o)
    }
    for key, ns in sorted(namespaces(objs).items()):
        if key not in denied:
            yield Finding(
                ns,
                f"namespace '{ns.name}' on {ns.cluster} has no default-deny NetworkPolicy, so every "
                "pod in it takes and makes any connection",
            )


CHECK = Check(
    name=NAME,
    description="Every namespace has a NetworkPolicy that selects all pods, covers Ingress and Egress, and "
    "allows nothing; other policies then open only what the design declares.",
    remediation="Add a NetworkPolicy to the namespace with podSelector {}, policyTypes [Ingress, Egress] and no "
    "ingress or egress rules (govcloud renders one named default-deny).",
    reference="GB/T 22239-2019 8.1.3.2 a) access control between areas: deny by default, allow what is declared",
    run=run,
)
