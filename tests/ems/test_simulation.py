"""EMS dispatch simulation: M/M/c theory, dispatch rules, FIFO queue, seeds, per-county results, bad input."""

import dataclasses
import decimal
import math

import numpy as np
import pytest

from countybridge.ems.simulation import (
    Constant,
    DemandPoint,
    Exponential,
    Hospital,
    SimulationConfig,
    SimulationError,
    SimulationInputs,
    Station,
    erlang_c,
    erlang_c_config,
    simulate,
)

ZERO = Constant(0.0)


def fixed_config(**kw):
    """Deterministic intervals: processing 1, turnout 1, on scene 10, handover 5, everyone transported."""
    base = dict(
        call_processing=Constant(1.0),
        turnout=Constant(1.0),
        on_scene=Constant(10.0),
        handover=Constant(5.0),
        peak_travel_factor=1.0,
        no_patient_share=0.0,
        transport_share=1.0,
        hourly_profile=(1.0,) * 24,
        days=1.0,
        warmup_days=0.0,
        replications=1,
    )
    base.update(kw)
    return SimulationConfig(**base)


def single_queue_inputs(servers: int, calls_per_year: float, history=None):
    return SimulationInputs(
        demand=[DemandPoint("d", "510181", calls_per_year)],
        stations=[Station("s", "510181", servers)],
        hospitals=[Hospital("h")],
        station_to_demand=np.zeros((1, 1)),
        demand_to_hospital=np.zeros((1, 1)),
        hospital_to_station=np.zeros((1, 1)),
        history=history,
    )


@pytest.mark.parametrize(("servers", "rho"), [(3, 0.75), (1, 0.6)])
def test_mmc_queue_matches_erlang_c(servers, rho):
    service = 30.0
    lam = rho * servers / service  # per minute
    cfg = erlang_c_config(service, days=40, replications=12, seed=11)
    res = simulate(single_queue_inputs(servers, lam * 1440 * 365), cfg)
    pw, wq = erlang_c(servers, lam, service)
    g = res.overall
    # theory inside the replication confidence interval (slack 25% of the half-width for warm-up bias)
    for est, truth in ((g.waited_share, pw), (g.wait_mean_min, wq), (g.utilisation, rho)):
        half = (est.high - est.low) / 2
        assert est.low - 0.25 * half <= truth <= est.high + 0.25 * half, (est, truth)
    assert g.waited_share.mean == pytest.approx(pw, rel=0.1)
    assert g.wait_mean_min.mean == pytest.approx(wq, rel=0.15)


def test_erlang_c_formula_known_value():
    # c = 2, a = 1: P(wait) = 1/3, Wq = P/(c μ - λ) = (1/3) / (2 - 1) with unit service
    pw, wq = erlang_c(2, 1.0, 1.0)
    assert pw == pytest.approx(1 / 3) and wq == pytest.approx(1 / 3)
    assert erlang_c(2, 2.0, 1.0) == (1.0, math.inf)


def test_nearest_available_ambulance_is_sent():
    inputs = SimulationInputs(
        demand=[DemandPoint("d", "510181", 0.0)],
        stations=[Station("near", "510181", 1), Station("far", "510181", 1)],
        hospitals=[Hospital("h")],
        station_to_demand=np.array([[5.0], [20.0]]),
        demand_to_hospital=np.array([[0.0]]),
        hospital_to_station=np.array([[0.0, 0.0]]),
        history=[(0.0, "d"), (0.0, "d"), (200.0, "d")],
    )
    rep = simulate(inputs, fixed_config()).replications[0]
    # response = processing 1 + turnout 1 + travel: first the near one (5), then the far one (20);
    # by t = 200 both are back and the near one goes again
    np.testing.assert_allclose(rep.response_min, [7.0, 22.0, 7.0])
    assert (rep.wait_min == 0).all()


def test_calls_wait_in_fifo_order():
    inputs = single_queue_inputs(1, 0.0, history=[(0.0, 0), (1.0, 0), (2.0, 0)])
    # busy cycle: turnout 1 + on scene 10 + handover 5 = 16 min, travel 0
    rep = simulate(inputs, fixed_config()).replications[0]
    np.testing.assert_allclose(rep.wait_min, [0.0, 15.0, 30.0])
    np.testing.assert_allclose(rep.response_min, [2.0, 17.0, 32.0])
    res = simulate(inputs, fixed_config())
    assert res.overall.waited_calls.mean == 2 and res.overall.waited_share.mean == pytest.approx(2 / 3)


