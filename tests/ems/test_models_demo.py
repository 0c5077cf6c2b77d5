"""The demo loader writes a usable synthetic EMS network per county city; models keep their constraints."""

import pytest
from django.db import IntegrityError, transaction

from countybridge.ems import analysis, demo
from countybridge.ems.models import DemandPoint, Hospital, RoadNetwork, Scenario

from .conftest import DAYI


def test_demo_two_counties_then_idempotent(db):
    counts = demo.ems_demo_load(seed=1, codes=[DAYI, "510131"])
    assert counts["counties"] == 2 and counts["stations"] >= 6 and counts["ambulances"] >= counts["stations"]
    assert demo.ems_demo_load(seed=1) == {"counties": 0}
    for scenario in Scenario.objects.filter(is_baseline=True):
        assert scenario.is_synthetic and scenario.network.is_synthetic
        points = DemandPoint.objects.filter(region=scenario.region)
        assert points.count() == scenario.region.children.filter(level="township").count()
        result = analysis.analyse(scenario)
        cov = result["coverage"]
        assert cov["unreached_population"] == 0  # every township is on the generated roads
        assert 5 < cov["average"] < 60 and cov["p90"] >= cov["average"] * 0.9
        std = result["standards"]
        assert (
            3 * std["required_prefecture"] - 2
            <= std["required_county_rule"]
            <= 3 * std["required_prefecture"]
        )
    assert Hospital.objects.filter(is_synthetic=True).exists()


def test_demo_reset_reloads(db):
    demo.ems_demo_load(seed=1, codes=["510131"])
    first = RoadNetwork.objects.get().content_hash
    demo.ems_demo_load(seed=1, codes=["510131"], reset=True)
    assert RoadNetwork.objects.get().content_hash == first  # same seed, same network
    assert Scenario.objects.count() == 1


def test_one_baseline_per_county(dayi):
    with pytest.raises(IntegrityError), transaction.atomic():
        Scenario.objects.create(region=dayi.region, name="another", network=dayi.network, is_baseline=True)
