"""Ansible inventory plugin: the lab hosts of a govcloud topology, read through govcloud's own loader.

Nothing is generated or committed: every `ansible-*` run loads, validates and plans the topology
again, so the inventory cannot drift from it. A topology with errors is refused with the
validator's located messages (`topology.yaml:212:9: error: GC034 …`).
"""

from __future__ import annotations

import os
import re

from ansible.errors import AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin

DOCUMENTATION = r"""
name: govcloud
short_description: Lab hosts of a govcloud topology
description:
  - Loads a govcloud topology file with govcloud's own loader, validator and planner and adds
    the lab hosts of every data centre, grouped by tier, cloud, centre, host role, DR role,
    PostgreSQL role and lab profile.
  - Host variables come from the plan (C(plan.lab)) - addresses, MLPS level, DR role of the centre,
    PostgreSQL replication peers and the backup target or sources.
  - A topology with errors fails the inventory with the validator's located diagnostics.
  - The inventory source file name must end in C(.govcloud.yml) or C(.govcloud.yaml).
options:
  plugin:
    description: Marks the file as a source for this plugin.
    required: true
    choices: [govcloud]
  topology:
    description:
      - Path to the topology file. A relative path is taken from the inventory source's folder.
    type: str
    default: ../topology.yaml
    env:
      - name: GOVCLOUD_TOPOLOGY
  container_prefix:
    description: Prefix of the lab host containers' names (the container is C(<prefix><host>)).
    type: str
    default: gc-
"""

EXAMPLES = r"""
# inventory/lab.govcloud.yml
plugin: govcloud
topology: ../topology.yaml
"""

SUFFIXES = (".govcloud.yml", ".govcloud.yaml")
_BAD = re.compile(r"[^A-Za-z0-9_]")


def group_name(prefix: str, value: str) -> str:
    """A valid Ansible group name: `cloud_` + `nc-prod` → `cloud_nc_prod`."""
    return _BAD.sub("_", f"{prefix}_{value}")


def app_name(host: str) -> str:
    """The PostgreSQL application_name a standby connects with (an identifier: no dashes)."""
    return _BAD.sub("_", host)


def _trusted(value: str) -> str:
    try:
        from ansible.template import trust_as_template  # ansible-core >= 2.19
    except ImportError:  # older cores print plugin strings plainly anyway
        return value
    return trust_as_template(value)


