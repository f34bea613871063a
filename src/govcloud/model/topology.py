"""The topology file, as pydantic models. Generic "1 + M + N": nothing here knows about Jiangxi.

Field docstrings become the JSON Schema descriptions and the topology reference in docs/.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, model_validator

from govcloud.model.base import Node
from govcloud.model.types import (
    CronSchedule,
    Department,
    Description,
    DivisionCode,
    Duration,
    ImageRef,
    IPv4Net,
    IPv6Net,
    Label,
    Lax,
    Level4,
    Level6,
    Name,
    OptionalTitle,
    Port,
    Source,
    Title,
)

API_VERSION = "govcloud.dev/v1alpha1"
KIND = "Topology"

MAX_TOWNSHIPS = 20_000
MAX_VILLAGES = 200_000
"""Shandong, the province with the most, has ~70,000 villages and communities; Jiangxi ~20,000."""


# --- standards: tables that sources disagree on live in the topology, each row citing its source ---


class DrLevel(Node):
    """One row of the GB/T 20988 disaster-recovery capability table."""

    level: Level6
    """GB/T 20988 capability level, 1 (backup media off site) to 6 (zero data loss, remote active-active)."""
    rto: Duration
    """Longest recovery time objective a system at this level may declare."""
    rpo: Duration
    """Longest recovery point objective a system at this level may declare."""
    source: Source
    """Where the figures come from (standard, clause, edition)."""


class DistanceBounds(Node):
    """Distance and latency bounds for replication between centres."""

    sync_replication_max_km: Annotated[float, Field(gt=0, le=1000)]
    """Synchronous replication (same-city active-active) is only sound up to this fibre-route distance."""
    sync_replication_max_rtt_ms: Annotated[float, Field(gt=0, le=1000)]
    """Round-trip budget for a synchronous commit between the two same-city centres."""
    remote_dr_min_km: Annotated[float, Field(gt=0, le=10_000)]
    """A remote DR centre must be at least this far (great-circle) from the production centre."""
    active_active_min_km: Annotated[float, Field(ge=0, le=1000)] = 5
    """The same-city centre must be at least this far (great-circle) from production, so the two do not
    share a building, a substation or a flood (GC031)."""
    backup_partner_min_km: Annotated[float, Field(ge=0, le=10_000)] = 30
    """Where a cloud's backups land must be at least this far (great-circle) from its production centre
    (GC034)."""
    fibre_route_factor: Annotated[float, Field(ge=1.0, le=5.0)] = 1.5
    """Fibre routes are longer than the great circle; estimated route = great circle × this factor."""
    source: Source
    """Where the bounds come from."""


class MlpsPolicy(Node):
    """From which MLPS 2.0 (GB/T 22239-2019) level each protection is required."""

    realtime_backup_from: Level4 = 3
    """Systems at or above this level need real-time replication to a remote site."""
    redundant_links_from: Level4 = 3
    """Systems at or above this level need redundant communication links."""
    isolated_zone_from: Level4 = 3
    """Systems at or above this level must sit in an isolated network zone."""
    dedicated_pool_from: Level4 = 4
    """Systems at or above this level need a resource pool of their own (a dedicated tenant)."""
    source: Source
    """Where the thresholds come from."""


class Standards(Node):
    """Reference tables the rules apply. Kept as data: sources disagree and standards are revised."""

    dr_levels: list[DrLevel] = Field(min_length=1, max_length=6)
    """The GB/T 20988 level table, one row per level 1–6."""
    distance: DistanceBounds
    """Distance and latency bounds (GC031, GC032)."""
    mlps: MlpsPolicy
    """MLPS 2.0 thresholds (GC042–GC045)."""


# --- addressing ---


class Tier(StrEnum):
    """The five tiers of the e-government extranet (省市县乡村)."""

    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"
    VILLAGE = "village"


class TierAddressing(Node):
    """The supernets one extranet tier's nodes are carved from.

    Every node of the tier gets one prefix of the node length: the province tier has one node, the city
    tier one per city, the county tier one per county, the township tier one per township (a county's,
    or one directly under a city without counties) and the village tier one per village. A supernet of
    prefix p holds 2^(node prefix − p) of them, which must be at least the nodes (GC022); `govcloud plan`
    prints each tier's nodes and how much of its supernets they use."""

    ipv4: IPv4Net | None = None
    """IPv4 supernet of the tier."""
    ipv4_node_prefix: Annotated[int, Field(ge=8, le=30)]
    """Prefix length given to each node of the tier, e.g. 29 for a village."""
    ipv6: IPv6Net | None = None
    """IPv6 supernet of the tier (IPv6 everywhere: rule GC023)."""
    ipv6_node_prefix: Annotated[int, Field(ge=16, le=64)]
    """IPv6 prefix length given to each node of the tier, e.g. 56 for a village."""


