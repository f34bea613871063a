"""GC016: tenant names stay clear of the namespaces govcloud and Kubernetes keep for themselves."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.plan import Plan, names
from govcloud.rules.base import Finding, Rule

RESERVED_PREFIXES = ("gc-", "kube-")
"""gc-: govcloud's own namespaces (gc-platform, gc-exchange); kube-: Kubernetes' (kube-system, ...)."""
RESERVED_NAMES = ("default",)


def _generated_networks(plan: Plan) -> Iterator[Finding]:
    """A centre whose lab network name is one govcloud makes for itself (a centre named 'backbone')."""
    for c in plan.topology.clouds:
        for dc in c.centres:
            if names.lab_network(dc.name) == names.BACKBONE_NETWORK:
                yield Finding(
                    dc.at("name"),
                    f"centre name '{dc.name}' is reserved: its lab network would be {names.BACKBONE_NETWORK}, "
                    "the network govcloud joins every centre with",
                    "rename the centre",
                )


def check(plan: Plan) -> Iterator[Finding]:
    yield from _generated_networks(plan)
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
    "Declared names do not take names govcloud makes",
    "Each tenant becomes a namespace in every cluster of its cloud. govcloud's shared services live in "
    "gc-platform and gc-exchange, and Kubernetes keeps default and kube-*; a tenant with such a name "
    "would share, and open up, a namespace that is not its own. Likewise a centre's lab network is "
    "gc-<centre>, and gc-backbone joins every centre: a centre named backbone would merge the two.",
    "Kubernetes namespaces; govcloud's namespace layout (docs/kubernetes.md)",
    check=check,
)
