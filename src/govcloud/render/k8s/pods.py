"""Pod and container specs that pass the Pod Security `restricted` profile, shared by every workload.

Non-root with a fixed non-zero UID (65532, the distroless `nonroot` user), RuntimeDefault seccomp, no
privilege escalation, every capability dropped, a read-only root file system (writable /tmp from an
emptyDir), no service-account token, and requests and limits on every container (limits = requests:
Guaranteed QoS, so the kubelet evicts these pods last).
"""

from __future__ import annotations

from typing import Any

RUN_AS = 65532
PULL_POLICY = "IfNotPresent"
"""Lab images are preloaded (kind) or never pulled (kwok); no registry is reachable."""


def resources(cpu_millicores: int, memory_mib: int) -> dict[str, Any]:
    amount = {"cpu": f"{cpu_millicores}m", "memory": f"{memory_mib}Mi"}
    return {"requests": dict(amount), "limits": dict(amount)}


def probe(path: str, period_s: int) -> dict[str, Any]:
    return {
        "httpGet": {"path": path, "port": "http"},
        "initialDelaySeconds": 1,
        "periodSeconds": period_s,
        "timeoutSeconds": 2,
        "failureThreshold": 3,
    }


def container_security() -> dict[str, Any]:
    return {
        "allowPrivilegeEscalation": False,
        "capabilities": {"drop": ["ALL"]},
        "privileged": False,
        "readOnlyRootFilesystem": True,
        "runAsGroup": RUN_AS,
        "runAsNonRoot": True,
        "runAsUser": RUN_AS,
        "seccompProfile": {"type": "RuntimeDefault"},
    }


def pod_security() -> dict[str, Any]:
    return {
        "fsGroup": RUN_AS,
        "runAsGroup": RUN_AS,
        "runAsNonRoot": True,
        "runAsUser": RUN_AS,
        "seccompProfile": {"type": "RuntimeDefault"},
    }


def container(
    name: str,
    image: str,
    cpu_millicores: int,
    memory_mib: int,
    *,
    port: int | None = None,
    env: dict[str, str] | None = None,
    mounts: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    c: dict[str, Any] = {
        "name": name,
        "image": image,
        "imagePullPolicy": PULL_POLICY,
        "resources": resources(cpu_millicores, memory_mib),
        "securityContext": container_security(),
        "volumeMounts": [{"mountPath": "/tmp", "name": "tmp"}, *(mounts or [])],
    }
    if port is not None:
        # The lab service image (images/kind-node/lab-service/serve) listens on GC_HTTP_PORT and
        # answers /healthz (alive) and /readyz (its mounted configuration is readable).
        c["ports"] = [{"containerPort": port, "name": "http", "protocol": "TCP"}]
        env = {**(env or {}), "GC_HTTP_PORT": str(port)}
        c["readinessProbe"] = probe("/readyz", period_s=5)
        c["livenessProbe"] = probe("/healthz", period_s=10)
    if env:
        c["env"] = [{"name": k, "value": v} for k, v in sorted(env.items())]
    return c


def pod_spec(
    containers: list[dict[str, Any]],
    *,
    priority_class: str,
    service_account: str,
    volumes: list[dict[str, Any]] | None = None,
    restart_policy: str | None = None,
) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "automountServiceAccountToken": False,
        "containers": containers,
        "enableServiceLinks": False,
        "priorityClassName": priority_class,
        "securityContext": pod_security(),
        "serviceAccountName": service_account,
        "volumes": [{"emptyDir": {"sizeLimit": "64Mi"}, "name": "tmp"}, *(volumes or [])],
    }
    if restart_policy is not None:
        spec["restartPolicy"] = restart_policy
    return spec


def service_account(meta: dict[str, Any]) -> dict[str, Any]:
    """A ServiceAccount per workload (never `default`), with no token mounted."""
    return {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta, "automountServiceAccountToken": False}