class ClusterAddressing(Node):
    """Pools the lab clusters' pod and service ranges are carved from, so clusters never overlap.

    Every data centre is one lab cluster and takes one range from each pool: a pool of prefix p holds
    2^(range prefix − p) ranges, which must be at least the number of centres (GC022)."""

    pod_ipv4: IPv4Net
    """IPv4 pool of pod ranges."""
    pod_ipv4_prefix: Annotated[int, Field(ge=8, le=28)]
    """Prefix length of each cluster's IPv4 pod range."""
    service_ipv4: IPv4Net
    """IPv4 pool of service ranges."""
    service_ipv4_prefix: Annotated[int, Field(ge=12, le=28)]
    """Prefix length of each cluster's IPv4 service range (≥ 12: Kubernetes' limit)."""
    pod_ipv6: IPv6Net | None = None
    """IPv6 pool of pod ranges."""
    pod_ipv6_prefix: Annotated[int, Field(ge=48, le=112)] = 64
    """Prefix length of each cluster's IPv6 pod range."""
    service_ipv6: IPv6Net | None = None
    """IPv6 pool of service ranges."""
    service_ipv6_prefix: Annotated[int, Field(ge=108, le=120)] = 112
    """Prefix length of each cluster's IPv6 service range (≥ 108: Kubernetes' limit)."""


class LabAddressing(Node):
    """The lab's own private range for host containers: one network per centre plus a backbone."""

    ipv4: IPv4Net
    """Private IPv4 range of the lab (GC024)."""
    centre_prefix: Annotated[int, Field(ge=16, le=28)] = 24
    """Prefix length of each centre's lab network; the last one is the backbone."""
    ipv6: IPv6Net | None = None
    """Unique-local IPv6 range of the lab."""
    centre_ipv6_prefix: Annotated[int, Field(ge=48, le=120)] = 64
    """Prefix length of each centre's IPv6 lab network."""


class Addressing(Node):
    """The address plan: extranet tiers, cluster pools and the lab range."""

    extranet: dict[Annotated[Tier, Lax], TierAddressing]
    """One entry per tier: province, city, county, township, village."""
    clusters: ClusterAddressing
    """Pools every lab cluster's pod and service ranges are carved from."""
    lab: LabAddressing
    """The private range lab host containers get their addresses from."""


# --- administrative divisions (the extranet's nodes) ---


class GeoPoint(Node):
    lat: Annotated[float, Field(ge=-90, le=90)]
    """Latitude, degrees."""
    lon: Annotated[float, Field(ge=-180, le=180)]
    """Longitude, degrees."""


class County(Node):
    """A county-level division (县/区/县级市): an extranet node with its townships and villages."""

    name: Name
    """Name, unique within its city."""
    title: Title
    """Official name, e.g. 南昌县."""
    townships: Annotated[int, Field(ge=0, le=200)]
    """How many townships (乡镇/街道) the county has; expanded into extranet nodes by `plan`."""
    villages: Annotated[int, Field(ge=0, le=5000)]
    """How many villages and communities (村/社区); expanded into extranet nodes by `plan`."""


