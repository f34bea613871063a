"""Every namespace enforces the Pod Security `restricted` profile, so the API server itself refuses
privileged or root pods even if a workload slips past the container check."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from govcloud.crossguard.base import Check, Finding
from govcloud.crossguard.objects import KubeObject

NAME = "namespace-pod-security-restricted"
ENFORCE = "pod-security.kubernetes.io/enforce"


def run(objects: Iterable[KubeObject], _config: Mapping[str, Any]) -> Iterator[Finding]:
    for ns in objects:
        if ns.kind == "Namespace" and ns.labels.get(ENFORCE) != "restricted":
            got = ns.labels.get(ENFORCE)
            now = f"enforces '{got}'" if got else "enforces no Pod Security profile"
            yield Finding(ns, f"namespace '{ns.name}' on {ns.cluster} {now}; it must enforce 'restricted'")


CHECK = Check(
    name=NAME,
    description="Every namespace enforces the Pod Security Standards 'restricted' profile.",
    remediation=f"Label the namespace {ENFORCE}: restricted (govcloud's namespaces also audit and warn it).",
    reference="GB/T 22239-2019 8.1.4.2 c) least privilege; blueprint: Pod Security restricted",
    run=run,
    per_object=True,
)
