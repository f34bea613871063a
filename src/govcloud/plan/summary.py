"""What `govcloud plan -o json` prints: a contract, as models. docs/plan.schema.json is exported from
them (`make docs`), so a consumer can validate what it reads and a change to the shape is a change
to the published schema."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from govcloud.model.topology import CloudKind
from govcloud.plan.extranet import TIERS

if TYPE_CHECKING:
    from govcloud.plan import Plan

SCHEMA_ID = "https://govcloud.dev/schemas/plan-v1alpha1.json"


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class CloudCounts(_Out):
    provincial: int
    city: int
    industry: int
    total: int


class CentreRow(_Out):
    cloud: str
    centre: str
    role: str
    """production, active-active or remote-dr."""
    city: str
    """Name of the city the centre stands in."""


class ClusterRow(_Out):
    name: str
    """Cluster and kubeconfig context name, gc-<centre>."""
    cloud: str
    centre: str
    role: str
    region: str
    nodes: int
    pod_ipv4: str | None
    service_ipv4: str | None
    pod_ipv6: str | None
    service_ipv6: str | None


class TierRow(_Out):
    nodes: int
    """Extranet nodes of the tier."""
    ipv4_capacity: int
    ipv6_capacity: int
    ipv4_used: float | None
    """nodes ÷ IPv4 capacity."""


class LinkRow(_Out):
    kind: str
    """same-city, remote-dr or backup-partner."""
    cloud: str
    from_: str = Field(alias="from")
    to: str
    km: float
    """Great-circle distance."""
    route_km: float
    """Estimated fibre route (great circle × standards.distance.fibre_route_factor)."""
    rtt_ms: float
    """Round trip over that fibre."""


class NetworkRow(_Out):
    name: str
    """Docker network name (gc-<centre>, gc-backbone)."""
    centre: str | None
    """None for the backbone."""
    ipv4: str
    ipv6: str | None


class HostRow(_Out):
    name: str
    """Host name; the container is gc-<name>."""
    cloud: str
    cloud_kind: str
    centre: str
    centre_role: str
    role: str
    """database, backup or gateway."""
    network: str
    ipv4: str
    ipv6: str | None
    backbone_ipv4: str
    mlps_level: int


class ReplicationRow(_Out):
    primary: str
    standby: str
    mode: str
    """sync (same-city) or async (remote DR)."""


class BackupRow(_Out):
    source: str
    """Database host whose base backups and WAL are shipped."""
    target: str
    """Backup host that keeps them."""


class LabSummary(_Out):
    networks: list[NetworkRow]
    hosts: list[HostRow]
    replication: list[ReplicationRow]
    backups: list[BackupRow]


class SystemCounts(_Out):
    total: int
    tenants: int
    platform_services: int


class KpiRow(_Out):
    metric: str
    title: str
    value: float | None
    target: float
    met: bool
    numerator: int
    denominator: int


class PlanSummary(_Out):
    """The plan of one topology, as `govcloud plan -o json` prints it."""

    name: str
    clouds: CloudCounts
    formula: str
    """1+M+N: provincial, city and industry clouds."""
    centres: list[CentreRow]
    clusters: list[ClusterRow]
    extranet: dict[str, TierRow]
    """Per tier, province to village."""
    links: list[LinkRow]
    lab: LabSummary
    systems: SystemCounts
    kpis: list[KpiRow]


def _s(v: object) -> str | None:
    return None if v is None else str(v)


def summarize(plan: Plan) -> PlanSummary:
    t = plan.topology
    kinds = {k.value: sum(c.kind == k for c in t.clouds) for k in CloudKind}
    lab = plan.lab
    return PlanSummary(
        name=t.metadata.name,
        clouds=CloudCounts(**kinds, total=len(t.clouds)),
        formula=f"{kinds['provincial']}+{kinds['city']}+{kinds['industry']}",
        centres=[
            CentreRow(cloud=c.name, centre=dc.name, role=dc.role.value, city=plan.index.city_name(dc.city))
            for c in t.clouds
            for dc in c.centres
        ],
        clusters=[
            ClusterRow(
                name=c.name,
                cloud=c.cloud,
                centre=c.centre,
                role=c.role.value,
                region=c.region,
                nodes=c.nodes,
                pod_ipv4=_s(c.pod_ipv4),
                service_ipv4=_s(c.service_ipv4),
                pod_ipv6=_s(c.pod_ipv6),
                service_ipv6=_s(c.service_ipv6),
            )
            for c in plan.clusters
        ],
        extranet={
            tier.value: TierRow(
                nodes=u.nodes,
                ipv4_capacity=u.ipv4_capacity,
                ipv6_capacity=u.ipv6_capacity,
                ipv4_used=round(u.nodes / u.ipv4_capacity, 4) if u.ipv4_capacity else None,
            )
            for tier, u in ((t_, plan.tier_use[t_]) for t_ in TIERS)
        },
        links=[
            LinkRow.model_validate(
                {
                    "kind": lk.kind,
                    "cloud": lk.cloud,
                    "from": lk.a,
                    "to": lk.b,
                    "km": round(lk.km, 1),
                    "route_km": round(lk.route_km, 1),
                    "rtt_ms": round(lk.rtt_ms, 3),
                }
            )
            for lk in plan.links
        ],
        lab=LabSummary(
            networks=[
                NetworkRow(name=n.name, centre=n.centre, ipv4=str(n.ipv4), ipv6=_s(n.ipv6)) for n in lab.networks
            ],
            hosts=[
                HostRow(
                    name=h.name,
                    cloud=h.cloud,
                    cloud_kind=h.cloud_kind.value,
                    centre=h.centre,
                    centre_role=h.centre_role.value,
                    role=h.role.value,
                    network=h.network,
                    ipv4=str(h.ipv4),
                    ipv6=_s(h.ipv6),
                    backbone_ipv4=str(h.backbone_ipv4),
                    mlps_level=h.mlps_level,
                )
                for h in lab.hosts
            ],
            replication=[ReplicationRow(primary=r.primary, standby=r.standby, mode=r.mode) for r in lab.replication],
            backups=[BackupRow(source=b.source, target=b.target) for b in lab.backups],
        ),
        systems=SystemCounts(total=len(t.systems), tenants=len(t.tenants), platform_services=len(t.platform_services)),
        kpis=[
            KpiRow(
                metric=k.metric.value,
                title=k.title,
                value=None if k.value is None else round(k.value, 4),
                target=k.target,
                met=k.met,
                numerator=k.numerator,
                denominator=k.denominator,
            )
            for k in plan.kpis
        ],
    )


def plan_schema() -> dict[str, object]:
    schema = PlanSummary.model_json_schema(by_alias=True, mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    return schema