class City(Node):
    """A prefecture-level city (设区市)."""

    code: DivisionCode
    """GB/T 2260 code, e.g. 360100."""
    name: Name
    """Unique name (DNS-label style)."""
    title: Title
    """Official name, e.g. 南昌市."""
    location: GeoPoint
    """Coordinates of the city."""
    counties: list[County] = Field(default_factory=list, max_length=200)
    """The city's county-level divisions. A city without a county tier (Dongguan, Zhongshan, Jiayuguan,
    Danzhou) lists none and gives its townships and villages below instead (GC014)."""
    townships: Annotated[int, Field(ge=0, le=2000)] = 0
    """For a city without counties only: its townships (镇/街道), directly under the city; each is a
    township-tier node of the extranet, like a county's."""
    villages: Annotated[int, Field(ge=0, le=20_000)] = 0
    """For a city without counties only: its villages and communities (村/社区), spread over its townships."""


class Province(Node):
    code: DivisionCode
    """GB/T 2260 code, ending in 0000 (GC013)."""
    name: Name
    """Name (DNS-label style); the root of extranet node ids."""
    title: Title
    """Official name, e.g. 江西省."""
    location: GeoPoint
    """Coordinates of the capital."""
    cities: list[City] = Field(max_length=100)
    """The prefecture-level cities."""

    @model_validator(mode="after")
    def _extranet_scale(self) -> Province:
        # per-field bounds alone would allow 100 × 200 × 5,000 = 100 million villages
        villages = sum(c.villages for city in self.cities for c in city.counties)
        villages += sum(city.villages for city in self.cities)
        townships = sum(c.townships for city in self.cities for c in city.counties)
        townships += sum(city.townships for city in self.cities)
        if villages > MAX_VILLAGES or townships > MAX_TOWNSHIPS:
            raise ValueError(
                f"{townships} townships and {villages} villages in all; the extranet model holds at most "
                f"{MAX_TOWNSHIPS} and {MAX_VILLAGES} (more than China's largest province)"
            )
        return self


# --- clouds ---


class CloudKind(StrEnum):
    PROVINCIAL = "provincial"
    CITY = "city"
    INDUSTRY = "industry"


class ZoneKind(StrEnum):
    """Network zones inside a cloud (互联网区 / 公用网络区 / 专用网络区, plus management)."""

    INTERNET = "internet"
    EXTRANET = "extranet"
    DEDICATED = "dedicated"
    MANAGEMENT = "management"


class Zone(Node):
    name: Name
    """Name, unique within the cloud."""
    kind: Annotated[ZoneKind, Lax]
    """internet, extranet (公用网络区), dedicated (专用网络区) or management."""
    title: OptionalTitle = ""
    """Display name."""
    isolated: bool = False
    """An isolated zone takes traffic only through declared boundaries and exposes no public Service."""
    ipv4: IPv4Net | None = None
    """The zone's IPv4 subnet, inside the cloud's (GC022)."""
    ipv6: IPv6Net | None = None
    """The zone's IPv6 subnet."""


class Boundary(Node):
    """A declared crossing between two zones of one cloud (a firewall or gatekeeper)."""

    from_zone: Name = Field(alias="from")
    """Zone the traffic comes from."""
    to: Name
    """Zone the traffic goes to."""
    ports: list[Port] = Field(min_length=1, max_length=64)
    """TCP ports allowed across the boundary."""
    via: Label = "firewall"
    """The device enforcing it: firewall, waf, gatekeeper, bastion."""


class Overcommit(Node):
    cpu: Annotated[float, Field(ge=1.0, le=16.0)] = 1.0
    """CPU quota ÷ physical cores allowed."""
    memory: Annotated[float, Field(ge=1.0, le=4.0)] = 1.0
    """Memory quota ÷ physical memory allowed."""


