"""The Kubernetes side of losing a production centre, from the plan alone: which Deployments the
drill scales to what, which it watches, what it restores, and bad input refused by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from govcloud import pipeline
from govcloud.diagnostics import UsageError
from govcloud.drill.cluster_loss import Sample, longest_outage
from govcloud.drill.takeover import candidates, cluster_loss
from govcloud.model.topology import CentreRole, Standby
from govcloud.plan import Plan, build_plan
from govcloud.render.k8s import render_cluster, scope

ROOT = Path(__file__).resolve().parents[3]
SMALL = ROOT / "tests" / "unit" / "render" / "small-topology.yaml"


@pytest.fixture(scope="module")
def reference() -> Plan:
    return pipeline.load_plan(ROOT / "topology.yaml")


@pytest.fixture(scope="module")
def small() -> Plan:
    return pipeline.load_plan(SMALL)


def test_losing_the_provincial_production_centre_scales_every_remote_dr_standby_to_an_active_centres_replicas(
    reference: Plan,
) -> None:
    loss = cluster_loss(reference)
    assert loss.lost.name == "gc-nc-prod"
    assert [c.name for c in loss.survivors] == ["gc-nc-aa", "gc-gz-dr"]
    services = reference.index.services
    assert {(s.cluster, s.namespace, s.deployment) for s in loss.scale} == {
        ("gc-gz-dr", "gc-exchange" if name == "data-exchange" else "gc-platform", name) for name in services
    }
    for s in loss.scale:
        assert (s.standby, s.design, s.takeover) == ("warm", 1, services[s.deployment].replicas)
    by_name = {s.deployment: s.takeover for s in loss.scale}
    assert by_name["unified-identity"] == 3 and by_name["workflow"] == 2


def test_the_same_city_clusters_active_services_are_watched_not_scaled(reference: Plan) -> None:
    loss = cluster_loss(reference)
    assert [c.name for c in loss.serving] == ["gc-nc-aa"]
    assert not any(s.cluster == "gc-nc-aa" for s in loss.scale)
    watched = {(w.namespace, w.deployment): w.replicas for w in loss.watched}
    assert len(watched) == 10 and all(w.cluster == "gc-nc-aa" and w.service == w.deployment for w in loss.watched)
    assert watched[("gc-platform", "e-seal")] == 3 and watched[("gc-exchange", "data-exchange")] == 2


def test_restore_applies_exactly_the_rendered_design_of_each_scaled_standby(reference: Plan) -> None:
    loss = cluster_loss(reference)
    rendered = {
        (c.name, o["metadata"]["namespace"], o["metadata"]["name"]): o
        for c in loss.survivors
        for o in render_cluster(reference, c)
        if o["kind"] == "Deployment"
    }
    assert set(loss.design) == {(s.cluster, s.namespace, s.deployment) for s in loss.scale}
    for key, obj in loss.design.items():
        assert obj == rendered[key]
    assert all(loss.design[(s.cluster, s.namespace, s.deployment)]["spec"]["replicas"] == s.design for s in loss.scale)


def test_a_cold_standby_scales_from_zero_to_the_active_replicas(small: Plan) -> None:
    topo = small.topology
    cold = [p.model_copy(update={"standby": Standby.COLD}) for p in topo.platform_services]
    plan = build_plan(topo.model_copy(update={"platform_services": cold}))
    loss = cluster_loss(plan)
    assert loss.lost.name == "gc-p-prod"
    assert loss.scale and all(s.cluster == "gc-p-dr" for s in loss.scale)
    for s in loss.scale:
        assert (s.standby, s.design) == ("cold", 0)
        assert s.takeover == plan.index.services[s.deployment].replicas > 0


def test_takeover_replicas_change_only_standbys(reference: Plan) -> None:
    for c in reference.clusters:
        for p in reference.index.services.values():
            if scope.is_standby(p, c):
                assert c.role == CentreRole.REMOTE_DR and scope.takeover_replicas(p, c) == p.replicas
            else:
                assert scope.takeover_replicas(p, c) == scope.replicas(p, c)


def test_only_a_production_centre_whose_loss_scales_a_standby_can_be_drilled(reference: Plan) -> None:
    assert [c.name for c in candidates(reference)] == ["gc-nc-prod"]
    with pytest.raises(UsageError, match=r"'gc-nope' \(no such lab cluster\); choose one of: gc-nc-prod"):
        cluster_loss(reference, "gc-nope")
    with pytest.raises(UsageError, match=r"'gc-nc-aa' \(its loss scales no standby\)"):
        cluster_loss(reference, "gc-nc-aa")
    with pytest.raises(UsageError, match="its loss scales no standby"):
        cluster_loss(reference, "gc-nanchang-dc")  # a city cloud's: its exchange instance is active, no standby


def test_a_topology_without_platform_services_has_no_cluster_loss_drill(small: Plan) -> None:
    plan = build_plan(small.topology.model_copy(update={"platform_services": []}))
    assert candidates(plan) == []
    with pytest.raises(UsageError, match="no cluster-loss drill in this topology"):
        cluster_loss(plan)


def test_the_longest_outage_runs_from_the_first_failing_sample_to_the_next_serving_one() -> None:
    ok, bad = [], ["gc-nc-aa/gc-platform/e-seal: 2/3 available"]
    samples = [Sample(0.0, ok), Sample(0.5, bad), Sample(1.0, bad), Sample(2.5, ok), Sample(3.0, bad), Sample(3.5, bad)]
    assert longest_outage(samples) == 2.0
    assert longest_outage([Sample(0.0, ok), Sample(0.5, ok)]) == 0.0
    assert longest_outage([]) == 0.0
