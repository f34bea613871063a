"""The diagrams as text (no Graphviz run here: tests/integration/test_graph.py runs it): positions from
coordinates, links labelled with mode and distance, zones, boundaries and hosts in each centre's
picture, Mermaid for Markdown, and byte-identical output."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from govcloud import pipeline
from govcloud.cli import main
from govcloud.plan import Plan
from govcloud.render.graph import diagrams
from govcloud.render.graph.dot import quote

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def plan() -> Plan:
    return pipeline.load_plan(ROOT / "topology.yaml")


@pytest.fixture(scope="module")
def pics(plan: Plan):
    return {d.name: d for d in diagrams(plan)}


def positions(dot: str) -> dict[str, tuple[float, float]]:
    return {
        m.group(1): (float(m.group(2)), float(m.group(3)))
        for m in re.finditer(r'^\s*"([\w-]+)" \[.*pos="(-?[\d.]+),(-?[\d.]+)"', dot, re.M)
    }


def test_one_diagram_per_centre_plus_the_province_and_the_extranet(plan: Plan, pics) -> None:
    assert list(pics)[:2] == ["province", "extranet"]
    assert sorted(n for n in pics if n.startswith("centres/")) == sorted(f"centres/{k.centre}" for k in plan.clusters)


def test_the_province_map_places_centres_by_their_coordinates(pics) -> None:
    pos = positions(pics["province"].dot)
    assert pos["gz-dr"][1] < pos["nc-prod"][1] < pos["jiujiang-dc"][1]  # Ganzhou south, Jiujiang north
    assert pos["pingxiang-dc"][0] < pos["nc-prod"][0] < pos["shangrao-dc"][0]  # Pingxiang west, Shangrao east
    assert pics["province"].engine == ("neato", "-n")


def test_dr_links_are_labelled_sync_or_async_with_their_distance(pics) -> None:
    dot = pics["province"].dot
    assert re.search(r'"nc-prod" -> "nc-aa" \[.*label="sync 13 km"', dot)
    assert re.search(r'"nc-prod" -> "gz-dr" \[.*label="async 328 km"', dot)
    assert re.search(r'"nanchang-dc" -> "jiujiang-dc" \[.*label="backup 115 km".*style="dashed"', dot)


def test_the_extranet_summary_counts_the_nodes_of_each_tier(plan: Plan, pics) -> None:
    dot = pics["extranet"].dot
    for tier, use in plan.tier_use.items():
        assert f"<B>{use.nodes:,}</B> nodes" in dot, tier
    assert "21,488 nodes" in dot


def test_a_centre_shows_its_cluster_zones_boundaries_and_lab_hosts(plan: Plan, pics) -> None:
    dot = pics["centres/nc-prod"].dot
    assert "cluster gc-nc-prod: 6 nodes" in dot
    for zone in ("internet", "extranet", "dedicated", "management"):
        assert f'"z/{zone}"' in dot
    assert '"z/extranet" -> "z/dedicated" [color="#b42318", fontcolor="#b42318", label="firewall: 443, 5432"]' in dot
    hosts = [h for h in plan.lab.hosts if h.centre == "nc-prod"]
    assert hosts and all(f'"h/{h.name}"' in dot and str(h.ipv4) in dot for h in hosts)
    assert 'label="PostgreSQL sync"' in dot and 'label="PostgreSQL async"' in dot


def test_mermaid_versions_are_flowcharts_with_the_same_links(pics) -> None:
    mmd = pics["province"].mermaid
    assert mmd.startswith("flowchart LR\n")
    assert 'n_nc_prod ==>|"sync 13 km"| n_nc_aa' in mmd
    assert 'n_nc_prod -->|"async 328 km"| n_gz_dr' in mmd


def test_dot_strings_are_quoted_so_names_cannot_break_the_file() -> None:
    assert quote('a "b"\nc') == '"a \\"b\\"\\nc"'
    assert quote("<<B>x</B>>") == "<<B>x</B>>"


def run_cli(*args: str) -> int:
    old = sys.argv
    sys.argv = ["govcloud", *args]
    try:
        main()
    except SystemExit as e:
        return int(e.code or 0)
    finally:
        sys.argv = old
    return 0


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_runs_of_graph_give_byte_identical_dot_and_mermaid(tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert (
            run_cli("graph", str(ROOT / "topology.yaml"), "--out", str(tmp_path / name), "-f", "dot", "-f", "mermaid")
            == 0
        )
    a = tree(tmp_path / "a")
    assert a == tree(tmp_path / "b")
    assert "province.dot" in a and "centres/gz-dr.mmd" in a and len(a) == 2 * 22 + 1


def test_graph_without_graphviz_fails_with_exit_4_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no dot, no neato
    assert run_cli("graph", str(ROOT / "topology.yaml"), "--out", str(tmp_path / "g")) == 4
    assert not (tmp_path / "g").exists()
