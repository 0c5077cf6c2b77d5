"""Response analytics on hand-checked numbers (pure module, no database)."""

import math

import numpy as np
import pytest

from countybridge.ems import coverage, parameters
from countybridge.ems.coverage import Hospital, Place, Station

PLACES = [
    Place(1, "甲镇", "X", 100, 104.00, 30.00),
    Place(2, "乙镇", "X", 300, 104.05, 30.00),
    Place(3, "丙镇", "X", 600, 104.10, 30.00),
]
STATIONS = [
    Station(10, "一站", "X", 104.00, 30.00, ambulances=2, negative_pressure=1),
    Station(11, "空站", "X", 104.10, 30.00, ambulances=0),  # no ambulance: never serves
]


def test_response_uses_only_stations_with_ambulances_and_adds_pre_travel():
    travel = np.array([[2.0, 8.0, 12.0], [1.0, 1.0, 1.0]])
    response, serving = coverage.response_times(travel, STATIONS, pre_travel=5.0)
    assert response.tolist() == [7.0, 13.0, 17.0]
    assert serving.tolist() == [0, 0, 0]
    peak, _ = coverage.response_times(travel, STATIONS, pre_travel=5.0, peak_factor=1.5)
    assert peak.tolist() == [8.0, 17.0, 23.0]


def test_county_figures_population_weighted():
    result = coverage.county_coverage(PLACES, np.array([7.0, 13.0, 17.0]), thresholds=(5, 10, 15), target=15)
    x = result["X"]
    assert x.within == {5.0: 0.0, 10.0: 0.1, 15.0: 0.4}
    assert x.average == pytest.approx((7 * 100 + 13 * 300 + 17 * 600) / 1000)  # 14.8
    assert x.p90 == 17.0
    assert x.meets_target  # average 14.8 ≤ 15 and every place reached
    assert [f["name"] for f in x.failing] == ["丙镇"]


def test_unreached_place_fails_the_target_and_is_listed_first():
    x = coverage.county_coverage(PLACES, np.array([7.0, 13.0, np.inf]), target=15)["X"]
    assert x.average == pytest.approx(11.5)  # over the reached 400 residents
    assert x.p90 is None  # 60% of residents have no road response
    assert not x.meets_target and x.unreached_population == 600
    assert x.failing[0] == {"id": 3, "name": "丙镇", "population": 600, "response": None}


def test_hospitals_covered_within_target():
    hospitals = [
        Hospital(1, "县人民医院", "X", 2),
        Hospital(2, "中医院", "X", 3),
        Hospital(3, "卫生院", "X", 1),
    ]
    x = coverage.county_coverage(
        PLACES,
        np.array([7.0, 13.0, 17.0]),
        hospitals=hospitals,
        hospital_response=np.array([9.0, 16.0, 30.0]),
    )["X"]
    assert (x.hospitals_total, x.hospitals_covered) == (2, 1)  # the level-1 one does not count
    assert x.hospitals_missing == [{"id": 2, "name": "中医院", "response": 16.0}]


def test_weighted_quantile_exact():
    values = np.array([3.0, 1.0, 2.0])
    weights = np.array([1.0, 1.0, 2.0])
    assert coverage.weighted_quantile(values, weights, 0.25) == 1.0
    assert coverage.weighted_quantile(values, weights, 0.5) == 2.0
    assert coverage.weighted_quantile(values, weights, 0.9) == 3.0


def test_standards_both_readings_radius_and_negative_pressure():
    # 丙镇 is 0.10° of longitude ≈ 9.6 km east of the station at 30°N: outside 5 km urban, inside 20 km rural
    places = [PLACES[0], PLACES[1], Place(3, "丙镇", "X", 600, 104.10, 30.00, urban=True)]
    check = coverage.standards_check("X", 90_000, places, STATIONS)
    assert (check.required_prefecture, check.required_county_rule) == (3, 9)
    assert check.ambulances == 2 and not check.meets_prefecture and not check.meets_county_rule
    assert check.negative_pressure_share == 0.5 and check.meets_negative_pressure
    assert check.radius_share == pytest.approx(0.4)
    assert [o["name"] for o in check.radius_places_outside] == ["丙镇"]
    assert check.radius_places_outside[0]["distance_km"] == pytest.approx(9.63, abs=0.05)
    rural = coverage.standards_check("X", 60_000, PLACES, STATIONS)
    assert rural.meets_radius and rural.meets_prefecture and rural.required_county_rule == 6


def test_negative_pressure_below_forty_percent_fails():
    stations = [Station(1, "a", "X", 104, 30, ambulances=5, negative_pressure=1)]
    check = coverage.standards_check("X", 10_000, PLACES, stations)
    assert check.negative_pressure_share == 0.2 and not check.meets_negative_pressure


def test_cost_counts_used_stations_and_ambulances():
    assert coverage.scenario_cost(STATIONS, per_station=100.0, per_ambulance=10.0) == 120.0


def test_haversine_one_degree_latitude():
    assert float(coverage.haversine_km(104, 30, 104, 31)) == pytest.approx(111.2, abs=0.1)


def test_settings_validation_names_the_bad_speed():
    values, problems = parameters.validate({"speeds_kmh": {"county": "fast", "national": 70}})
    assert [p.field for p in problems] == ["speeds_kmh.county"]
    assert "县道" in problems[0].message_zh and "county road" in problems[0].message_en
    ok, none = parameters.validate({"speeds_kmh": {"national": "70"}, "target_min": 12})
    assert not none and ok["speeds_kmh"]["national"] == 70.0 and ok["target_min"] == 12.0
    assert math.isclose(parameters.pre_travel_minutes(ok), 0.5 + 2.16 + 2.72)


def test_settings_validation_rejects_unknown_and_out_of_range():
    _, problems = parameters.validate({"nonsense": 1, "negative_pressure_share": 2, "hourly_profile": [1, 2]})
    assert {p.field for p in problems} == {"nonsense", "negative_pressure_share", "hourly_profile"}


def test_settings_validation_of_lognormal_pairs():
    ok, none = parameters.validate({"lognormal": {"on_scene": ["2.5", 0.4]}})
    assert not none and ok["lognormal"]["on_scene"] == [2.5, 0.4]
    _, problems = parameters.validate({"lognormal": {"on_scene": ["x", 0.4], "teleport": [1, 1]}})
    assert {p.field for p in problems} == {"lognormal.on_scene", "lognormal.teleport"}


def test_call_quantile_adds_interval_variability():
    fixed = [(math.log(2.0), 1e-9)]  # an interval of (almost exactly) 2 minutes
    assert coverage.call_quantile(np.array([1.0, 5.0]), np.array([1.0, 1.0]), fixed, q=0.5) == pytest.approx(
        3.0
    )
    assert coverage.call_quantile(np.array([1.0, 5.0]), np.array([1.0, 1.0]), fixed, q=0.9) == pytest.approx(
        7.0
    )
    # 90% of calls come from a place without a road: no finite p90
    assert coverage.call_quantile(np.array([1.0, np.inf]), np.array([1.0, 9.0]), fixed) is None
    spread = coverage.call_quantile(np.array([10.0]), np.array([1.0]), [(0.875, 0.5)], q=0.9)
    assert spread == pytest.approx(10 + math.exp(0.875 + 1.2816 * 0.5), abs=0.15)  # lognormal p90, seeded