def test_nearest_suitable_hospital_by_capability():
    inputs = SimulationInputs(
        demand=[DemandPoint("d", "510181", 0.0)],
        stations=[Station("s", "510181", 1)],
        hospitals=[
            Hospital("near", frozenset({"general"})),
            Hospital("stroke", frozenset({"general", "stroke"})),
        ],
        station_to_demand=np.array([[0.0]]),
        demand_to_hospital=np.array([[4.0, 9.0]]),
        hospital_to_station=np.array([[0.0], [0.0]]),
        history=[(0.0, "d")],
    )
    general = simulate(inputs, fixed_config()).replications[0]
    assert general.intervals["to_hospital"][0] == 4.0
    stroke = simulate(inputs, fixed_config(call_categories={"stroke": (1.0, "stroke")})).replications[0]
    assert stroke.intervals["to_hospital"][0] == 9.0


def test_results_per_county_and_utilisation():
    inputs = SimulationInputs(
        demand=[DemandPoint("a", "510181", 0.0), DemandPoint("b", "510131", 0.0)],
        stations=[Station("sa", "510181", 1), Station("sb", "510131", 1)],
        hospitals=[Hospital("h")],
        station_to_demand=np.array([[3.0, 30.0], [30.0, 6.0]]),
        demand_to_hospital=np.array([[0.0], [0.0]]),
        hospital_to_station=np.array([[3.0, 6.0]]),
        history=[(0.0, "a"), (10.0, "b"), (500.0, "a")],
    )
    res = simulate(inputs, fixed_config())
    a, b = res.counties["510181"], res.counties["510131"]
    assert (a.calls.mean, b.calls.mean) == (2, 1)
    assert a.response_mean_min.mean == pytest.approx(5.0) and b.response_mean_min.mean == pytest.approx(8.0)
    # busy per call at sa: turnout 1 + travel 3 + scene 10 + hospital 0 + handover 5 + back 3 = 22 min, twice
    assert a.utilisation.mean == pytest.approx(44.0 / 1440.0)
    assert b.utilisation.mean == pytest.approx((1 + 6 + 10 + 5 + 6) / 1440.0)
    assert res.to_dict()["counties"]["510131"]["ambulances"] == 1


def test_seed_reproducibility():
    inputs = single_queue_inputs(2, 20000.0)
    cfg = dataclasses.replace(SimulationConfig(), days=10, warmup_days=1, replications=3, seed=7)
    a, b = simulate(inputs, cfg), simulate(inputs, cfg)
    assert a.to_dict() == b.to_dict()
    np.testing.assert_array_equal(a.replications[1].response_min, b.replications[1].response_min)
    c = simulate(inputs, dataclasses.replace(cfg, seed=8))
    assert c.to_dict() != a.to_dict()
    # replications differ from each other
    assert a.replications[0].response_min[:5].tolist() != a.replications[1].response_min[:5].tolist()