class Capacity(Node):
    cpu: Annotated[int, Field(ge=0, le=10_000_000)]
    """Cores."""
    memory_gib: Annotated[int, Field(ge=0, le=1_000_000_000)]
    """Memory, GiB."""
    storage_tib: Annotated[float, Field(ge=0, le=1_000_000)] = 0
    """Storage, TiB."""


class CentreRole(StrEnum):
    """Roles of two-site-three-centre (两地三中心)."""

    PRODUCTION = "production"
    ACTIVE_ACTIVE = "active-active"
    REMOTE_DR = "remote-dr"


class HostRole(StrEnum):
    DATABASE = "database"
    BACKUP = "backup"
    GATEWAY = "gateway"


class Centre(Node):
    """A data centre of a cloud: one lab cluster, and a set of lab hosts."""

    name: Name
    """Unique centre name; the lab cluster is gc-<name>."""
    title: OptionalTitle = ""
    """Human-readable name, e.g. 省政务云南昌生产中心."""
    role: Annotated[CentreRole, Lax]
    """production, active-active (同城双活) or remote-dr (异地灾备)."""
    city: DivisionCode
    """GB/T 2260 code of the city the centre stands in."""
    location: GeoPoint
    """Coordinates, for distances (GC031, GC032)."""
    capacity: Capacity
    """Physical capacity; tenants' quotas must fit it × the cloud's overcommit (GC050)."""
    nodes: Annotated[int, Field(ge=1, le=500)] = 3
    """Kubernetes worker nodes of the centre's cluster (simulated by kwok in the lab)."""
    hosts: dict[Annotated[HostRole, Lax], Annotated[int, Field(ge=0, le=32)]] = Field(default_factory=dict)
    """Lab hosts per role, configured by Ansible (database, backup, gateway)."""


class Cloud(Node):
    """One government cloud: the provincial cloud, a city cloud or an industry cloud."""

    name: Name
    """Unique cloud name."""
    title: Title
    """Human-readable name, e.g. 江西省政务云."""
    kind: Annotated[CloudKind, Lax]
    """provincial, city or industry."""
    city: DivisionCode | None = None
    """For a city cloud: the city it serves."""
    sector: Label | None = None
    """For an industry cloud: the sector (water, ecology, …)."""
    mlps_level: Level4
    """Highest MLPS level the cloud is assessed for; it hosts nothing above it."""
    overcommit: Overcommit = Field(default_factory=Overcommit)
    """How far tenant quotas may exceed physical capacity."""
    ipv4: IPv4Net | None = None
    """The cloud's IPv4 supernet; zones are carved from it."""
    ipv6: IPv6Net | None = None
    """The cloud's IPv6 supernet (IPv6 everywhere: GC023)."""
    zones: list[Zone] = Field(min_length=1, max_length=32)
    """Network zones of the cloud."""
    boundaries: list[Boundary] = Field(default_factory=list, max_length=256)
    """The only allowed crossings between zones (GC047)."""
    centres: list[Centre] = Field(min_length=1, max_length=8)
    """Data centres; the provincial cloud has two sites, three centres (GC030)."""
    backup_partner: Name | None = None
    """The cloud that keeps this cloud's backups (备份合作机制)."""


# --- services, tenants, systems ---


class PlatformKind(StrEnum):
    """Shared platform services (统一应用支撑) of the provincial cloud."""

    IDENTITY = "identity"
    E_LICENCE = "e-licence"
    E_SEAL = "e-seal"
    PAYMENT = "payment"
    WORKFLOW = "workflow"
    HOTLINE = "hotline"
    BLOCKCHAIN = "blockchain"
    AI = "ai"
    GEOSPATIAL = "geospatial"
    DATA_EXCHANGE = "data-exchange"


class Standby(StrEnum):
    WARM = "warm"
    COLD = "cold"


