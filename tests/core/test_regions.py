import pytest

from countybridge.core.models import FunctionalZone, Pairing, Region
from countybridge.core.services import regions_load
from countybridge.core.services.people import resolve_region_code

pytestmark = pytest.mark.django_db


def test_twenty_divisions_and_census_total():
    counties = Region.objects.filter(level="county", successor__isnull=True)
    assert counties.count() == 20
    assert sum(c.population_2020 for c in counties) == 20_937_757
    assert sum(c.population_2020 for c in counties.filter(is_county_city=True)) == 5_518_312


def test_125_townships_with_rare_character_intact():
    townships = Region.objects.filter(level="township")
    assert townships.count() == 125
    assert townships.filter(parent__code="510185").count() == 37
    assert Region.objects.get(code="510129106").name_zh == "\u48ba江镇"
    # synthetic township populations add up to the county's census figure
    jianyang = Region.objects.get(code="510185")
    assert sum(t.population_2020 for t in jianyang.children.all()) == jianyang.population_2020
    assert all(t.population_is_synthetic for t in townships)


def test_old_codes_resolve_to_todays_region():
    assert resolve_region_code("512081").code == "510185"
    assert resolve_region_code("513902").code == "510185"
    assert resolve_region_code("510130").code == "510183"
    assert resolve_region_code("510132").code == "510118"


def test_zones_and_pairings():
    ena = FunctionalZone.objects.get(slug="eastern-new-area")
    assert ena.regions.filter(level="township").count() == 15
    assert Pairing.objects.filter(status="known").count() >= 5
    illustrative = Pairing.objects.filter(status="illustrative").values_list("county_city__code", flat=True)
    assert set(illustrative) == {"510185", "510181", "510129"}


def test_reload_is_idempotent():
    before = Region.objects.count(), Pairing.objects.count()
    regions_load()
    assert (Region.objects.count(), Pairing.objects.count()) == before
