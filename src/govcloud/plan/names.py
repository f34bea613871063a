"""Names govcloud builds from declared ones, in one place: the renderers use these functions and the
rules check what they give against Kubernetes' limits before anything is rendered."""

from __future__ import annotations

LABEL_VALUE_MAX = 63
"""Kubernetes label values (and DNS labels) are at most 63 characters."""


def instance(service: str, centre: str) -> str:
    """`app.kubernetes.io/instance` of a shared service's Deployment in one centre."""
    return f"{service}-{centre}"


PREFIX = "gc-"
"""Every name govcloud makes on the machine (clusters, lab networks, containers) starts with it."""


def lab_network(centre: str) -> str:
    """The Docker network of a centre's lab hosts."""
    return f"{PREFIX}{centre}"


BACKBONE_NETWORK = f"{PREFIX}backbone"
"""The lab network joining every centre (replication, backups)."""
