"""The simulated interval means match the published Chinese intervals the facts file cites (S18, S19)."""

import dataclasses

import numpy as np
import pytest

from countybridge.ems.network import synthetic_county_network
from countybridge.ems.simulation import (
    PUBLISHED_INTERVALS_MIN,
    DemandPoint,
    Hospital,
    Lognormal,
    SimulationConfig,
    SimulationInputs,
    Station,
    inputs_from_network,
    simulate,
)


def test_default_distribution_parameters_reproduce_published_means_and_sds():
    cfg = SimulationConfig()
    for name in ("call_processing", "on_scene"):
        dist = getattr(cfg, name)
        mean, sd = PUBLISHED_INTERVALS_MIN[name]
        assert dist.mean == pytest.approx(mean, rel=0.01)
        assert dist.sd == pytest.approx(sd, rel=0.02)
    assert Lognormal.from_mean_sd(14.01, 6.82).sigma == pytest.approx(0.46, abs=0.01)  # facts: σ 0.46


@pytest.fixture(scope="module")
def long_run():
    # 60 demand points × 1 station with ample ambulances; travel legs all 14.01 min with the facts' σ 0.46
    n = 60
    inputs = SimulationInputs(
        demand=[DemandPoint(f"d{k}", "510181", 1500.0) for k in range(n)],
        stations=[Station("s", "510181", 40)],
        hospitals=[Hospital("h")],
        station_to_demand=np.full((1, n), 14.01),
        demand_to_hospital=np.full((n, 1), 14.08),
        hospital_to_station=np.full((1, 1), 14.0),
    )
    cfg = dataclasses.replace(
        SimulationConfig(), travel_noise_sigma=0.46, peak_travel_factor=1.0, days=120, replications=2, seed=4
    )
    return simulate(inputs, cfg)


@pytest.mark.parametrize("name", ["call_processing", "on_scene", "arrival_at_scene", "to_hospital"])
def test_simulated_interval_means_match_facts(long_run, name):
    mean, sd = PUBLISHED_INTERVALS_MIN[name]
    got_mean, got_sd = long_run.intervals[name]
    assert got_mean == pytest.approx(mean, rel=0.03)
    assert got_sd == pytest.approx(sd, rel=0.06)


def test_turnout_over_three_minutes_share_matches_chongqing(long_run):
    turnout = np.concatenate([r.intervals["turnout"] for r in long_run.replications])
    assert (turnout > 3).mean() == pytest.approx(0.3328, abs=0.02)  # S19: 33.28% of 出车 times over 3 min


def test_handover_capped_and_no_queue_with_ample_fleet(long_run):
    handover = np.concatenate([r.intervals["handover"] for r in long_run.replications])
    assert np.nanmax(handover) <= 45.0
    assert long_run.overall.waited_calls.mean == 0


def test_synthetic_county_whole_run_is_in_the_published_range():
    """A demo county (都江堰, 710,056 people, 15 dispatches per 1,000) with 1 ambulance per 30,000: the mean
    response lies in the Chinese benchmark range (facts § 3: 12.4–16.1 min means; rural targets ≤30) and
    the whole run within one published SD of 42.3 min."""
    s = synthetic_county_network("510181", 103.6466, 30.9884, seed=1)
    pts = s.demand_points(150, seed=2)
    calls = 710_056 * 15 / 1000
    demand = [DemandPoint(p.name, "510181", calls / len(pts), p.lon, p.lat) for p in pts]
    towns = s.towns[:8]
    per = [6, 3, 3, 3, 3, 2, 2, 2]  # 24 ambulances
    stations = [Station(f"S{k}", "510181", per[k], t.lon, t.lat) for k, t in enumerate(towns)]
    hospitals = [Hospital(f"H{k}", lon=t.lon, lat=t.lat) for k, t in enumerate(towns[:3])]
    inputs = inputs_from_network(s.network, demand, stations, hospitals)
    res = simulate(inputs, dataclasses.replace(SimulationConfig(), days=60, replications=2, seed=1))
    assert 8.0 < res.overall.response_mean_min.mean < 30.0
    whole_mean, _ = res.intervals["whole_run"]
    mean, sd = PUBLISHED_INTERVALS_MIN["whole_run"]
    assert abs(whole_mean - mean) < sd
    assert 0.0 < res.overall.utilisation.mean < 0.5