class PlatformService(Node):
    name: Name
    """Unique name; the Deployment and Service name."""
    title: Title
    """Display name, e.g. 统一电子印章."""
    kind: Annotated[PlatformKind, Lax]
    """Which shared service it is."""
    cloud: Name
    """The cloud it runs on: the provincial one (GC053)."""
    zone: Name
    """The zone of that cloud it sits in."""
    mlps_level: Level4
    """Its MLPS level (GC041)."""
    replicas: Annotated[int, Field(ge=1, le=50)] = 2
    """Replicas in each active centre."""
    standby: Annotated[Standby, Lax] = Standby.WARM
    """In the remote DR centre: warm (one replica running) or cold (scaled to zero)."""
    port: Annotated[int, Field(ge=1024, le=65535)] = 8080
    """Port it serves on."""
    cpu_millicores: Annotated[int, Field(ge=10, le=1_000_000)] = 250
    """CPU request per replica."""
    memory_mib: Annotated[int, Field(ge=16, le=16_777_216)] = 256
    """Memory request per replica."""
    scope: Literal["provincial", "provincial-and-cities"] = "provincial"
    """Where instances run: the provincial centres only, or also every city cloud (data exchange)."""


class Quota(Node):
    cpu: Annotated[int, Field(ge=0, le=10_000_000)]
    """Cores the tenant may request."""
    memory_gib: Annotated[int, Field(ge=0, le=1_000_000_000)]
    """Memory the tenant may request, GiB."""
    storage_gib: Annotated[int, Field(ge=0, le=1_000_000_000)] = 0
    """Storage the tenant may request, GiB."""
    pods: Annotated[int, Field(ge=1, le=100_000)] = 100
    """Pods the tenant may run per cluster."""


class Tenant(Node):
    """A department's (or system group's) share of a cloud: one namespace per cluster."""

    name: Name
    """Unique name; the namespace name."""
    title: Title
    """Display name."""
    department: Department
    """Owning department."""
    cloud: Name
    """The cloud it is a share of."""
    zone: Name
    """The zone of that cloud its workloads sit in."""
    mlps_level: Level4
    """Highest MLPS level it may carry (GC048); labels its namespaces."""
    quota: Quota
    """Its ResourceQuota in each cluster of its cloud."""
    dedicated_pool: bool = False
    """The tenant has a resource pool of its own (required for MLPS level 4)."""


class Hosting(StrEnum):
    CLOUD = "cloud"
    SELF_HOSTED = "self-hosted"


class NetworkKind(StrEnum):
    EXTRANET = "extranet"
    INTRANET = "intranet"
    INTERNET = "internet"
    LEGACY = "legacy"
    """A department's dedicated network (业务专网), still to be migrated."""


class Replication(StrEnum):
    REALTIME = "realtime"
    SCHEDULED = "scheduled"
    NONE = "none"


class DrTarget(Node):
    level: Level6
    """GB/T 20988 capability level."""
    rto: Duration
    """Recovery time objective, e.g. 1h."""
    rpo: Duration
    """Recovery point objective, e.g. 5m (0s: no data loss)."""
    replication: Annotated[Replication, Lax] = Replication.SCHEDULED
    """realtime (continuous, to the DR site), scheduled (backups) or none."""
    backup_schedule: CronSchedule = "0 2 * * *"
    """Cron schedule of backups (the backup CronJob)."""


class Resources(Node):
    cpu: Annotated[int, Field(ge=0, le=10_000_000)] = 0
    """Cores the system needs."""
    memory_gib: Annotated[int, Field(ge=0, le=1_000_000_000)] = 0
    """Memory the system needs, GiB."""
    storage_gib: Annotated[int, Field(ge=0, le=1_000_000_000)] = 0
    """Storage the system needs, GiB."""