class InventoryModule(BaseInventoryPlugin):
    NAME = "govcloud"

    def verify_file(self, path: str) -> bool:
        return super().verify_file(path) and path.endswith(SUFFIXES)

    def parse(self, inventory, loader, path, cache=True):  # type: ignore[no-untyped-def]
        super().parse(inventory, loader, path, cache)
        self._read_config_data(path)
        topology = self.get_option("topology")
        if not os.path.isabs(topology):
            here = os.path.dirname(os.path.abspath(path))
            topology = os.path.normpath(os.path.join(here, os.path.expanduser(topology)))
        try:
            from govcloud import pipeline
            from govcloud.diagnostics import GovcloudError
        except ImportError as e:  # ansible runs with a Python that lacks the project
            raise AnsibleParserError(
                f"govcloud inventory: cannot import the govcloud package ({e}); run ansible from the "
                "project's virtualenv (.venv/bin/ansible-playbook)"
            ) from e
        try:
            plan = pipeline.load_plan(topology)
        except GovcloudError as e:
            lines = "\n".join(d.render() for d in e.diagnostics)
            raise AnsibleParserError(f"govcloud inventory: {topology} has errors:\n{lines}") from e
        self._populate(plan, self.inventory, container_prefix=self.get_option("container_prefix"))

    @staticmethod
    def _populate(plan, inventory, *, container_prefix: str = "gc-") -> None:  # type: ignore[no-untyped-def]
        """Add the plan's lab hosts, groups and variables to `inventory` (an InventoryData)."""
        from govcloud.lab.profiles import PROFILES, select

        lab = plan.lab
        topo = plan.topology
        hosts = {h.name: h for h in lab.hosts}
        standbys: dict[str, list[dict[str, str]]] = {}
        primary_of: dict[str, tuple[str, str]] = {}
        for r in lab.replication:
            s = hosts[r.standby]
            standbys.setdefault(r.primary, []).append(
                {
                    "name": r.standby,
                    "mode": r.mode,
                    "application_name": app_name(r.standby),
                    "backbone_ipv4": str(s.backbone_ipv4),
                    "centre": s.centre,
                }
            )
            primary_of[r.standby] = (r.primary, r.mode)
        target_of = {b.source: b.target for b in lab.backups}
        sources: dict[str, list[dict[str, str]]] = {}
        for b in lab.backups:
            src = hosts[b.source]
            sources.setdefault(b.target, []).append(
                {"name": b.source, "cloud": src.cloud, "backbone_ipv4": str(src.backbone_ipv4)}
            )

        def add_group(name: str, parent: str | None = None) -> str:
            inventory.add_group(name)
            if parent is not None:
                inventory.add_child(parent, name)
            return name

        for cloud in topo.clouds:
            tier = add_group(group_name("tier", cloud.kind.value))
            cg = add_group(group_name("cloud", cloud.name), tier)
            for dc in cloud.centres:
                add_group(group_name("centre", dc.name), cg)
        for g in (
            "pg_primary",
            "pg_standby",
            "backup_source",
            "patroni",
            "patroni_primary_cluster",
            "patroni_standby_cluster",
        ):
            add_group(g)
        # HA clusters (plan.ha): Patroni members, how each resolves the others (via the fault proxy),
        # and the DR policy's timings, so the patroni role renders everything from the plan.
        nets = {n.name: n for n in lab.networks}
        ha_vars: dict[str, dict[str, object]] = {}
        f = topo.dr_policy.failover
        timings = {  # Patroni's own names and units (seconds, bytes)
            "ttl": f.ttl,
            "loop_wait": f.loop_wait,
            "retry_timeout": f.retry_timeout,
            "maximum_lag_on_failover": f.maximum_lag_on_failover_kib * 1024,
            "synchronous_mode": True,
            "synchronous_mode_strict": f.synchronous_mode == "strict",
            "check_interval_ms": f.check_interval_ms,
            "check_fall": f.check_fall,
        }
        for cluster in plan.ha:
            for m in cluster.members:
                ha_vars[m.host] = {
                    "govcloud_ha_scope": cluster.standby_scope if m.role == "standby-cluster" else cluster.scope,
                    "govcloud_ha_primary_scope": cluster.scope,
                    "govcloud_ha_role": m.role,
                    "govcloud_ha_members": [
                        {
                            "name": o.host,
                            "address_name": f"{o.host}.ha",  # resolved by /etc/hosts only (plan.ha)
                            "centre": o.centre,
                            "role": o.role,
                            "address": str(cluster.address_of(o.host, m.centre)),
                            "slot": app_name(o.host),
                        }
                        for o in cluster.members
                    ],
                    "govcloud_ha_timings": timings,
                }

        for h in lab.hosts:
            name = h.name
            inventory.add_host(name, group=group_name("centre", h.centre))
            inventory.add_host(name, group=add_group(group_name("role", h.role.value)))
            inventory.add_host(name, group=add_group(group_name("dr", h.centre_role.value)))
            hv: dict[str, object] = {
                "ansible_host": str(h.ipv4),
                "govcloud_container": f"{container_prefix}{name}",
                "govcloud_cloud": h.cloud,
                "govcloud_tier": h.cloud_kind.value,
                "govcloud_centre": h.centre,
                "govcloud_dr_role": h.centre_role.value,
                "govcloud_role": h.role.value,
                "govcloud_network": h.network,
                "govcloud_network_ipv4": str(nets[h.network].ipv4),
                "govcloud_ipv4": str(h.ipv4),
                "govcloud_ipv6": str(h.ipv6) if h.ipv6 else None,
                "govcloud_backbone_ipv4": str(h.backbone_ipv4),
                "govcloud_mlps_level": h.mlps_level,
            }
            if h.role.value == "database":
                if name in primary_of:
                    primary, mode = primary_of[name]
                    hv.update(
                        govcloud_pg_role="standby",
                        govcloud_pg_primary=primary,
                        govcloud_pg_primary_ipv4=str(hosts[primary].backbone_ipv4),
                        govcloud_pg_sync_mode=mode,
                        govcloud_pg_application_name=app_name(name),
                    )
                    inventory.add_host(name, group="pg_standby")
                else:
                    hv.update(govcloud_pg_role="primary", govcloud_pg_standbys=standbys.get(name, []))
                    inventory.add_host(name, group="pg_primary")
                if name in target_of:
                    t = hosts[target_of[name]]
                    hv["govcloud_backup_target"] = {
                        "name": t.name,
                        "backbone_ipv4": str(t.backbone_ipv4),
                        "cloud": t.cloud,
                    }
                    inventory.add_host(name, group="backup_source")
            if h.role.value == "backup":
                hv["govcloud_backup_sources"] = sources.get(name, [])
            if name in ha_vars:
                hv.update(ha_vars[name])
                inventory.add_host(name, group="patroni")
                primary_cluster = ha_vars[name]["govcloud_ha_role"] != "standby-cluster"
                inventory.add_host(
                    name, group="patroni_primary_cluster" if primary_cluster else "patroni_standby_cluster"
                )
            for key, value in hv.items():
                if key == "ansible_host":
                    # our own plan's address, not foreign data: trusted, so `ansible-inventory --list`
                    # (which testinfra's ansible backend reads) shows it as a plain string on ansible-core
                    # 2.19+, where plugin-supplied strings are otherwise tagged untrusted
                    value = _trusted(value)
                inventory.set_variable(name, key, value)

        for profile in PROFILES:
            g = add_group(group_name("lab", profile))
            for h in select(lab, topo, profile):
                inventory.add_host(h.name, group=g)
