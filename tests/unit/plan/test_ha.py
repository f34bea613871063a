"""The HA cluster the plan derives, and the proxied routes between its centres."""

from __future__ import annotations

from pathlib import Path

from govcloud import pipeline
from govcloud.lab.hosts import container_args, extra_hosts_of
from govcloud.lab.links import proxies_of


def test_the_provincial_cloud_gets_one_cluster_with_a_member_per_centre(reference_path) -> None:  # type: ignore[no-untyped-def]
    plan = pipeline.load_plan(reference_path)
    assert [c.cloud for c in plan.ha] == ["provincial"]
    c = plan.ha[0]
    assert [(m.host, m.role) for m in c.members] == [
        ("nc-prod-database-1", "primary"),
        ("nc-aa-database-1", "sync-standby"),
        ("gz-dr-database-1", "standby-cluster"),
    ]
    assert c.standby_scope == "provincial-dr"


def test_every_ordered_pair_of_centres_has_a_route_on_its_own_bridge(reference_path) -> None:  # type: ignore[no-untyped-def]
    plan = pipeline.load_plan(reference_path)
    c = plan.ha[0]
    assert len(c.routes) == 6
    nets = {n.centre: n.ipv4 for n in plan.lab.networks if n.centre}
    hosts = {h.ipv4 for h in plan.lab.hosts}
    for r in c.routes:
        assert r.listen in nets[r.source] and r.listen not in hosts
        assert r.upstream == c.member(r.target).ipv4
    same = [r for r in c.routes if r.link == "same-city"]
    remote = [r for r in c.routes if r.link == "remote-dr"]
    assert len(same) == 2 and all(r.rtt_ms < 1 for r in same)
    assert len(remote) == 4 and all(4 <= r.rtt_ms <= 6 for r in remote)
    assert all(sum(r.latency_ms) == round(r.rtt_ms) for r in c.routes)


def test_containers_resolve_members_to_the_proxy_or_themselves(reference_path) -> None:  # type: ignore[no-untyped-def]
    plan = pipeline.load_plan(reference_path)
    aa = next(h for h in plan.lab.hosts if h.name == "nc-aa-database-1")
    extra = extra_hosts_of(plan, aa)
    assert extra["nc-aa-database-1.ha"] == str(aa.ipv4)
    assert extra["nc-prod-database-1.ha"].startswith("172.29.1.")  # nc-aa's own network
    args = container_args(aa, "img", Path("/lab"), extra)
    assert "--add-host" in args and "nc-prod-database-1.ha:" + extra["nc-prod-database-1.ha"] in args
    city = next(h for h in plan.lab.hosts if h.cloud == "nanchang")
    assert extra_hosts_of(plan, city) == {}


def test_one_proxy_per_route_and_member_port(reference_path) -> None:  # type: ignore[no-untyped-def]
    plan = pipeline.load_plan(reference_path)
    proxies = proxies_of(plan)
    assert len(proxies) == 6 * 4
    assert len({p.listen for p in proxies}) == len(proxies)
    assert proxies_of(plan, {"gc-nc-prod"}) == [p for p in proxies if p.name.startswith("nc-prod__")]