class System(Node):
    """A department's information system (政务信息系统)."""

    name: Name
    """Unique name."""
    title: Title
    """Display name, e.g. 社会保险信息系统."""
    department: Department
    """Owning department (counted by the e-seal KPI)."""
    mlps_level: Level4
    """MLPS 2.0 protection level, 1–4."""
    classified: bool = False
    """Classified (涉密) systems live only on the intranet, never on a cloud."""
    hosting: Annotated[Hosting, Lax]
    """cloud (in a tenant) or self-hosted."""
    tenant: Name | None = None
    """For hosting: cloud, the tenant it runs in (which gives its cloud and zone)."""
    network: Annotated[NetworkKind, Lax]
    """The network it is reached over."""
    public_service: bool = False
    """Serves citizens or businesses (counted by the e-licence KPI)."""
    uses: list[Name] = Field(default_factory=list, max_length=50)
    """Platform services it calls."""
    connects_to: list[Name] = Field(default_factory=list, max_length=200)
    """Other systems it calls; crossing zones needs a declared boundary."""
    redundant_links: bool = False
    """Has redundant links and devices (GC043)."""
    resources: Resources = Field(default_factory=Resources)
    """What it needs; must fit its tenant's quota (GC051)."""
    dr: DrTarget | None = None
    """DR level and targets (GB/T 20988)."""


class KpiMetric(StrEnum):
    CLOUD_ADOPTION = "cloud-adoption"
    """非涉密政务系统上云率: non-classified systems hosted on a cloud."""
    EXTRANET_ACCESS = "extranet-access"
    """政务外网接入率: non-classified systems reached over the extranet rather than a legacy network."""
    E_LICENCE_USE = "e-licence-use"
    """电子证照用证率: public-service systems that use the e-licence platform."""
    E_SEAL_COVERAGE = "e-seal-coverage"
    """政府部门电子印章覆盖率: departments with a system that uses the e-seal platform."""
    IPV6_COVERAGE = "ipv6-coverage"
    """IPv6 承载能力: extranet nodes, cloud zones, centre clusters and cloud-hosted systems with IPv6."""
    BACKUP_COVERAGE = "backup-coverage"
    """容灾备份: cloud-hosted systems backed up as their MLPS level requires, per level."""
    DR_LEVEL = "dr-level"
    """灾难恢复能力等级: cloud-hosted systems whose declared GB/T 20988 level their cloud's centres support."""
    CAPACITY_HEADROOM = "capacity-headroom"
    """资源余量: the spare share of every centre's capacity × overcommit, after what it must carry."""


class Kpi(Node):
    metric: Annotated[KpiMetric, Lax]
    """Which KPI; govcloud knows how to compute each."""
    title: OptionalTitle = ""
    """Display name, e.g. 非涉密政务系统上云率."""
    target: Annotated[float, Field(ge=0, le=1)]
    """Target as a fraction, e.g. 0.8; for capacity-headroom, the spare share every centre must keep."""
    year: Annotated[int, Field(ge=2000, le=2100)] | None = None
    """Year the target is due."""
    source: Source
    """The plan the target comes from."""


class LabSettings(Node):
    """Lab defaults: the images workloads run in the lab (one place to change them)."""

    workload_image: ImageRef = "govcloud/lab-service:1.0"
    """Image of platform-service workloads in the lab: an HTTP service with /healthz and /readyz,
    built locally with the kind node image (images/kind-node)."""
    backup_image: ImageRef = "govcloud/lab-backup:1.0"
    """Image of backup CronJobs in the lab: packs and checksums what a backup would ship."""
    exchange_image: ImageRef = "govcloud/lab-service:1.0"
    """Image of the data-exchange service in the lab (the lab service, serving its mounted peers)."""


