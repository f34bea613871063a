"""Every container runs as non-root, cannot escalate, and has CPU and memory limits.

Applies to the pod template of every workload kind (and bare Pods). A container's securityContext
overrides its pod's, as the kubelet does; init and ephemeral containers count like the others.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from govcloud.crossguard.base import Check, Finding
from govcloud.crossguard.objects import KubeObject

NAME = "containers-non-root-with-limits"
LIMITS = ("cpu", "memory")


def problems(container: Mapping[str, Any], pod_sc: Mapping[str, Any]) -> list[str]:
    sc = container.get("securityContext") or {}
    out = []
    non_root = sc.get("runAsNonRoot", pod_sc.get("runAsNonRoot"))
    user = sc.get("runAsUser", pod_sc.get("runAsUser"))
    if user == 0:
        out.append("runs as user 0")
    elif non_root is not True:
        out.append("may run as root (set securityContext.runAsNonRoot: true)")
    if sc.get("privileged") is True:
        out.append("is privileged")
    if sc.get("allowPrivilegeEscalation") is not False:
        out.append("may escalate privileges (set securityContext.allowPrivilegeEscalation: false)")
    limits = (container.get("resources") or {}).get("limits") or {}
    missing = [r for r in LIMITS if r not in limits]
    if missing:
        fields = " and ".join(f"resources.limits.{r}" for r in missing)
        out.append(f"has no {' or '.join(missing)} limit (set {fields})")
    return out


def run(objects: Iterable[KubeObject], _config: Mapping[str, Any]) -> Iterator[Finding]:
    for obj in objects:
        spec = obj.pod_spec()
        if spec is None:
            continue
        pod_sc = spec.get("securityContext") or {}
        for field in ("initContainers", "containers", "ephemeralContainers"):
            for c in spec.get(field) or ():
                found = problems(c, pod_sc)
                if found:
                    yield Finding(obj, f"{obj.describe()}: container '{c.get('name', '?')}' {'; '.join(found)}")


CHECK = Check(
    name=NAME,
    description="Every container of every workload runs as non-root without privilege escalation and has CPU "
    "and memory limits.",
    remediation="Set securityContext.runAsNonRoot: true and allowPrivilegeEscalation: false on the container "
    "(or runAsNonRoot on the pod), and resources.limits.cpu and .memory.",
    reference="GB/T 22239-2019 8.1.4.2 c) least privilege; limits: tenants share nodes, so one tenant's pods must "
    "not starve another's (the blueprint's ResourceQuota per tenant)",
    run=run,
    per_object=True,
)
