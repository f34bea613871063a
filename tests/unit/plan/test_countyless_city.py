"""A prefecture-level city without a county tier (Dongguan, Zhongshan) holds its townships itself."""

from __future__ import annotations

from pathlib import Path

from govcloud import pipeline
from govcloud.model.topology import Tier

MINIMAL = (Path(__file__).resolve().parents[2] / "fixtures" / "minimal.yaml").read_text(encoding="utf-8")
COUNTYLESS = MINIMAL.replace(
    "      counties:\n        - {name: beta-west, title: Beta West, townships: 1, villages: 3}\n",
    "      townships: 4\n      villages: 10\n",
    1,
)


def test_a_city_without_counties_validates_and_its_townships_hang_off_the_city(tmp_path: Path) -> None:
    assert COUNTYLESS != MINIMAL
    path = tmp_path / "countyless.yaml"
    path.write_text(COUNTYLESS, encoding="utf-8")
    checked = pipeline.check(path)
    assert checked.diagnostics == []
    nodes = checked.plan.extranet
    towns = [n for n in nodes if n.tier == Tier.TOWNSHIP and n.parent == "lakeland/beta"]
    villages = [n for n in nodes if n.tier == Tier.VILLAGE and n.parent in {t.id for t in towns}]
    assert len(towns) == 4 and len(villages) == 10
    assert not [n for n in nodes if n.tier == Tier.COUNTY and n.parent == "lakeland/beta"]
    use = checked.plan.tier_use
    assert (use[Tier.COUNTY].nodes, use[Tier.TOWNSHIP].nodes, use[Tier.VILLAGE].nodes) == (1, 2 + 4, 4 + 10)
    assert all(n.ipv4 is not None and n.ipv6 is not None for n in towns + villages)
