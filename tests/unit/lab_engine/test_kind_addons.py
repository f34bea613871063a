"""What `lab up --engine kind` installs in every cluster names only images the offline node image
carries, and the capacity policy touches only govcloud's pods (no processes: files only)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from govcloud.lab import kind
from govcloud.model.topology import LabSettings
from govcloud.render.k8s import labels as L

ROOT = Path(__file__).resolve().parents[3]
BUILD = (ROOT / "images/kind-node/build.sh").read_text(encoding="utf-8")


def pinned(key: str) -> str:
    m = re.search(rf"^{key}=(\S+)", (ROOT / "tools/versions.env").read_text(encoding="utf-8"), re.M)
    assert m, key
    return m.group(1)


def docs(path: Path) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]


def images(obj: Any) -> set[str]:
    if isinstance(obj, dict):
        found = {obj["image"]} if isinstance(obj.get("image"), str) else set()
        return found.union(*(images(v) for v in obj.values()))
    if isinstance(obj, list):
        return set().union(*(images(v) for v in obj))
    return set()


def test_the_network_addon_runs_the_kube_router_the_node_image_is_built_with() -> None:
    network = docs(kind.ADDONS[0])
    assert images(network) == {f"govcloud/kube-router:{pinned('KUBE_ROUTER_VERSION')}"}
    ds = next(d for d in network if d["kind"] == "DaemonSet")
    for c in ds["spec"]["template"]["spec"]["containers"] + ds["spec"]["template"]["spec"]["initContainers"]:
        assert c["imagePullPolicy"] == "Never"  # no registry: a missing image must fail, not hang pulling
    args = ds["spec"]["template"]["spec"]["containers"][0]["args"]
    assert "--run-firewall=true" in args and "--run-service-proxy=false" in args


def test_the_lab_image_defaults_are_the_images_the_node_image_preloads() -> None:
    built = dict(re.findall(r"^(LAB_\w+_IMAGE)=(\S+)$", BUILD, re.M))
    lab = LabSettings()
    assert {lab.workload_image, lab.exchange_image} == {built["LAB_SERVICE_IMAGE"]}
    assert lab.backup_image == built["LAB_BACKUP_IMAGE"]


def test_the_capacity_policy_mutates_only_govcloud_pods_at_creation() -> None:
    policy, binding = docs(kind.ADDONS[1])
    assert policy["kind"] == "MutatingAdmissionPolicy" and binding["spec"]["policyName"] == policy["metadata"]["name"]
    match = policy["spec"]["matchConstraints"]
    assert match["objectSelector"] == {"matchLabels": {L.APP_MANAGED_BY: L.MANAGED_BY}}
    assert match["resourceRules"] == [
        {"apiGroups": [""], "apiVersions": ["v1"], "operations": ["CREATE"], "resources": ["pods"]}
    ]
    expression = policy["spec"]["mutations"][0]["applyConfiguration"]["expression"]
    # requests and limits scale alike (Guaranteed QoS stays), both resources, with floors
    for kind_ in ("requests", "limits"):
        assert f'c.resources.{kind_}["cpu"]' in expression and f'c.resources.{kind_}["memory"]' in expression
    assert "? 10 :" in expression and "? 16 :" in expression
