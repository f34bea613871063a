"""The drill's view of one HA cluster from the controller: members, service addresses, credentials.

The controller is attached to every centre network's bridge, so it reaches each member and each
centre's HAProxy directly (not through the fault proxy, which only carries traffic *between*
centres). Credentials are the files the patroni role generated in the lab state folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from govcloud.diagnostics import RuntimeFailure, UsageError
from govcloud.drill.judge import systems_on
from govcloud.model.topology import CentreRole, DrPolicy, System
from govcloud.plan import Plan
from govcloud.plan.ha import PATRONI_PORT, SERVICE_PORT, HaCluster, Member
from govcloud.plan.hosts import LabHost

DATABASE = "govcloud"
DRILL_USER = "drill"
API_USER = "patroni"


@dataclass(frozen=True, slots=True)
class DrillCluster:
    plan: Plan
    ha: HaCluster
    secrets: Path
    dr_service: bool = False
    """The load and the checker write as an application in the remote DR centre (a whole-city
    drill): its HAProxy first, which routes to the primary wherever it is, then the city's. (Listed
    after two dead centres, its turn would come only once the connection attempts to them timed out:
    longer than a write may take.)"""

    @property
    def service_members(self) -> list[Member]:
        remote = self.ha.standby_cluster
        if not self.dr_service or remote is None:
            return self.ha.primary_members
        return [remote, *self.ha.primary_members]

    @property
    def policy(self) -> DrPolicy:
        return self.plan.topology.dr_policy

    @property
    def production(self) -> Member:
        return self.ha.design_primary

    @property
    def same_city(self) -> Member:
        return self.ha.sync_standby

    @property
    def remote(self) -> Member | None:
        return self.ha.standby_cluster

    def api(self, member: Member | str) -> str:
        m = self.ha.member(member) if isinstance(member, str) else member
        return f"http://{m.ipv4}:{PATRONI_PORT}"

    def node_name(self, address: str) -> str:
        """The member a row's `node` column (the server's inet_server_addr) belongs to."""
        for m in self.ha.members:
            if str(m.ipv4) == address.split("/")[0]:
                return m.host
        return address

    def conninfo(self, *, timeout_s: int = 2) -> str:
        """The service address: every primary-cluster centre's HAProxy; libpq takes the first that
        answers and insists on a read-write session, as an application in either centre would."""
        hosts = ",".join(str(m.ipv4) for m in self.service_members)
        ports = ",".join(str(SERVICE_PORT) for _ in self.service_members)
        return (
            f"host={hosts} port={ports} dbname={DATABASE} user={DRILL_USER} password={self.secret('pg-drill')} "
            f"target_session_attrs=read-write connect_timeout={timeout_s} application_name=govcloud-drill"
        )

    def service(self) -> str:
        return f"{', '.join(str(m.ipv4) for m in self.service_members)} (HAProxy)"

    def secret(self, kind: str) -> str:
        f = self.secrets / f"{kind}-{self.ha.scope}"
        try:
            return f.read_text(encoding="utf-8").split()[0]
        except (OSError, IndexError) as e:
            raise RuntimeFailure(f"no {kind} secret at {f}: run playbooks/site.yml first") from e

    def centre_hosts(self, centre: str) -> list[LabHost]:
        return [h for h in self.plan.lab.hosts if h.centre == centre]

    def hosted_systems(self) -> list[System]:
        """Systems whose tenant is on this cluster's cloud, with DR targets: they run in its production
        centre, so a drill of that centre is judged against their targets."""
        return systems_on(self.plan.topology, self.ha.cloud)

    def production_centre(self) -> str:
        return next(m.centre for m in self.ha.members if m.centre_role == CentreRole.PRODUCTION)


def drill_cluster(plan: Plan, lab: Path, cloud: str | None = None, *, dr_service: bool = False) -> DrillCluster:
    if not plan.ha:
        raise UsageError(
            "the topology has no HA cluster (a cloud with database hosts in its production and same-city centres)"
        )
    if cloud is None:
        ha = plan.ha[0]
    else:
        found = [c for c in plan.ha if c.cloud == cloud]
        if not found:
            raise UsageError(f"no HA cluster for cloud {cloud!r}; clusters: {', '.join(c.cloud for c in plan.ha)}")
        ha = found[0]
    return DrillCluster(plan, ha, lab / "secrets", dr_service)
