"""EMS API: the same selectors (scope: health officers and the city admin city-wide, county officers their
county, others 403), analytics and services as the pages. Mounted at /api/ems/."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import File, Form, Query, Router, Schema, Status, UploadedFile

from countybridge.core import jobs
from countybridge.core.api.pagination import Page, PageParams, paginate
from countybridge.core.services.errors import FieldProblem, ServiceValidationError

from . import analysis, selectors, services, services_network
from .models import Ambulance, Station

router = Router(tags=["ems"])


class CountyOut(Schema):
    code: str
    name_zh: str
    name_en: str
    population: int | None
    baseline_scenario: int | None


class ScenarioOut(Schema):
    id: int
    name: str
    county: str
    is_baseline: bool
    network: str
    network_hash: str
    stations: int
    ambulances: int
    note: str
    created_at: dt.datetime


class StationOut(Schema):
    id: int
    code: str
    name: str
    lon: float
    lat: float
    urban: bool
    crews: int
    ambulances: list[dict[str, Any]]


class HospitalOut(Schema):
    id: int
    code: str
    name: str
    county: str
    level: int
    has_emergency_department: bool
    is_receiving: bool
    lon: float
    lat: float
    organisation_id: int | None


class DemandOut(Schema):
    id: int
    code: str
    name: str
    county: str
    kind: str
    population: int
    call_rate: float | None
    lon: float
    lat: float
    urban: bool


class RunOut(Schema):
    id: int
    kind: str
    scenario: int
    county: str
    params: dict[str, Any]
    result: dict[str, Any]
    job_id: str | None
    created_at: dt.datetime


class CopyIn(Schema):
    name: str
    note: str = ""


class StationIn(Schema):
    name: str
    lon: Any
    lat: Any
    ambulances: Any = 1
    negative_pressure: Any = 0
    crews: Any = 1
    urban: bool = False


class MoveIn(Schema):
    ambulance: int
    to_station: int


class RunStartIn(Schema):
    scenario: int
    kind: str = "optimise"  # or "simulate"
    model: str = "p_median"
    p: int | None = None
    time_limit: float = 30.0
    days: int = 7
    seed: int = 1
    replications: int = 5


class ApplyIn(Schema):
    name: str


class SettingsIn(Schema):
    county: str = ""  # empty: city-wide
    values: dict[str, Any]


def _scenario_out(s) -> dict:
    return {"id": s.pk, "name": s.name, "county": s.region.code, "is_baseline": s.is_baseline,
            "network": f"{s.network.name} v{s.network.version}", "network_hash": s.network.content_hash,
            "stations": s.station_count, "ambulances": s.ambulance_count, "note": s.note,
            "created_at": s.created_at}  # fmt: skip


def _run_out(r) -> dict:
    return {"id": r.pk, "kind": r.kind, "scenario": r.scenario_id, "county": r.region.code, "params": r.params,
            "result": r.result, "job_id": str(r.job_id) if r.job_id else None, "created_at": r.created_at}  # fmt: skip


@router.get("/counties", response=list[CountyOut], summary="County cities in your scope, with their baseline")
def list_counties(request):
    out = []
    for c in selectors.county_list(user=request.auth):
        baseline = selectors.baseline_for(c)
        out.append({"code": c.code, "name_zh": c.name_zh, "name_en": c.name_en, "population": c.population_2020,
                    "baseline_scenario": baseline.pk if baseline else None})  # fmt: skip
    return out


@router.get(
    "/counties/{code}/dashboard", response=dict, summary="A county's baseline: coverage and standards"
)
def county_dashboard(request, code: str):
    county = selectors.county_get(user=request.auth, code=code)
    baseline = selectors.baseline_for(county)
    if baseline is None:
        return {"county": code, "scenario": None}
    return analysis.analyse(baseline)


@router.get("/scenarios", response=Page[ScenarioOut], summary="Scenarios in your scope")
def list_scenarios(request, paging: Query[PageParams], county: str = ""):
    qs = selectors.scenario_list(user=request.auth)
    if county:
        qs = qs.filter(region__code=county)
    return paginate(qs, paging, transform=lambda rows: [_scenario_out(s) for s in rows])


@router.get(
    "/scenarios/{pk}", response=dict, summary="A scenario's analytics (coverage, response, standards, cost)"
)
def get_scenario(request, pk: int):
    return analysis.analyse(selectors.scenario_get(user=request.auth, pk=pk))


@router.get("/compare", response=dict, summary="Side-by-side comparison of scenarios (?ids=1,2,3)")
def compare(request, ids: str = ""):
    try:
        keys = [int(x) for x in ids.split(",") if x.strip()]
    except ValueError:
        raise ServiceValidationError(
            [FieldProblem("ids", ids, "方案编号须为逗号分隔的整数", "ids must be comma-separated integers")]
        ) from None
    if not 1 <= len(keys) <= 6:
        raise ServiceValidationError(
            [FieldProblem("ids", ids, "请选择1到6个方案", "Choose 1 to 6 scenarios", "out_of_range")]
        )
    return analysis.compare([selectors.scenario_get(user=request.auth, pk=k) for k in keys])


@router.get("/scenarios/{pk}/stations", response=list[StationOut], summary="Stations and ambulances")
def list_stations(request, pk: int):
    scenario = selectors.scenario_get(user=request.auth, pk=pk)
    return [
        {"id": s.pk, "code": s.code, "name": s.name, "lon": s.lon, "lat": s.lat, "urban": s.urban, "crews": s.crews,
         "ambulances": [{"id": a.pk, "code": a.code, "kind": a.kind} for a in s.ambulances.all()]}
        for s in selectors.station_list(user=request.auth, scenario=scenario)
    ]  # fmt: skip


@router.post("/scenarios/{pk}/copy", response={201: ScenarioOut}, summary="Save a copy to edit")
def copy_scenario(request, pk: int, payload: CopyIn):
    scenario = selectors.scenario_get(user=request.auth, pk=pk)
    new = services.scenario_copy(actor=request.auth, scenario=scenario, name=payload.name, note=payload.note,
                                 request=request)  # fmt: skip
    return Status(201, _scenario_out(selectors.scenario_get(user=request.auth, pk=new.pk)))


@router.post("/scenarios/{pk}/stations", response={201: StationOut}, summary="Add a station (manual edit)")
def add_station(request, pk: int, payload: StationIn):
    scenario = selectors.scenario_get(user=request.auth, pk=pk)
    s = services.station_add(actor=request.auth, scenario=scenario, request=request, **payload.dict())
    return Status(201, {"id": s.pk, "code": s.code, "name": s.name, "lon": s.lon, "lat": s.lat, "urban": s.urban,
                        "crews": s.crews,
                        "ambulances": [{"id": a.pk, "code": a.code, "kind": a.kind} for a in s.ambulances.all()]})  # fmt: skip


@router.post("/scenarios/{pk}/move", response=dict, summary="Move an ambulance to another station")
def move_ambulance(request, pk: int, payload: MoveIn):
    scenario = selectors.scenario_get(user=request.auth, pk=pk)
    ambulance = Ambulance.objects.filter(pk=payload.ambulance, station__scenario=scenario).first()
    station = Station.objects.filter(pk=payload.to_station, scenario=scenario).first()
    problems = []
    if ambulance is None:
        problems.append(FieldProblem("ambulance", str(payload.ambulance), "该方案中没有这辆救护车", "No such ambulance in this scenario", "unknown"))  # fmt: skip
    if station is None:
        problems.append(FieldProblem("to_station", str(payload.to_station), "该方案中没有这个站点", "No such station in this scenario", "unknown"))  # fmt: skip
    if problems:
        raise ServiceValidationError(problems)
    services.ambulance_move(actor=request.auth, ambulance=ambulance, to_station=station, request=request)
    return {"ambulance": ambulance.pk, "station": station.pk}


@router.get("/hospitals", response=Page[HospitalOut], summary="Receiving hospitals in your scope")
def list_hospitals(request, paging: Query[PageParams]):
    rows = lambda items: [  # noqa: E731
        {**{f: getattr(h, f) for f in ("id", "code", "name", "level", "has_emergency_department", "is_receiving",
                                        "lon", "lat", "organisation_id")}, "county": h.region.code}
        for h in items
    ]  # fmt: skip
    return paginate(selectors.hospital_list(user=request.auth), paging, transform=rows)


@router.get("/demand-points", response=Page[DemandOut], summary="Demand points in your scope")
def list_demand(request, paging: Query[PageParams]):
    rows = lambda items: [  # noqa: E731
        {**{f: getattr(p, f) for f in ("id", "code", "name", "kind", "population", "call_rate", "lon", "lat",
                                        "urban")}, "county": p.region.code}
        for p in items
    ]  # fmt: skip
    return paginate(selectors.demand_list(user=request.auth), paging, transform=rows)


@router.get("/runs", response=Page[RunOut], summary="Stored optimisation and simulation runs")
def list_runs(request, paging: Query[PageParams]):
    return paginate(
        selectors.run_list(user=request.auth), paging, transform=lambda rows: [_run_out(r) for r in rows]
    )


@router.get("/runs/{pk}", response=RunOut, summary="One stored run")
def get_run(request, pk: int):
    return _run_out(selectors.run_get(user=request.auth, pk=pk))


@router.post("/runs", response={202: dict}, summary="Start an optimisation or a simulation (background job)")
def start_run(request, payload: RunStartIn):
    scenario = selectors.scenario_get(user=request.auth, pk=payload.scenario)
    selectors.require_region(request.auth, scenario.region)
    if payload.kind == "optimise":
        params = {"county": scenario.region.code, "scenario": scenario.pk, "model": payload.model,
                  "time_limit": payload.time_limit, **({"p": payload.p} if payload.p else {})}  # fmt: skip
    elif payload.kind == "simulate":
        params = {"county": scenario.region.code, "scenario": scenario.pk, "days": payload.days, "seed": payload.seed,
                  "replications": payload.replications}  # fmt: skip
    else:
        raise ServiceValidationError(
            [
                FieldProblem(
                    "kind", payload.kind, "类型应为 optimise 或 simulate", "kind must be optimise or simulate"
                )
            ]
        )
    run = jobs.job_start(actor=request.auth, kind=f"ems.{payload.kind}", params=params, request=request)
    return Status(202, {"job_id": str(run.pk), "status": run.status})


@router.post(
    "/runs/{pk}/apply", response={201: ScenarioOut}, summary="Save an optimisation result as a scenario"
)
def apply_run(request, pk: int, payload: ApplyIn):
    run = selectors.run_get(user=request.auth, pk=pk)
    new = services.run_apply(actor=request.auth, run=run, name=payload.name, request=request)
    return Status(201, _scenario_out(selectors.scenario_get(user=request.auth, pk=new.pk)))


@router.get("/settings", response=dict, summary="Settings in force (defaults, city-wide, county)")
def get_settings(request, county: str = ""):
    region = selectors.county_get(user=request.auth, code=county) if county else None
    return selectors.settings_get(user=request.auth, region=region)


@router.post("/settings", response=dict, summary="Change settings (a county's, or city-wide)")
def set_settings(request, payload: SettingsIn):
    region = selectors.county_get(user=request.auth, code=payload.county) if payload.county else None
    services.settings_update(actor=request.auth, region=region, values=payload.values, request=request)
    return selectors.settings_get(user=request.auth, region=region)


class NetworkOut(Schema):
    id: int
    county: str
    name: str
    version: int
    source: str
    nodes: int
    edges: int
    content_hash: str
    is_synthetic: bool
    created_at: dt.datetime


def _network_out(n) -> dict:
    return {"id": n.pk, "county": n.region.code, "name": n.name, "version": n.version, "source": n.source,
            "nodes": n.node_count, "edges": n.edge_count, "content_hash": n.content_hash,
            "is_synthetic": n.is_synthetic, "created_at": n.created_at}  # fmt: skip


MAX_ROAD_FILE_BYTES = 50 * 1024 * 1024


@router.get("/networks", response=Page[NetworkOut], summary="Road network versions in your scope")
def list_networks(request, paging: Query[PageParams]):
    return paginate(selectors.network_list(user=request.auth), paging,
                    transform=lambda rows: [_network_out(n) for n in rows])  # fmt: skip


@router.post(
    "/networks", response={201: NetworkOut}, summary="Import a road network (CSV edge list or GeoJSON)"
)
def import_network(request, county: Form[str], file: File[UploadedFile], name: Form[str] = "路网"):
    """A new version of the county's network; the baseline moves onto it. Every bad row/feature, a
    disconnected graph or a place left without a road is named (422) and nothing is saved."""
    region = selectors.county_get(user=request.auth, code=county)
    if file.size and file.size > MAX_ROAD_FILE_BYTES:
        raise ServiceValidationError([FieldProblem("file", file.name or "", "文件超过 50 MB", "The file exceeds 50 MB",
                                                   "too_large")])  # fmt: skip
    network = services_network.network_import(actor=request.auth, region=region, name=name, content=file.read(),
                                              filename=file.name or "roads.csv", request=request)  # fmt: skip
    return Status(201, _network_out(network))
