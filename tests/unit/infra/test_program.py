"""The Pulumi program (infra/) under Pulumi's official mocks: no engine, no cluster.

The mocks are installed before the program runs; the program is then run the way Pulumi runs it (the
`infra/` folder as `__main__`), on the renderer tests' small topology. Checks run inside
`Output.all(...).apply(...)` under `@pulumi.runtime.test`.
"""

from __future__ import annotations

import runpy
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pulumi

ROOT = Path(__file__).resolve().parents[3]
INFRA = ROOT / "infra"
SMALL = ROOT / "tests" / "unit" / "render" / "small-topology.yaml"


class RecordingMocks(pulumi.runtime.Mocks):
    """Records every resource the program registers: type, name, inputs and the provider it goes through."""

    def __init__(self) -> None:
        self.resources: list[pulumi.runtime.MockResourceArgs] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.resources.append(args)
        return f"{args.name}-id", dict(args.inputs)

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


MOCKS = RecordingMocks()
pulumi.runtime.set_mocks(MOCKS, project="govcloud", stack="lab", preview=False)
pulumi.runtime.set_all_config({"govcloud:topology": str(SMALL), "govcloud:kubeconfig": "/nonexistent/kubeconfig"})
PROGRAM = runpy.run_path(str(INFRA), run_name="__main__")  # the program, imported after the mocks

from govcloud import pipeline  # noqa: E402
from govcloud.render.k8s import render_cluster  # noqa: E402

PLAN = pipeline.load_plan(SMALL)
K8S = "kubernetes:"
PROVIDER = "pulumi:providers:kubernetes"


def _objects() -> list[pulumi.runtime.MockResourceArgs]:
    return [r for r in MOCKS.resources if r.typ.startswith(K8S)]


def _providers() -> dict[str, pulumi.runtime.MockResourceArgs]:
    return {r.name: r for r in MOCKS.resources if r.typ == PROVIDER}


def _cluster_of(provider_ref: str | None) -> str:
    """A provider reference is '<urn>::<id>'; our provider ids are '<cluster>-provider-id'."""
    assert provider_ref, "a resource without an explicit provider would go to the ambient kubeconfig"
    return provider_ref.rsplit("::", 1)[-1].removesuffix("-provider-id")


def _components() -> list[Any]:
    return PROGRAM["components"]


def _everything() -> pulumi.Output:
    """Resolves once every provider and every object of every component is registered."""
    urns = [r.urn for comp in _components() for r in (comp.provider, *comp.resources.values())]
    return pulumi.Output.all(*urns)


@pulumi.runtime.test
def test_one_component_and_one_provider_per_cluster_on_its_own_context() -> pulumi.Output:
    def check(_: list[Any]) -> None:
        providers = _providers()
        assert sorted(providers) == sorted(f"{c.name}-provider" for c in PLAN.clusters)
        for c in PLAN.clusters:
            inputs = providers[f"{c.name}-provider"].inputs
            assert inputs["context"] == c.context
            assert inputs["kubeconfig"] == "/nonexistent/kubeconfig"

    return _everything().apply(check)


@pulumi.runtime.test
def test_resource_counts_per_cluster_match_the_renderer() -> pulumi.Output:
    def check(_: list[Any]) -> None:
        got = Counter(_cluster_of(r.provider) for r in _objects())
        want = {c.name: len(render_cluster(PLAN, c)) for c in PLAN.clusters}
        assert dict(got) == want

    return _everything().apply(check)


@pulumi.runtime.test
def test_every_resource_goes_through_its_own_clusters_provider() -> pulumi.Output:
    def check(_: list[Any]) -> None:
        for r in _objects():
            cluster = _cluster_of(r.provider)
            assert r.name.startswith(f"{cluster}-"), (r.typ, r.name, cluster)
            labels = r.inputs.get("metadata", {}).get("labels", {})
            assert labels.get("govcloud.dev/centre") == PLAN.cluster(cluster).centre, (r.typ, r.name)

    return _everything().apply(check)


def _containers(r: pulumi.runtime.MockResourceArgs) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    spec = r.inputs["spec"]
    if r.typ.endswith(":CronJob"):
        spec = spec["jobTemplate"]["spec"]
    pod = spec["template"]["spec"]
    return pod, pod["containers"]


@pulumi.runtime.test
def test_no_privileged_or_root_containers_are_deployed() -> pulumi.Output:
    def check(_: list[Any]) -> None:
        workloads = [r for r in _objects() if r.typ.endswith((":Deployment", ":CronJob"))]
        assert workloads
        for r in workloads:
            pod, containers = _containers(r)
            assert pod["securityContext"]["runAsNonRoot"] is True and pod["securityContext"]["runAsUser"] != 0
            for c in containers:
                sc = c["securityContext"]
                assert sc["privileged"] is False and sc["allowPrivilegeEscalation"] is False, r.name
                assert sc["runAsNonRoot"] is True and sc["runAsUser"] != 0, r.name
                assert c["resources"]["requests"] and c["resources"]["limits"], r.name

    return _everything().apply(check)


@pulumi.runtime.test
def test_every_tenant_namespace_has_its_default_deny_policy() -> pulumi.Output:
    def check(_: list[Any]) -> None:
        namespaces: dict[str, set[str]] = defaultdict(set)
        denies: dict[str, set[str]] = defaultdict(set)
        for r in _objects():
            cluster, meta = _cluster_of(r.provider), r.inputs["metadata"]
            if r.typ == "kubernetes:core/v1:Namespace" and meta["labels"]["govcloud.dev/role"] == "tenant":
                namespaces[cluster].add(meta["name"])
            if r.typ == "kubernetes:networking.k8s.io/v1:NetworkPolicy" and meta["name"] == "default-deny":
                assert r.inputs["spec"] == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
                denies[cluster].add(meta["namespace"])
        assert namespaces and all(namespaces[c] <= denies[c] for c in namespaces)

    return _everything().apply(check)


def test_stack_outputs_summarize_each_cluster_by_kind() -> None:
    summaries = {c.cluster_name: c.summary for c in _components()}
    for c in PLAN.clusters:
        objs = render_cluster(PLAN, c)
        s = summaries[c.name]
        assert s["context"] == c.context and s["objects"] == len(objs)
        assert sum(s["kinds"].values()) == len(objs)
        assert s["kinds"]["NetworkPolicy"] == sum(o["kind"] == "NetworkPolicy" for o in objs)
