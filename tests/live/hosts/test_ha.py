"""What the patroni role promises on the provincial database hosts (plan.ha), checked on the hosts."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.live


def plain(value):  # type: ignore[no-untyped-def]
    """testinfra hands plugin-supplied strings nested in host vars over as {'__ansible_unsafe': str}."""
    if isinstance(value, dict):
        if set(value) == {"__ansible_unsafe"}:
            return value["__ansible_unsafe"]
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def _ha(hv) -> None:  # type: ignore[no-untyped-def]
    if "govcloud_ha_role" not in hv:
        pytest.skip("not a member of an HA cluster")


def test_etcd_patroni_and_haproxy_run_and_listen(host, hv) -> None:  # type: ignore[no-untyped-def]
    _ha(hv)
    for name in ("etcd", "patroni", "haproxy"):
        assert host.process.filter(comm=name), name
    for port in (2379, 2380, 5432, 8008, 5000):
        assert host.socket(f"tcp://0.0.0.0:{port}").is_listening, port


def test_member_names_resolve_to_this_centres_proxy_addresses(host, hv) -> None:  # type: ignore[no-untyped-def]
    _ha(hv)
    for m in plain(hv["govcloud_ha_members"]):
        assert host.check_output("getent hosts %s", m["address_name"]).split()[0] == m["address"]


def test_patroni_member_runs_in_its_cluster(host, hv) -> None:  # type: ignore[no-untyped-def]
    _ha(hv)
    state = json.loads(
        host.check_output(
            "python3 -c %s",
            "import urllib.request;print(urllib.request.urlopen('http://127.0.0.1:8008/patroni').read().decode())",
        )
    )
    assert state["state"] == "running"
    assert state["patroni"]["scope"] == plain(hv["govcloud_ha_scope"])
    if plain(hv["govcloud_ha_role"]) == "standby-cluster":
        assert state["role"] == "standby_leader"


def test_etcd_member_is_healthy_with_a_quorum(host, hv) -> None:  # type: ignore[no-untyped-def]
    _ha(hv)
    out = host.run("ETCDCTL_API=3 etcdctl --endpoints=http://127.0.0.1:2379 endpoint health")
    assert out.rc == 0 and "is healthy" in out.stdout + out.stderr
    members = host.check_output("ETCDCTL_API=3 etcdctl --endpoints=http://127.0.0.1:2379 member list")
    assert len(members.splitlines()) == len(hv["govcloud_ha_members"])
