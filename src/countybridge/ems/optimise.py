"""Station siting over a scenario: candidates, demand and travel minutes from the database handed to the
siting models (ems/siting, HiGHS), the answer turned into a proposal (sites with ambulances) and scored
with the same coverage figures as any scenario. Stored as an AnalysisRun; `services.run_apply` saves a
proposal as a new scenario."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from django.db import transaction
from django.utils.translation import gettext_noop

from countybridge.core import audit
from countybridge.core.models import AuditEvent
from countybridge.core.services.errors import FieldProblem, ServiceValidationError

from . import analysis, coverage, parameters, travel
from .models import AnalysisRun, Scenario
from .selectors import settings_for

MODELS = ("p_median", "mclp", "lscp", "p_center", "mexclp")


def _invalid(field, value, zh, en, code="invalid"):
    return ServiceValidationError([FieldProblem(field, str(value)[:100], zh, en, code)])


def _solve(model: str, d: np.ndarray, w: np.ndarray, p: int, radius: float, time_limit: float, fleet: int,
           busy: float):  # fmt: skip
    """Call the siting module's model by name; returns its SitingResult. `d` is demand × candidate
    response minutes, `radius` the target (MCLP, LSCP, MEXCLP), `busy` MEXCLP's busy probability."""
    try:
        if model == "p_median":
            from .siting.pmedian import p_median

            return p_median(d, p, weights=w, time_limit=time_limit)
        if model == "p_center":
            from .siting.pcenter import p_center

            return p_center(d, p, time_limit=time_limit)
        from .siting.coverage import max_expected_covering, maximal_covering, set_covering
    except ImportError:
        raise _invalid("model", model, f"选址模型 {model} 尚不可用", f"The siting model {model} is not available yet",
                       "unavailable") from None  # fmt: skip
    if model == "mclp":
        return maximal_covering(d, radius, p, weights=w, time_limit=time_limit)
    if model == "lscp":
        return set_covering(d, radius, time_limit=time_limit)
    return max_expected_covering(d, radius, max(fleet, p), busy, weights=w, time_limit=time_limit)


