"""A scenario's response analytics: loads its stations, the county's hospitals and demand points, gets the
travel times (cached by network hash) and hands plain data to `coverage`. Callers pass scenarios they
obtained through selectors (scope is checked there)."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import coverage, parameters, travel
from .models import DemandPoint, Hospital, Scenario
from .selectors import settings_for


def inputs(scenario: Scenario):
    """(places, stations, hospitals) of a scenario as the pure module's dataclasses."""
    code = scenario.region.code
    places = [
        coverage.Place(p.pk, p.name, code, float(p.population), p.lon, p.lat, p.urban)
        for p in DemandPoint.objects.filter(region=scenario.region).order_by("code")
    ]
    stations = []
    for s in scenario.stations.prefetch_related("ambulances").order_by("code"):
        fleet = list(s.ambulances.all())
        stations.append(
            coverage.Station(
                s.pk,
                s.name,
                code,
                s.lon,
                s.lat,
                len(fleet),
                sum(1 for a in fleet if a.negative_pressure),
                s.urban,
            )  # fmt: skip
        )
    hospitals = [
        coverage.Hospital(h.pk, h.name, code, h.level, h.has_emergency_department)
        for h in Hospital.objects.filter(region=scenario.region, level__gte=2).order_by("code")
    ]
    hospital_points = [
        (h.lon, h.lat) for h in Hospital.objects.filter(region=scenario.region, level__gte=2).order_by("code")
    ]
    return places, stations, hospitals, hospital_points


def analyse(scenario: Scenario, params: dict[str, Any] | None = None) -> dict[str, Any]:
    """Coverage, expected response, standards and cost of one scenario (plain dict for pages and API)."""
    params = params or settings_for(scenario.region)
    places, stations, hospitals, hospital_points = inputs(scenario)
    speeds = params["speeds_kmh"]
    origins = [(s.lon, s.lat) for s in stations]
    to_places = travel.matrix(scenario.network, origins, [(p.lon, p.lat) for p in places], speeds)
    to_hospitals = travel.matrix(scenario.network, origins, hospital_points, speeds)
    pre = parameters.pre_travel_minutes(params)
    peak = float(params["peak_travel_factor"])
    response, serving = coverage.response_times(to_places, stations, pre_travel=pre, peak_factor=peak)
    h_response, _ = coverage.response_times(to_hospitals, stations, pre_travel=pre, peak_factor=peak)
    code = scenario.region.code
    target = float(params["target_min"])
    cov = coverage.county_coverage(
        places, response, thresholds=params["targets_min"], target=target, hospitals=hospitals,
        hospital_response=h_response,
    ).get(code)  # fmt: skip
    if cov is not None:
        # the same p90 when call processing and turnout vary (lognormals of the settings), per call
        logn = params["lognormal"]
        fixed = float(params["intervals_min"]["call_handling"]) + peak * coverage.nearest_travel(
            to_places, np.array([s.ambulances > 0 for s in stations], dtype=bool))[0]  # fmt: skip
        cov.p90_calls = coverage.call_quantile(
            fixed, np.array([p.population for p in places], dtype=float),
            [tuple(logn["call_processing"]), tuple(logn["turnout"])],
        )  # fmt: skip
    standards = coverage.standards_check(
        code,
        float(scenario.region.population_2020 or sum(p.population for p in places)),
        places,
        stations,
        per_population=float(params["ambulance_per_population"]),
        county_multiplier=float(params["county_multiplier"]),
        radius_urban_km=float(params["radius_km_urban"]),
        radius_rural_km=float(params["radius_km_rural"]),
        negative_pressure_share=float(params["negative_pressure_share"]),
    )
    cost = coverage.scenario_cost(
        stations,
        per_station=float(params["cost_station_per_year"]),
        per_ambulance=float(params["cost_ambulance_per_year"]),
    )
    return {
        "scenario": {
            "id": scenario.pk,
            "name": scenario.name,
            "county": code,
            "is_baseline": scenario.is_baseline,
            "network_hash": scenario.network.content_hash,
        },  # fmt: skip
        "coverage": cov.as_dict() if cov else None,
        "standards": standards.as_dict(),
        "cost": cost,
        "stations": len(stations),
        "ambulances": sum(s.ambulances for s in stations),
        "pre_travel_min": round(pre, 2),
        "places": [
            {
                "id": p.id,
                "name": p.name,
                "lon": p.lon,
                "lat": p.lat,
                "population": p.population,
                "response": None if not np.isfinite(r) else round(float(r), 2),
                "station": stations[int(k)].id if k >= 0 else None,
            }
            for p, r, k in zip(places, response, serving, strict=True)
        ],  # fmt: skip
    }


def compare(scenarios: list[Scenario]) -> dict[str, Any]:
    """Side-by-side figures and chart series for several scenarios."""
    rows = [analyse(s) for s in scenarios]
    thresholds = sorted({k for r in rows if r["coverage"] for k in r["coverage"]["within"]}, key=float)
    return {
        "rows": rows,
        "thresholds": thresholds,
        "chart": {
            "names": [r["scenario"]["name"] for r in rows],
            "average": [r["coverage"]["average"] if r["coverage"] else None for r in rows],
            "p90": [r["coverage"]["p90"] if r["coverage"] else None for r in rows],
            "cost_million": [round(r["cost"] / 1e6, 2) for r in rows],
            "within": {
                t: [
                    round(100 * r["coverage"]["within"].get(t, 0), 1) if r["coverage"] else None for r in rows
                ]
                for t in thresholds
            },
        },
    }
