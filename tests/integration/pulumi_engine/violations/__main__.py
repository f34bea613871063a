"""One object per policy of the govcloud pack, each breaking exactly that policy.

Everything else about them is what govcloud renders (labels, default-deny policies, security contexts),
so a policy that fires on the wrong object shows up as an extra violation in the test.
"""

import pulumi
import pulumi_kubernetes as k8s

config = pulumi.Config()
provider = k8s.Provider("gc-p-prod", kubeconfig=config.get("kubeconfig") or "/nonexistent/kubeconfig")
opts = pulumi.ResourceOptions(provider=provider)

RESTRICTED = {"pod-security.kubernetes.io/enforce": "restricted"}
SAFE = {
    "runAsNonRoot": True,
    "allowPrivilegeEscalation": False,
    "capabilities": {"drop": ["ALL"]},
    "seccompProfile": {"type": "RuntimeDefault"},
}
LIMITS = {"limits": {"cpu": "500m", "memory": "256Mi"}, "requests": {"cpu": "100m", "memory": "128Mi"}}


def namespace(name: str, *, zone: str, isolated: bool, level: str, psa: dict[str, str], deny: bool = True) -> None:
    labels = {
        **psa,
        "govcloud.dev/zone": zone,
        "govcloud.dev/zone-isolated": str(isolated).lower(),
        "govcloud.dev/mlps-level": level,
    }
    k8s.core.v1.Namespace(name, metadata={"name": name, "labels": labels}, opts=opts)
    if deny:
        k8s.networking.v1.NetworkPolicy(
            f"{name}-default-deny",
            metadata={"name": "default-deny", "namespace": name},
            spec={"podSelector": {}, "policyTypes": ["Ingress", "Egress"]},
            opts=opts,
        )


def deployment(name: str, namespace: str, security: dict, resources: dict) -> None:
    labels = {"app.kubernetes.io/name": name}
    k8s.apps.v1.Deployment(
        name,
        metadata={"name": name, "namespace": namespace},
        spec={
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "containers": [
                        {
                            "name": "app",
                            "image": "registry.invalid/app:1",
                            "securityContext": security,
                            "resources": resources,
                        }
                    ]
                },
            },
        },
        opts=opts,
    )


# namespace-default-deny: an isolated tenant namespace without its default-deny NetworkPolicy.
namespace("intake", zone="dedicated", isolated=True, level="3", psa=RESTRICTED, deny=False)
# isolated-zone-not-exposed: a LoadBalancer Service in an isolated zone (in a namespace otherwise right).
namespace("registry", zone="dedicated", isolated=True, level="4", psa=RESTRICTED)
k8s.core.v1.Service(
    "registry-public",
    metadata={"name": "registry-public", "namespace": "registry"},
    spec={
        "type": "LoadBalancer",
        "selector": {"app.kubernetes.io/name": "registry"},
        "ports": [{"port": 443, "targetPort": 8443}],
    },
    opts=opts,
)
# mlps-level-isolated-zone: level 3 systems in an open zone.
namespace("permits", zone="extranet", isolated=False, level="3", psa=RESTRICTED)
# namespace-pod-security-restricted: a level 2 namespace that only enforces `baseline`.
namespace("notices", zone="extranet", isolated=False, level="2", psa={"pod-security.kubernetes.io/enforce": "baseline"})
# containers-non-root-with-limits: a container that may run as root and has no limits.
deployment("notices-web", "notices", {"allowPrivilegeEscalation": False}, {})
# ... and one that is right, which no policy may flag.
deployment("notices-api", "notices", SAFE, LIMITS)
