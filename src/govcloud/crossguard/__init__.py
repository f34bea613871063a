"""The CrossGuard policy pack's checks: MLPS and zone rules on the Kubernetes resources at preview.

The topology rules (`govcloud.rules`) judge the design; these judge what a Pulumi program is about to
create, so a hand-made change in `infra/` cannot slip past them. Each check is a pure function over
`KubeObject`s, one module per check; `pack.py` turns them into a `pulumi_policy.PolicyPack` (the
`policy/` folder serves it to the engine).
"""

from govcloud.crossguard.base import Check, Finding
from govcloud.crossguard.containers import CHECK as CONTAINERS
from govcloud.crossguard.default_deny import CHECK as DEFAULT_DENY
from govcloud.crossguard.isolated_zone import CHECK as ISOLATED_ZONE
from govcloud.crossguard.mlps_zone import CHECK as MLPS_ZONE
from govcloud.crossguard.pod_security import CHECK as POD_SECURITY

CHECKS: tuple[Check, ...] = (DEFAULT_DENY, ISOLATED_ZONE, MLPS_ZONE, POD_SECURITY, CONTAINERS)
"""Every check, in the order the pack lists them."""

__all__ = ["CHECKS", "Check", "Finding"]
