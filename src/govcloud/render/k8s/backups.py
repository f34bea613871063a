"""Backup CronJobs, one per cloud-hosted system with a DR target, on the schedule its DR policy declares.

Backups land in the cloud's remote DR centre, or (a cloud without one) in its backup partner's centre:
the same target the lab's backup hosts use (`plan.lab.backups`). The job runs in the production centre;
the cloud's other centres carry the same CronJob suspended, so a failover only has to unsuspend it.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import Any

from govcloud.model.topology import CentreRole, System
from govcloud.model.types import format_duration
from govcloud.plan import Plan
from govcloud.plan.clusters import ClusterPlan
from govcloud.render.k8s import labels as L
from govcloud.render.k8s import pods, priority, scope

COMPONENT = "backup"
SERVICE_ACCOUNT = "gc-backup"
SSH_PORT = 22
"""Backups are shipped to the target backup host over SSH (rsync / pg_basebackup over ssh)."""


@dataclass(frozen=True, slots=True)
class BackupTarget:
    centre: str
    cluster: str | None
    host: str | None
    addresses: tuple[IPv4Address, ...]
    """The target host's lab addresses (centre network and backbone), for the egress NetworkPolicy."""


def target(plan: Plan, cluster: ClusterPlan) -> BackupTarget | None:
    """Where this cloud's backups go: the lab's backup link for its production database if there is one,
    else the remote DR centre, else the backup partner's centre (`Index.backup_centre`)."""
    hosts = {h.name: h for h in plan.lab.hosts}
    clusters = {c.centre: c.name for c in plan.clusters}
    for link in plan.lab.backups:
        src, dst = hosts.get(link.source), hosts.get(link.target)
        if src is not None and dst is not None and src.cloud == cluster.cloud:
            return BackupTarget(dst.centre, clusters.get(dst.centre), dst.name, (dst.ipv4, dst.backbone_ipv4))
    cloud = plan.index.clouds.get(cluster.cloud)
    if cloud is None:
        return None
    dc = plan.index.centre(cloud, CentreRole.REMOTE_DR) or plan.index.backup_centre(cloud)
    return None if dc is None else BackupTarget(dc.name, clusters.get(dc.name), None, ())


def backed_up(plan: Plan, cluster: ClusterPlan) -> list[System]:
    return [s for s in scope.systems(plan, cluster) if s.dr is not None]


def cronjob(plan: Plan, cluster: ClusterPlan, s: System, tgt: BackupTarget | None) -> dict[str, Any]:
    assert s.dr is not None and s.tenant is not None
    name = f"backup-{s.name}"
    standby = cluster.role != CentreRole.PRODUCTION
    labels = {**L.common(cluster, name, COMPONENT), L.SYSTEM: s.name, L.TENANT: s.tenant, L.MLPS: str(s.mlps_level)}
    env = {
        "GC_SYSTEM": s.name,
        "GC_TENANT": s.tenant,
        "GC_SOURCE_CENTRE": cluster.centre,
        "GC_DR_LEVEL": str(s.dr.level),
        "GC_RPO_SECONDS": str(s.dr.rpo),
        "GC_REPLICATION": s.dr.replication.value,
        "GC_TARGET_CENTRE": tgt.centre if tgt else "",
        "GC_TARGET_CLUSTER": (tgt.cluster or "") if tgt else "",
        "GC_TARGET_HOST": (tgt.host or "") if tgt else "",
        "GC_TARGET_ADDRESS": str(tgt.addresses[0]) if tgt and tgt.addresses else "",
    }
    container = pods.container("backup", plan.topology.lab.backup_image, 100, 128, env=env)
    template = {
        "metadata": {"labels": dict(labels)},
        "spec": pods.pod_spec(
            [container],
            priority_class=priority.name(s.mlps_level),
            service_account=SERVICE_ACCOUNT,
            restart_policy="Never",
        ),
    }
    annotations = {
        L.TITLE: s.title,
        L.PREFIX + "rpo": format_duration(s.dr.rpo),
        L.PREFIX + "rto": format_duration(s.dr.rto),
        L.PREFIX + "backup-target": tgt.centre if tgt else "none",
    }
    if standby:
        labels[L.STANDBY] = "true"
    return L.obj(
        "batch/v1",
        "CronJob",
        L.metadata(name, labels, s.tenant, annotations),
        spec={
            "schedule": s.dr.backup_schedule,
            "suspend": standby,
            "concurrencyPolicy": "Forbid",
            "startingDeadlineSeconds": 300,
            "successfulJobsHistoryLimit": 3,
            "failedJobsHistoryLimit": 3,
            "jobTemplate": {
                "metadata": {"labels": dict(labels)},
                "spec": {"backoffLimit": 2, "ttlSecondsAfterFinished": 86400, "template": template},
            },
        },
    )


def render(plan: Plan, cluster: ClusterPlan) -> list[dict[str, Any]]:
    systems = backed_up(plan, cluster)
    if not systems:
        return []
    tgt = target(plan, cluster)
    out = [cronjob(plan, cluster, s, tgt) for s in systems]
    for tenant in sorted({s.tenant for s in systems if s.tenant}):
        meta = L.metadata(SERVICE_ACCOUNT, {**L.common(cluster, SERVICE_ACCOUNT, COMPONENT), L.TENANT: tenant}, tenant)
        out.append(pods.service_account(meta))
    return out
