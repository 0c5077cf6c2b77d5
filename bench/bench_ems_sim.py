"""EMS dispatch simulation: one county-year of calls for 简阳 (1,117,265 people × 15 dispatches per 1,000
= about 16,800 calls; smoke: 30 days) on its seeded synthetic road network, 37 ambulances (1 per 30,000,
facts § 2) at every township seat (21 stations), 4 hospitals. Figures: wall time per replication (SimPy), simulated
response mean/P90, utilisation, share of calls that waited, and the simulated interval means next to the
published 8-city means (S18) — the network is synthetic, so the travel legs are an illustration."""

import dataclasses
import time

from countybridge.ems.network import synthetic_county_network
from countybridge.ems.simulation import (
    PUBLISHED_INTERVALS_MIN,
    DemandPoint,
    Hospital,
    SimulationConfig,
    Station,
    inputs_from_network,
    simulate,
)


def run(smoke: bool = False) -> None:
    code, lon, lat, population = "510185", 104.5472, 30.4115, 1_117_265
    t = time.perf_counter()
    county = synthetic_county_network(code, lon, lat, seed=2026)
    pts = county.demand_points(300, seed=1)
    calls = population * 15 / 1000  # demand points are drawn by density, so each carries an equal share
    demand = [DemandPoint(p.name, code, calls / len(pts), p.lon, p.lat) for p in pts]
    towns = county.towns  # a station in every township seat
    fleet = [37 // len(towns) + (k < 37 % len(towns)) for k in range(len(towns))]  # seat first
    stations = [
        Station(f"S{k}", code, n, tw.lon, tw.lat) for k, (tw, n) in enumerate(zip(towns, fleet, strict=True))
    ]
    hospitals = [Hospital(f"H{k}", lon=tw.lon, lat=tw.lat) for k, tw in enumerate(towns[:4])]
    inputs = inputs_from_network(county.network, demand, stations, hospitals)
    t_inputs = time.perf_counter() - t
    days, reps = (30, 2) if smoke else (365, 3)
    cfg = dataclasses.replace(SimulationConfig(), days=days, warmup_days=2, replications=reps, seed=1)
    t = time.perf_counter()
    res = simulate(inputs, cfg)
    wall = time.perf_counter() - t
    g = res.overall
    print(
        f"county={code} nodes={county.network.n_nodes} demand_points={len(demand)} ambulances={sum(fleet)} "
        f"days={days} replications={reps} calls/rep={g.calls.mean:.0f} setup={t_inputs:.2f}s"
    )
    print(
        f"wall={wall:.2f}s per_replication={wall / reps:.2f}s per_call={wall / reps / g.calls.mean * 1e6:.0f}µs"
    )
    print(
        f"response mean={g.response_mean_min.mean:.1f} [{g.response_mean_min.low:.1f}, {g.response_mean_min.high:.1f}] "
        f"p90={g.response_p90_min.mean:.1f} utilisation={g.utilisation.mean:.3f} waited_share={g.waited_share.mean:.4f}"
    )
    for name, (mean, sd) in PUBLISHED_INTERVALS_MIN.items():
        got = res.intervals[name]
        print(f"  {name:17s} simulated {got[0]:6.2f} ± {got[1]:5.2f}   published {mean:6.2f} ± {sd:5.2f}")

    # the same year with a stretched fleet (1 ambulance at each of the first 8 stations: the seat and 7 towns)
    # exercises the queue
    small = dataclasses.replace(
        inputs,
        stations=[
            dataclasses.replace(s, ambulances=1 if k < 8 else 0) for k, s in enumerate(inputs.stations)
        ],
    )
    t = time.perf_counter()
    res = simulate(small, dataclasses.replace(cfg, replications=1))
    g = res.overall
    print(
        f"stretched fleet=8: wall={time.perf_counter() - t:.2f}s response mean={g.response_mean_min.mean:.1f} "
        f"p90={g.response_p90_min.mean:.1f} utilisation={g.utilisation.mean:.3f} "
        f"waited={g.waited_calls.mean:.0f} ({g.waited_share.mean:.1%}) mean_wait={g.wait_mean_min.mean:.2f} min"
    )
