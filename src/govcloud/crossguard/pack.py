"""The govcloud policy pack: each `Check` as a `pulumi_policy` policy, all mandatory.

A per-object check becomes a ResourceValidationPolicy (it blocks the resource as it registers); the
others a StackValidationPolicy over every resource of the stack. The cluster of a resource is its
provider's name (one provider per cluster in `infra/`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyComplianceFramework,
    PolicyConfigSchema,
    PolicyPack,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from govcloud.crossguard import CHECKS
from govcloud.crossguard.base import MLPS, MLPS_VERSION, Check
from govcloud.crossguard.objects import KubeObject, from_pulumi

PACK_NAME = "govcloud"


def _cluster(provider: Any) -> str:
    return provider.name if provider is not None else "default provider"


def _object(args: Any) -> KubeObject | None:
    return from_pulumi(args.resource_type, args.props, _cluster(args.provider), args.urn)


def _config(args: Any, check: Check) -> dict[str, Any]:
    return {**check.defaults(), **(args.get_config() or {})}


def _resource_validate(check: Check) -> Callable[[ResourceValidationArgs, ReportViolation], None]:
    def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
        obj = _object(args)
        if obj is None:
            return
        for f in check.run([obj], _config(args, check)):
            report(f.message, None)

    return validate


def _stack_validate(check: Check) -> Callable[[StackValidationArgs, ReportViolation], None]:
    def validate(args: StackValidationArgs, report: ReportViolation) -> None:
        objects = [o for r in args.resources if (o := _object(r)) is not None]
        for f in check.run(objects, _config(args, check)):
            report(f.message, f.obj.ref)

    return validate


def policy(check: Check) -> ResourceValidationPolicy | StackValidationPolicy:
    common: dict[str, Any] = {
        "name": check.name,
        "description": check.description,
        "enforcement_level": EnforcementLevel.MANDATORY,
        "severity": Severity.HIGH,
        "framework": PolicyComplianceFramework(name=MLPS, version=MLPS_VERSION, reference=check.reference),
        "remediation_steps": check.remediation,
    }
    if check.config:
        common["config_schema"] = PolicyConfigSchema(properties={k: dict(v) for k, v in check.config.items()})
    if check.per_object:
        return ResourceValidationPolicy(validate=_resource_validate(check), **common)
    return StackValidationPolicy(validate=_stack_validate(check), **common)


def serve() -> None:
    """Start the pack's gRPC server (prints its port for the engine, then serves until killed)."""
    PolicyPack(
        name=PACK_NAME,
        policies=[policy(c) for c in CHECKS],
        enforcement_level=EnforcementLevel.MANDATORY,
        description="MLPS 2.0 and network-zone rules on govcloud's Kubernetes resources",
    )