def optimise(
    *,
    actor,
    scenario: Scenario,
    model: str = "p_median",
    p: int | None = None,
    time_limit: float = 30.0,
    job=None,
    progress: Callable[[float, str], Any] | None = None,
) -> AnalysisRun:
    """Site `p` stations (default: as many as the scenario uses) among the scenario's stations, the
    county's hospitals and demand points, with the scenario's fleet spread over them by population
    served; the proposal is scored like any scenario and stored."""
    report = progress or (lambda pct, stage: None)
    if model not in MODELS:
        raise _invalid("model", model, f"未知的选址模型 {model}", f"Unknown siting model {model}")
    params = settings_for(scenario.region)
    places, stations, hospitals, hospital_points = analysis.inputs(scenario)
    if not places:
        raise _invalid(
            "scenario", scenario.name, "该区(市)县没有需求点", "The county has no demand points", "no_demand"
        )
    used = [s for s in stations if s.ambulances > 0]
    fleet = sum(s.ambulances for s in stations)
    negative = sum(s.negative_pressure for s in stations)
    p = int(p or len(used) or 1)
    report(5, gettext_noop("Computing travel times"))
    candidates: list[dict[str, Any]] = []
    seen = set()
    for s in stations:
        candidates.append({"kind": "station", "name": s.name, "lon": s.lon, "lat": s.lat, "urban": s.urban})
    for h, (lon, lat) in zip(hospitals, hospital_points, strict=True):
        candidates.append(
            {"kind": "hospital", "name": h.name + "急救站", "lon": lon, "lat": lat, "urban": True}
        )
    for pl in places:
        candidates.append({"kind": "place", "name": pl.name + "急救点", "lon": pl.lon, "lat": pl.lat,
                           "urban": pl.urban})  # fmt: skip
    unique = []
    for c in candidates:
        key = (round(c["lon"], 5), round(c["lat"], 5))
        if key not in seen:
            seen.add(key)
            unique.append(c)
    if p > len(unique):
        raise _invalid("p", p, f"站点数 {p} 超过候选点数 {len(unique)}", f"p = {p} exceeds the {len(unique)} candidate sites",
                       "out_of_range")  # fmt: skip
    speeds = params["speeds_kmh"]
    travel_min = travel.matrix(scenario.network, [(c["lon"], c["lat"]) for c in unique],
                               [(pl.lon, pl.lat) for pl in places], speeds)  # fmt: skip
    pre = parameters.pre_travel_minutes(params)
    peak = float(params["peak_travel_factor"])
    d = (pre + peak * travel_min).T  # demand × candidate response minutes
    w = np.array([pl.population for pl in places], dtype=float)
    # MEXCLP's busy probability: yearly dispatches × mean whole-run time (42 min, facts § 3) / fleet time
    calls = float(sum(pl.population for pl in places)) / 1000 * float(params["dispatches_per_1000_per_year"])
    busy = min(0.9, max(0.01, calls * 42.0 / (max(fleet, 1) * 525_600.0)))
    report(20, gettext_noop("Solving"))
    try:
        result = _solve(model, d, w, p, float(params["target_min"]), time_limit, fleet, busy)
    except ValueError as exc:  # SitingInputError carries both languages
        raise _invalid("model", model, getattr(exc, "message_zh", str(exc)), getattr(exc, "message_en", str(exc)),
                       getattr(exc, "code", "invalid")) from None  # fmt: skip
    report(85, gettext_noop("Scoring the proposal"))
    sites = [int(k) for k in result.sites]
    if not sites:
        raise _invalid(
            "model", model, "模型没有找到可行的选址", "The model found no feasible siting", "infeasible"
        )
    best = np.argmin(d[:, sites], axis=1)
    served = np.bincount(best, weights=w, minlength=len(sites))
    if result.units:
        counts = [int(result.units.get(k, 0)) for k in sites]
    else:  # the fleet spread by population served, at least one each
        counts = [1] * len(sites)
        for _ in range(max(0, fleet - len(sites))):
            share = served / np.maximum(np.array(counts), 1)
            counts[int(np.argmax(share))] += 1
    negatives = [0] * len(sites)
    for k in np.argsort(-np.array(counts))[:negative]:
        negatives[int(k)] = min(counts[int(k)], negatives[int(k)] + 1)
    remaining = negative - sum(negatives)
    for k in np.argsort(-np.array(counts)):
        extra = min(remaining, counts[int(k)] - negatives[int(k)])
        negatives[int(k)] += extra
        remaining -= extra
    proposal = [
        coverage.Station(i, unique[k]["name"], scenario.region.code, unique[k]["lon"], unique[k]["lat"], counts[i],
                         negatives[i], unique[k]["urban"])
        for i, k in enumerate(sites)
    ]  # fmt: skip
    response_after = d[:, sites].min(axis=1)
    after = coverage.county_coverage(places, response_after, thresholds=params["targets_min"],
                                     target=float(params["target_min"]))[scenario.region.code]  # fmt: skip
    before = analysis.analyse(scenario, params)
    cost_after = coverage.scenario_cost(proposal, per_station=float(params["cost_station_per_year"]),
                                        per_ambulance=float(params["cost_ambulance_per_year"]))  # fmt: skip
    payload = {
        "model": model,
        "p": p,
        "status": result.status,
        "objective": float(result.objective),
        "gap": float(result.gap),
        "seconds": round(float(result.seconds), 3),
        "candidates": len(unique),
        "busy_probability": round(busy, 4) if model == "mexclp" else None,
        "sites": [
            {"code": f"S{i + 1:02d}", "name": s.name, "lon": s.lon, "lat": s.lat, "urban": s.urban,
             "ambulances": s.ambulances, "negative_pressure": s.negative_pressure,
             "kind": unique[k]["kind"], "population_served": float(served[i])}
            for i, (s, k) in enumerate(zip(proposal, sites, strict=True))
        ],  # fmt: skip
        "before": {"average": before["coverage"]["average"], "p90": before["coverage"]["p90"],
                   "within": before["coverage"]["within"], "cost": before["cost"], "stations": before["stations"]},
        "after": {"average": after.as_dict()["average"], "p90": after.as_dict()["p90"],
                  "within": after.as_dict()["within"], "cost": cost_after, "stations": len(sites)},
    }  # fmt: skip
    with transaction.atomic():
        run = AnalysisRun.objects.create(kind=AnalysisRun.Kind.OPTIMISE, scenario=scenario, region=scenario.region,
                                         params={"model": model, "p": p, "time_limit": time_limit},
                                         result=payload, job=job, created_by=actor)  # fmt: skip
        audit.record(actor=actor, action=AuditEvent.Action.CREATE, obj=run,
                     details={"model": model, "p": p, "status": result.status})  # fmt: skip
    report(100, gettext_noop("Done"))
    return run
