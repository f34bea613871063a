"""GC036: every city cloud names a backup partner; industry clouds should too."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.model.topology import CentreRole, CloudKind
from govcloud.plan import Plan
from govcloud.rules.base import Finding, Rule


def check(plan: Plan) -> Iterator[Finding]:
    for c in plan.topology.clouds:
        has_dr = any(dc.role == CentreRole.REMOTE_DR for dc in c.centres)
        if c.kind != CloudKind.PROVINCIAL and c.backup_partner is None and not has_dr:
            yield Finding(
                c.at("name"),
                f"{c.kind.value} cloud '{c.name}' has no backup partner and no remote DR centre",
                "add backup_partner: <another city's cloud>",
            )


RULE = Rule(
    "GC036",
    "every-cloud-protected",
    Severity.ERROR,
    "Every cloud is protected",
    "A cloud without a remote DR centre must ship its backups to a partner; otherwise a single "
    "disaster loses its data. City clouds form a backup partnership among themselves.",
    "seed 004 §九.1: 统筹全省政务云灾备服务体系建设; 鼓励各设区市政务云节点之间形成备份合作机制",
    check=check,
    category="dr",
)
