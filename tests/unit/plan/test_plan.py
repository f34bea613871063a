"""The plan stage on the reference province: scale, addresses, clusters, distances, lab layout."""

from __future__ import annotations

from ipaddress import ip_network
from pathlib import Path

import pytest

from govcloud import pipeline
from govcloud.model.topology import CentreRole, Tier
from govcloud.plan import Plan


@pytest.fixture(scope="module")
def plan(reference_path: Path) -> Plan:
    return pipeline.load_plan(reference_path)


def test_reference_province_is_1_plus_11_plus_n_at_real_scale(plan: Plan) -> None:
    s = plan.summary()
    assert s["clouds"]["provincial"] == 1 and s["clouds"]["city"] == 11 and s["clouds"]["industry"] >= 6
    tiers = {t: u["nodes"] for t, u in s["extranet"].items()}
    assert tiers["province"] == 1 and tiers["city"] == 11
    assert 95 <= tiers["county"] <= 105
    assert 1400 <= tiers["township"] <= 1600
    assert 19000 <= tiers["village"] <= 21000


def test_the_provincial_cloud_has_three_centres_as_three_clusters(plan: Plan) -> None:
    prov = [c for c in plan.clusters if c.cloud == "provincial"]
    assert sorted(c.role for c in prov) == sorted(CentreRole)
    assert len({c.name for c in plan.clusters}) == len(plan.clusters) >= 20


def test_extranet_prefixes_are_unique_and_inside_their_tier(plan: Plan) -> None:
    spec = plan.topology.addressing.extranet
    seen4, seen6 = set(), set()
    for node in plan.extranet:
        assert node.ipv4 is not None and node.ipv6 is not None
        assert node.ipv4.subnet_of(spec[node.tier].ipv4)
        assert node.ipv6.subnet_of(spec[node.tier].ipv6)
        seen4.add(node.ipv4_int)
        seen6.add(node.ipv6_int)
    assert len(seen4) == len(seen6) == len(plan.extranet)


def test_every_village_hangs_off_a_township(plan: Plan) -> None:
    towns = {n.id for n in plan.extranet if n.tier == Tier.TOWNSHIP}
    assert all(n.parent in towns for n in plan.extranet if n.tier == Tier.VILLAGE)


def test_cluster_ranges_never_overlap(plan: Plan) -> None:
    nets = [n for c in plan.clusters for n in (c.pod_ipv4, c.service_ipv4, c.pod_ipv6, c.service_ipv6)]
    assert None not in nets
    for i, a in enumerate(nets):
        assert not any(a.version == b.version and a.overlaps(b) for b in nets[i + 1 :])


def test_allocation_is_deterministic(reference_path: Path) -> None:
    a, b = pipeline.load_plan(reference_path), pipeline.load_plan(reference_path)
    assert a.summary() == b.summary()
    assert [n.ipv4_int for n in a.extranet] == [n.ipv4_int for n in b.extranet]


def test_distances_put_active_active_near_and_dr_far(plan: Plan) -> None:
    kinds = {(lk.kind, lk.cloud): lk for lk in plan.links}
    assert kinds[("same-city", "provincial")].km < 50
    assert kinds[("remote-dr", "provincial")].km > 100


def test_database_replication_follows_two_sites_three_centres(plan: Plan) -> None:
    modes = {(r.standby.split("-database")[0], r.mode) for r in plan.lab.replication}
    assert modes == {("nc-aa", "sync"), ("gz-dr", "async")}


def test_city_backups_go_to_the_partner_city(plan: Plan) -> None:
    ix = plan.index
    for link in plan.lab.backups:
        src = next(h for h in plan.lab.hosts if h.name == link.source)
        dst = next(h for h in plan.lab.hosts if h.name == link.target)
        cloud = ix.clouds[src.cloud]
        if cloud.kind.value == "city":
            assert dst.cloud == cloud.backup_partner


def test_lab_hosts_use_the_lab_range(plan: Plan) -> None:
    lab = ip_network(plan.topology.addressing.lab.ipv4)
    assert plan.lab.hosts and all(h.ipv4 in lab and h.backbone_ipv4 in lab for h in plan.lab.hosts)


def test_tier_usage_counts_what_expansion_builds(plan: Plan) -> None:
    built: dict[Tier, int] = {}
    for n in plan.extranet:
        built[n.tier] = built.get(n.tier, 0) + 1
    assert built == {t: u.nodes for t, u in plan.tier_use.items()}
