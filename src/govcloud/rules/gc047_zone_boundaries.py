"""GC047: traffic between zones of a cloud crosses only a declared boundary."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.plan import Plan
from govcloud.rules.base import Finding, Rule


def check(plan: Plan) -> Iterator[Finding]:
    ix = plan.index
    for s in plan.topology.systems:
        src_cloud, src_zone = ix.system_cloud(s), ix.system_zone(s)
        if src_cloud is None or src_zone is None:
            continue
        declared = {(b.from_zone, b.to) for b in src_cloud.boundaries}
        for i, other in enumerate(s.connects_to):
            o = ix.systems.get(other)
            dst_cloud, dst_zone = (ix.system_cloud(o), ix.system_zone(o)) if o else (None, None)
            if dst_cloud is None or dst_zone is None or dst_cloud.name != src_cloud.name:
                continue
            if dst_zone.name != src_zone.name and (src_zone.name, dst_zone.name) not in declared:
                yield Finding(
                    s.at("connects_to", i),
                    f"'{s.name}' ({src_zone.name}) calls '{other}' ({dst_zone.name}) in cloud "
                    f"'{src_cloud.name}' with no declared boundary",
                    f"declare a boundary from: {src_zone.name}, to: {dst_zone.name} with its ports",
                )


RULE = Rule(
    "GC047",
    "zone-boundaries",
    Severity.ERROR,
    "Zones talk only through declared boundaries",
    "Zones (互联网区, 公用网络区, 专用网络区, management) are separated, and traffic between them crosses "
    "only declared boundaries — firewalls or gatekeepers with access control (应在网络边界或区域之间根据"
    "访问控制策略设置访问控制规则). The generated NetworkPolicies allow exactly these crossings.",
    "GB/T 22239-2019 8.1.3.2 访问控制; seed 002 (zones of the e-government network)",
    check=check,
    category="security",
)
