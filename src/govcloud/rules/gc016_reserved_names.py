"""GC016: tenant names stay clear of the namespaces govcloud and Kubernetes keep for themselves."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.plan import Plan
from govcloud.rules.base import Finding, Rule

RESERVED_PREFIXES = ("gc-", "kube-")
"""gc-: govcloud's own namespaces (gc-platform, gc-exchange); kube-: Kubernetes' (kube-system, ...)."""
RESERVED_NAMES = ("default",)


def check(plan: Plan) -> Iterator[Finding]:
    for t in plan.topology.tenants:
        prefix = next((p for p in RESERVED_PREFIXES if t.name.startswith(p)), None)
        if prefix is None and t.name not in RESERVED_NAMES:
            continue
        owner = "govcloud" if prefix == "gc-" else "Kubernetes"
        yield Finding(
            t.at("name"),
            f"tenant name '{t.name}' is reserved: its namespace would be one {owner} keeps "
            f"for itself (reserved: {', '.join(p + '*' for p in RESERVED_PREFIXES)}, "
            f"{', '.join(RESERVED_NAMES)})",
            "rename the tenant",
        )


RULE = Rule(
    "GC016",
    "reserved-names",
    Severity.ERROR,
    "Tenant names are not reserved namespace names",
    "Each tenant becomes a namespace in every cluster of its cloud. govcloud's shared services live in "
    "gc-platform and gc-exchange, and Kubernetes keeps default and kube-*; a tenant with such a name "
    "would share, and open up, a namespace that is not its own.",
    "Kubernetes namespaces; govcloud's namespace layout (docs/kubernetes.md)",
    check=check,
)
