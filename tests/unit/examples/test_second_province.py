"""examples/guangdong.yaml, a second province that uses only what docs/ documents, stays valid: the model is
generic ("1 + M + N") and a city without a county tier is a city like any other."""

from __future__ import annotations

from pathlib import Path

import pytest

from govcloud import pipeline
from govcloud.model.topology import CloudKind, Tier

COUNTYLESS = {"441900": "dongguan", "442000": "zhongshan"}


@pytest.fixture(scope="module")
def checked(root: Path) -> pipeline.Checked:
    return pipeline.check(root / "examples" / "guangdong.yaml")


def test_guangdong_validates_with_no_error_and_no_warning(checked: pipeline.Checked) -> None:
    assert [f"{d.rule} {d.message}" for d in checked.diagnostics] == []


def test_guangdong_has_its_21_prefecture_level_cities_each_with_a_city_cloud(checked: pipeline.Checked) -> None:
    cities = checked.topology.province.cities
    assert len(cities) == 21
    assert (cities[0].code, cities[0].name, cities[-1].code, cities[-1].name) == (
        "440100",
        "guangzhou",
        "445300",
        "yunfu",
    )
    served = sorted(c.city for c in checked.topology.clouds if c.kind == CloudKind.CITY and c.city)
    assert served == sorted(c.code for c in cities)


def test_dongguan_and_zhongshan_have_no_counties_and_their_towns_count_in_the_township_tier(
    checked: pipeline.Checked,
) -> None:
    cities = {c.code: c for c in checked.topology.province.cities}
    for code, name in COUNTYLESS.items():
        city = cities[code]
        assert city.name == name
        assert city.counties == []
        assert city.townships > 0 and city.villages > 0
    assert all(c.counties for code, c in cities.items() if code not in COUNTYLESS)
    townships = sum(c.townships for c in cities.values()) + sum(
        k.townships for c in cities.values() for k in c.counties
    )
    use = checked.plan.tier_use
    assert use[Tier.TOWNSHIP].nodes == townships
    assert use[Tier.COUNTY].nodes == sum(len(c.counties) for c in cities.values())


def test_guangdong_plans_one_lab_cluster_per_centre(checked: pipeline.Checked) -> None:
    centres = [dc.name for c in checked.topology.clouds for dc in c.centres]
    assert len(centres) == 28
    assert sorted(cl.centre for cl in checked.plan.clusters) == sorted(centres)
