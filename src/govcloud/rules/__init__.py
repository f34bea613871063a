"""Rules stage: every semantic rule, one module each, in an explicit registry.

Adding a rule: write `gcNNN_name.py` with a `check(plan)` and a `RULE`, add it to `_MODULES`, and add
a case to tests/unit/rules/cases/. The docs' rule catalogue is generated from this registry.
"""

from __future__ import annotations

from govcloud.diagnostics import MAX_PER_RULE, Diagnostic, cap
from govcloud.load import Document
from govcloud.plan import Plan
from govcloud.rules import (
    gc010_cloud_counts,
    gc011_unique_names,
    gc012_references,
    gc013_division_codes,
    gc014_extranet_tiers,
    gc015_hosting,
    gc016_reserved_names,
    gc017_generated_names,
    gc020_ipv4_overlap,
    gc021_ipv6_overlap,
    gc022_prefix_capacity,
    gc023_ipv6_everywhere,
    gc024_lab_range,
    gc030_two_sites_three_centres,
    gc031_same_city_distance,
    gc032_remote_dr_distance,
    gc033_backup_partner_self,
    gc034_backup_partner_city,
    gc035_backup_partner_capacity,
    gc036_every_city_protected,
    gc037_dr_targets,
    gc038_dr_level_table,
    gc039_failover_timings,
    gc040_classified_isolation,
    gc041_cloud_mlps_ceiling,
    gc042_realtime_backup,
    gc043_redundant_links,
    gc044_isolated_zone,
    gc045_dedicated_pool,
    gc046_management_apart,
    gc047_zone_boundaries,
    gc048_tenant_level,
    gc050_cloud_capacity,
    gc051_tenant_quota,
    gc052_dr_centre_capacity,
    gc053_platform_on_provincial,
    gc060_kpi_targets,
    syntax,
)
from govcloud.rules.base import Finding, Rule

_MODULES = (
    gc010_cloud_counts,
    gc011_unique_names,
    gc012_references,
    gc013_division_codes,
    gc014_extranet_tiers,
    gc015_hosting,
    gc016_reserved_names,
    gc017_generated_names,
    gc020_ipv4_overlap,
    gc021_ipv6_overlap,
    gc022_prefix_capacity,
    gc023_ipv6_everywhere,
    gc024_lab_range,
    gc030_two_sites_three_centres,
    gc031_same_city_distance,
    gc032_remote_dr_distance,
    gc033_backup_partner_self,
    gc034_backup_partner_city,
    gc035_backup_partner_capacity,
    gc036_every_city_protected,
    gc037_dr_targets,
    gc038_dr_level_table,
    gc039_failover_timings,
    gc040_classified_isolation,
    gc041_cloud_mlps_ceiling,
    gc042_realtime_backup,
    gc043_redundant_links,
    gc044_isolated_zone,
    gc045_dedicated_pool,
    gc046_management_apart,
    gc047_zone_boundaries,
    gc048_tenant_level,
    gc050_cloud_capacity,
    gc051_tenant_quota,
    gc052_dr_centre_capacity,
    gc053_platform_on_provincial,
    gc060_kpi_targets,
)

SEMANTIC: tuple[Rule, ...] = tuple(m.RULE for m in _MODULES)
REGISTRY: dict[str, Rule] = {r.id: r for r in (*syntax.RULES, *SEMANTIC)}

__all__ = ["REGISTRY", "SEMANTIC", "Finding", "Rule", "run"]


def run(plan: Plan, doc: Document | None = None, *, per_rule: int = MAX_PER_RULE) -> list[Diagnostic]:
    """Run every semantic rule; collect all findings (a rule never stops the others). At most
    `per_rule` findings of each rule are kept, then one '… and N more' line (0 keeps all)."""
    out: list[Diagnostic] = []
    for rule in SEMANTIC:
        assert rule.check is not None
        found = [
            Diagnostic(
                rule=rule.id,
                severity=rule.severity,
                message=f.message,
                path=f.path,
                hint=f.hint or rule.hint,
                location=doc.locate(f.path) if doc else None,
            )
            for f in rule.check(plan)
        ]
        out += cap(found, per_rule)
    return out