def test_time_of_day_profile_shapes_arrivals():
    inputs = single_queue_inputs(50, 200000.0)
    res = simulate(
        inputs, dataclasses.replace(SimulationConfig(), days=30, warmup_days=0, replications=1, seed=3)
    )
    hours = (res.replications[0].arrival_min // 60 % 24).astype(int)
    counts = np.bincount(hours, minlength=24)
    assert counts[16:18].sum() / counts.sum() == pytest.approx(0.118, abs=0.01)  # S25: 11.8% in 16–18
    assert counts[4:6].sum() / counts.sum() == pytest.approx(0.024, abs=0.005)  # S25: 2.4% in 04–06


def test_unreachable_demand_point_is_named():
    inputs = SimulationInputs(
        demand=[DemandPoint("ok", "510181", 10.0), DemandPoint("山村", "510181", 10.0)],
        stations=[Station("s", "510181", 1)],
        hospitals=[Hospital("h")],
        station_to_demand=np.array([[5.0, np.inf]]),
        demand_to_hospital=np.array([[1.0], [1.0]]),
        hospital_to_station=np.array([[1.0]]),
    )
    with pytest.raises(SimulationError) as err:
        simulate(inputs, fixed_config())
    (p,) = err.value.problems
    assert p.place == "demand point 山村" and p.code == "unreachable" and "到达" in p.message_zh


def test_bad_station_and_history_named():
    inputs = single_queue_inputs(1, 10.0)
    inputs.stations = [Station("s1", "510181", -2)]
    with pytest.raises(SimulationError) as err:
        simulate(inputs, fixed_config())
    assert any(p.place == "station s1" for p in err.value.problems)
    inputs.stations = [Station("s1", "510181", np.int64(2))]  # numpy and Decimal inputs are fine
    inputs.demand = [DemandPoint("d", "510181", decimal.Decimal("12.5"))]
    simulate(inputs, fixed_config())
    inputs.demand = [DemandPoint("d", "510181", "many")]
    with pytest.raises(SimulationError) as err:
        simulate(inputs, fixed_config())
    assert err.value.problems[0].place == "demand point d"
    bad = single_queue_inputs(1, 10.0, history=[(0.0, "d"), (5.0, "nowhere")])
    with pytest.raises(SimulationError) as err:
        simulate(bad, fixed_config())
    assert err.value.problems[0].place == "history row 2"


def test_exponential_service_is_not_the_lognormal_default():
    # guard for erlang_c_config: it must really switch the model to exponential service and zero delays
    cfg = erlang_c_config(30.0, days=5, replications=2)
    assert isinstance(cfg.on_scene, Exponential) and cfg.call_processing == ZERO and cfg.transport_share == 0


def test_inputs_from_network_names_a_place_off_the_road():
    from countybridge.ems.network import NetworkError, synthetic_county_network
    from countybridge.ems.simulation import inputs_from_network

    county = synthetic_county_network("510131", 103.5063, 30.1968, seed=1)
    seat = county.towns[0]
    demand = [
        DemandPoint("镇A", "510131", 100.0, seat.lon, seat.lat),
        DemandPoint("远处", "510131", 5.0, 105.5, 31.5),
    ]
    with pytest.raises(NetworkError) as err:
        inputs_from_network(
            county.network,
            demand,
            [Station("S", "510131", 2, seat.lon, seat.lat)],
            [Hospital("H", lon=seat.lon, lat=seat.lat)],
        )
    (p,) = err.value.problems
    assert p.place == "demand point 远处" and p.code == "not_snappable"
    ok = inputs_from_network(
        county.network,
        demand[:1],
        [Station("S", "510131", 2, seat.lon, seat.lat)],
        [Hospital("H", lon=seat.lon, lat=seat.lat)],
    )
    assert ok.station_to_demand.shape == (1, 1) and ok.network_hash == county.network.content_hash


def test_workdays_busier_than_weekends_with_the_yearly_total_kept():
    from countybridge.ems.simulation.engine import _draw_calls

    inputs = single_queue_inputs(50, 200000.0)
    cfg = dataclasses.replace(SimulationConfig(), days=364, warmup_days=0)
    arrival = _draw_calls(inputs, cfg, np.random.default_rng(5))[0]
    per_day = np.bincount((arrival // 1440).astype(int) % 7, minlength=7) / 52
    assert per_day[:5].mean() / per_day[5:].mean() == pytest.approx(1.1, abs=0.02)  # S28: workdays 1.03–1.11×
    assert len(arrival) == pytest.approx(200000 * 364 / 365, rel=0.01)
    flat = _draw_calls(inputs, dataclasses.replace(cfg, workday_factor=1.0), np.random.default_rng(5))[0]
    per_day = np.bincount((flat // 1440).astype(int) % 7, minlength=7) / 52
    assert per_day[:5].mean() / per_day[5:].mean() == pytest.approx(1.0, abs=0.02)


def test_dispatch_interval_adds_to_response_and_busy_time():
    inputs = single_queue_inputs(1, 0.0, history=[(0.0, 0), (1.0, 0)])
    base = simulate(inputs, fixed_config()).replications[0]
    slow = simulate(inputs, fixed_config(dispatch=Constant(2.0))).replications[0]
    assert slow.response_min[0] == base.response_min[0] + 2.0
    assert slow.wait_min[1] == base.wait_min[1] + 2.0  # the ambulance is busy 2 min longer per job
    assert slow.intervals["dispatch"][0] == 2.0
