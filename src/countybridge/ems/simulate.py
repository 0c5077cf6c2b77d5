"""Dispatch simulation of a scenario: the database's stations, hospitals and demand points with the
county's settings handed to the SimPy model (ems/simulation); the summary (per-county mean and 90th
percentile response with confidence intervals, utilisation, calls that waited) stored as an AnalysisRun."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_noop

from countybridge.core import audit
from countybridge.core.models import AuditEvent
from countybridge.core.services.errors import FieldProblem, ServiceValidationError

from . import travel
from .models import AnalysisRun, DemandPoint, Hospital, Scenario
from .network.errors import NetworkError
from .selectors import settings_for


def _clean(value: Any) -> Any:
    """JSON for the database: NaN/inf (one replication has no interval) become None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def config_for(params: dict[str, Any], *, days: float, seed: int, replications: int):
    """The simulation's configuration from the EMS settings (intervals, shares, profile, peak factor)."""
    from .simulation import Lognormal, SimulationConfig

    logn = params["lognormal"]
    return SimulationConfig(
        call_processing=Lognormal(*logn["call_processing"]),
        turnout=Lognormal(*logn["turnout"]),
        on_scene=Lognormal(*logn["on_scene"]),
        handover=Lognormal(*logn["handover"], cap=45.0),
        peak_travel_factor=float(params["peak_travel_factor"]),
        no_patient_share=float(params["no_patient_share"]),
        transport_share=float(params["transport_share"]),
        hourly_profile=tuple(float(v) for v in params["hourly_profile"]),
        days=float(days),
        warmup_days=min(2.0, float(days) / 4),
        replications=int(replications),
        seed=int(seed),
    )


def simulate(
    *,
    actor,
    scenario: Scenario,
    days: int = 7,
    seed: int = 1,
    replications: int = 5,
    job=None,
    progress: Callable[[float, str], Any] | None = None,
) -> AnalysisRun:
    from . import simulation as sim

    report = progress or (lambda pct, stage: None)
    params = settings_for(scenario.region)
    rate = float(params["dispatches_per_1000_per_year"])
    code = scenario.region.code
    demand = [
        sim.DemandPoint(str(p.pk), code, p.population / 1000 * (p.call_rate if p.call_rate is not None else rate),
                        p.lon, p.lat)
        for p in DemandPoint.objects.filter(region=scenario.region).order_by("code")
    ]  # fmt: skip
    stations = [
        sim.Station(str(s.pk), code, s.ambulances.count(), s.lon, s.lat)
        for s in scenario.stations.order_by("code")
        if s.ambulances.exists()
    ]
    hospitals = [
        sim.Hospital(str(h.pk), lon=h.lon, lat=h.lat)
        for h in Hospital.objects.filter(region=scenario.region, is_receiving=True, level__gte=2).order_by(
            "code"
        )
    ]
    problems = []
    if not demand:
        problems.append(
            FieldProblem("scenario", scenario.name, "没有需求点", "There are no demand points", "no_demand")
        )
    if not stations:
        problems.append(FieldProblem("scenario", scenario.name, "方案没有配车的站点", "The scenario has no station with an ambulance", "no_station"))  # fmt: skip
    if not hospitals:
        problems.append(FieldProblem("scenario", scenario.name, "没有接收医院(二级及以上)", "There is no receiving hospital (secondary or above)", "no_hospital"))  # fmt: skip
    if problems:
        raise ServiceValidationError(problems)
    report(5, gettext_noop("Computing travel times"))
    graph = travel.graph_of(scenario.network, params["speeds_kmh"])
    try:
        inputs = sim.inputs_from_network(
            graph, demand, stations, hospitals, max_snap_m=travel.MAX_SNAP_KM * 1000
        )
    except NetworkError as exc:
        raise ServiceValidationError(
            [FieldProblem(p.place, p.value, p.message_zh, p.message_en, p.code) for p in exc.problems]
        ) from None
    report(15, gettext_noop("Simulating"))
    result = sim.simulate(inputs, config_for(params, days=days, seed=seed, replications=replications))
    data = _clean(result.to_dict())
    county = data["counties"].get(code) or data["overall"]
    summary = {
        "calls": county["calls"]["mean"],
        "response_mean": county["response_mean_min"],
        "response_p90": county["response_p90_min"],
        "utilisation": county["utilisation"],
        "waited_calls": county["waited_calls"],
        "waited_share": county["waited_share"],
    }
    report(95, gettext_noop("Saving"))
    with transaction.atomic():
        run = AnalysisRun.objects.create(
            kind=AnalysisRun.Kind.SIMULATE, scenario=scenario, region=scenario.region,
            params={"days": days, "seed": seed, "replications": replications}, result={**data, "summary": summary},
            job=job, created_by=actor,
        )  # fmt: skip
        audit.record(actor=actor, action=AuditEvent.Action.CREATE, obj=run,
                     details={"days": days, "seed": seed, "replications": replications})  # fmt: skip
    report(100, gettext_noop("Done"))
    return run