class Failover(Node):
    """How the provincial database cluster fails over: Patroni's timings and the service address's checks.

    Patroni refuses timings where `loop_wait + 2 × retry_timeout` exceeds `ttl` (rule GC039). An abrupt
    loss is detected when the leader key expires, at most `ttl` after the old primary's last renewal.
    """

    ttl: Duration = Field(default=20, ge=20, le=3600)
    """Leader lock lifetime in the DCS (Patroni's `ttl`); 20s is Patroni's floor, its default is 30s."""
    loop_wait: Duration = Field(default=2, ge=1, le=300)
    """Seconds between Patroni's HA loop runs (Patroni's `loop_wait`; its default is 10s)."""
    retry_timeout: Duration = Field(default=9, ge=1, le=600)
    """How long Patroni retries the DCS and PostgreSQL before demoting a primary it cannot confirm."""
    maximum_lag_on_failover_kib: int = Field(default=1024, ge=0, le=1048576)
    """A standby further behind than this (KiB of WAL) never takes over automatically."""
    synchronous_mode: Literal["on", "strict"] = "on"
    """Patroni synchronous mode for the same-city pair: on (RPO 0 on failover; writes continue when the
    standby is gone) or strict (writes stop while no synchronous standby is connected)."""
    check_interval_ms: int = Field(default=1000, ge=100, le=60000)
    """HAProxy's Patroni REST check interval (`inter`); a server is down after `check_fall` failures."""
    check_fall: int = Field(default=2, ge=1, le=10)
    """Failed checks before HAProxy takes a server out of the service address."""


class DrillSettings(Node):
    """How DR drills load the database and when they give up."""

    write_rate: int = Field(default=20, ge=1, le=500)
    """Acknowledged writes per second the load generator aims at, through the service address."""
    write_timeout_ms: int = Field(default=2000, ge=100, le=60000)
    """A write with no answer in this time is abandoned and counts as not acknowledged."""
    max_lag_kib: int = Field(default=1024, ge=0, le=1048576)
    """Precheck: every standby must be within this much WAL (KiB) of the primary before a fault."""
    recovery_timeout: Duration = Field(default=120, ge=10, le=3600)
    """Observation gives up when no write is acknowledged this long after the fault; the cluster-loss
    drill, when its scaled standbys are not all Ready this long after it scaled them."""


class DrPolicy(Node):
    """The DR stack's timings (Patroni, HAProxy) and the drills' settings; every field has a default."""

    failover: Failover = Field(default_factory=Failover)
    """Patroni timings, synchronous mode and HAProxy checks of the provincial database cluster."""
    drills: DrillSettings = Field(default_factory=DrillSettings)
    """Load rate, timeouts and precheck bounds of `playbooks/dr-drill.yml`."""


class Metadata(Node):
    name: Name
    """Short name of the design."""
    title: OptionalTitle = ""
    """Display title."""
    description: Description = ""
    """Free text."""


class Topology(Node):
    """A province's clouds, extranet and disaster recovery, declared in one file."""

    api_version: Literal["govcloud.dev/v1alpha1"] = Field(alias="apiVersion")
    """Format version; this govcloud reads govcloud.dev/v1alpha1 (GC003)."""
    kind: Literal["Topology"]
    """Always Topology."""
    metadata: Metadata
    """Name and title of the design."""
    standards: Standards
    """Reference tables the rules apply (DR levels, distances, MLPS thresholds)."""
    addressing: Addressing
    """The address plan: extranet tiers, cluster pools, lab range."""
    province: Province
    """The province and its cities and counties: the extranet's nodes."""
    clouds: list[Cloud] = Field(min_length=1, max_length=200)
    """The 1 + M + N government clouds and their data centres."""
    platform_services: list[PlatformService] = Field(default_factory=list, max_length=100)
    """Shared platform services (统一应用支撑) on the provincial cloud."""
    tenants: list[Tenant] = Field(default_factory=list, max_length=5000)
    """Departments' shares of the clouds; one namespace per cluster each."""
    systems: list[System] = Field(default_factory=list, max_length=20_000)
    """The government information systems inventory."""
    kpis: list[Kpi] = Field(default_factory=list, max_length=64)
    """The plan's targets, computed from the inventory (GC060)."""
    lab: LabSettings = Field(default_factory=LabSettings)
    """Lab defaults: workload images."""
    dr_policy: DrPolicy = Field(default_factory=DrPolicy)
    """Failover timings of the HA stack and settings of the DR drills (defaults suit the lab)."""
