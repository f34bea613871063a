"""The pack turns each check into a mandatory pulumi_policy policy of the right kind (the engine
running it is tested in tests/integration/pulumi_engine)."""

from __future__ import annotations

import pytest
from pulumi_policy import EnforcementLevel, ResourceValidationPolicy, StackValidationPolicy

from govcloud.crossguard import CHECKS, MLPS_ZONE
from govcloud.crossguard.pack import policy


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.name)
def test_each_check_becomes_a_mandatory_policy_of_its_kind(check) -> None:  # type: ignore[no-untyped-def]
    p = policy(check)
    assert p.name == check.name
    assert p.enforcement_level == EnforcementLevel.MANDATORY
    assert isinstance(p, ResourceValidationPolicy if check.per_object else StackValidationPolicy)
    assert p.remediation_steps == check.remediation


def test_the_mlps_threshold_is_pack_configuration_with_its_default() -> None:
    schema = policy(MLPS_ZONE).config_schema
    assert schema is not None
    assert schema.properties["isolatedZoneFrom"]["default"] == 3
