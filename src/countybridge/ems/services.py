"""Writes of the EMS network: settings, scenarios (copy, manual edits, applying an optimisation result),
stations and ambulances. One transaction each with its audit row; bad input raises ServiceValidationError
with Chinese and English messages naming the place, and nothing is saved.

Road networks and their imports are in `services_network`; registry imports in `imports`."""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from countybridge.core import audit
from countybridge.core.models import AuditEvent, Region
from countybridge.core.services.errors import FieldProblem, ServiceValidationError

from . import parameters, selectors
from .models import (
    Ambulance,
    AmbulanceKind,
    AnalysisRun,
    DemandPoint,
    EmsSettings,
    Hospital,
    Scenario,
    Station,
)


def _invalid(field: str, value: Any, zh: str, en: str, code: str = "invalid") -> ServiceValidationError:
    return ServiceValidationError([FieldProblem(field, str(value)[:100], zh, en, code)])


def _require_scenario_edit(actor, scenario: Scenario) -> None:
    if actor is None:  # operator's shell and system jobs
        return
    selectors.require_region(actor, scenario.region)


def _number(field: str, value: Any, zh: str, en: str, *, low: float, high: float, integer=False) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise _invalid(
            field, value, f"{zh}必须是数字,收到“{value}”", f"{en} must be a number, got '{value}'"
        ) from None
    if not math.isfinite(number) or not low <= number <= high or (integer and number != int(number)):
        kind_zh, kind_en = ("整数", "a whole number") if integer else ("数字", "a number")
        raise _invalid(field, value, f"{zh}应为 {low:g} 到 {high:g} 之间的{kind_zh}",
                       f"{en} must be {kind_en} from {low:g} to {high:g}", "out_of_range")  # fmt: skip
    return number


# --- settings -------------------------------------------------------------------------------------------


@transaction.atomic
def settings_update(*, actor, region: Region | None, values: dict[str, Any], request=None) -> EmsSettings:
    """Save setting overrides for a county (or city-wide: city admin and health officers only). Every
    value is checked first; a non-numeric speed is refused naming the road class, nothing saved."""
    if region is None:
        if not selectors.is_citywide(actor):
            raise PermissionDenied("city-wide EMS settings are edited by the city admin and health officers")
    else:
        selectors.require_region(actor, region)
    normalised, problems = parameters.validate(values)
    if problems:
        raise ServiceValidationError(
            [FieldProblem(p.field, p.value, p.message_zh, p.message_en, p.code) for p in problems]
        )
    row = EmsSettings.objects.select_for_update().filter(region=region).first()
    previous = dict(row.values) if row else {}
    clean = {
        key: ({sub: normalised[key][sub] for sub in value} if isinstance(value, dict) else normalised[key])
        for key, value in values.items()
    }  # numbers stored as numbers, whatever the form sent
    merged = parameters.merge(previous, clean)
    if row is None:
        row = EmsSettings.objects.create(region=region, values=merged, updated_by=actor)
    else:
        row.values, row.updated_by = merged, actor
        row.save()
    audit.record(actor=actor, action=AuditEvent.Action.UPDATE, obj=row, request=request,
                 region_code=region.code if region else "", details={"changed": values})  # fmt: skip
    return row


# --- scenarios ------------------------------------------------------------------------------------------


def _check_name(region: Region, name: str, exclude: int | None = None) -> str:
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise _invalid(
            "name",
            name,
            "方案名称不能为空且不超过80字",
            "The scenario name is required (≤ 80 characters)",
            "required",
        )
    qs = Scenario.objects.filter(region=region, name=name)
    if exclude:
        qs = qs.exclude(pk=exclude)
    if qs.exists():
        raise _invalid(
            "name",
            name,
            f"本区(市)县已有名为“{name}”的方案",
            f"This county already has a scenario named '{name}'",
            "duplicate",
        )
    return name


def _copy_stations(source: Scenario, target: Scenario) -> None:
    for station in source.stations.prefetch_related("ambulances"):
        ambulances = list(station.ambulances.all())
        station.pk = None
        station.scenario = target
        station.save()
        Ambulance.objects.bulk_create(
            Ambulance(station=station, region=target.region, code=a.code, kind=a.kind) for a in ambulances
        )


@transaction.atomic
def scenario_copy(*, actor, scenario: Scenario, name: str, note: str = "", request=None) -> Scenario:
    """Save a copy of a scenario (stations and ambulances) under a new name, as a variant to edit."""
    _require_scenario_edit(actor, scenario)
    name = _check_name(scenario.region, name)
    copy = Scenario.objects.create(region=scenario.region, name=name, network=scenario.network, parent=scenario,
                                   note=note[:300], created_by=actor)  # fmt: skip
    _copy_stations(scenario, copy)
    audit.record(actor=actor, action=AuditEvent.Action.CREATE, obj=copy, request=request,
                 details={"copied_from": scenario.pk, "stations": copy.stations.count()})  # fmt: skip
    return copy


@transaction.atomic
def scenario_delete(*, actor, scenario: Scenario, request=None) -> None:
    _require_scenario_edit(actor, scenario)
    if scenario.is_baseline:
        raise _invalid(
            "scenario",
            scenario.name,
            "不能删除基线方案",
            "The baseline scenario cannot be deleted",
            "baseline",
        )
    audit.record(actor=actor, action=AuditEvent.Action.DELETE, obj=scenario, request=request)
    scenario.delete()


def _next_code(scenario: Scenario, prefix: str = "S") -> str:
    codes = set(scenario.stations.values_list("code", flat=True))
    n = len(codes) + 1
    while f"{prefix}{n:02d}" in codes:
        n += 1
    return f"{prefix}{n:02d}"


def station_check(*, scenario: Scenario, name: str, lon: Any, lat: Any, ambulances: Any = 0,
                  negative_pressure: Any = 0, crews: Any = 1) -> dict[str, Any]:  # fmt: skip
    """Validate a station's fields (all at once) and that it reaches the scenario's road network."""
    problems: list[FieldProblem] = []
    out: dict[str, Any] = {"name": (name or "").strip()}
    if not out["name"] or len(out["name"]) > 120:
        problems.append(
            FieldProblem(
                "name",
                name or "",
                "站点名称不能为空且不超过120字",
                "The station name is required (≤ 120 characters)",
                "required",
            )
        )
    specs = {
        "lon": (lon, "经度", "Longitude", 73.0, 136.0, False),
        "lat": (lat, "纬度", "Latitude", 3.0, 54.0, False),
        "ambulances": (ambulances, "救护车数量", "Ambulance count", 0, 100, True),
        "negative_pressure": (negative_pressure, "负压救护车数量", "Negative-pressure ambulance count", 0, 100, True),
        "crews": (crews, "在岗班组数", "Crews on duty", 0, 100, True),
    }  # fmt: skip
    for key, (value, zh, en, low, high, integer) in specs.items():
        try:
            number = _number(key, value, zh, en, low=low, high=high, integer=integer)
            out[key] = int(number) if integer else number
        except ServiceValidationError as exc:
            problems += exc.problems
    if not problems and out["negative_pressure"] > out["ambulances"]:
        problems.append(FieldProblem("negative_pressure", str(negative_pressure), "负压救护车数量不能多于救护车总数",
                                     "There cannot be more negative-pressure ambulances than ambulances"))  # fmt: skip
    if not problems:
        from . import travel

        problem = travel.unreachable_problem(scenario.network, out["lon"], out["lat"], place=out["name"])
        if problem is not None:
            problems.append(
                FieldProblem("lon", f"{out['lon']},{out['lat']}", problem[0], problem[1], "no_road")
            )
    if problems:
        raise ServiceValidationError(problems)
    return out


@transaction.atomic
def station_add(*, actor, scenario: Scenario, name: str, lon: Any, lat: Any, ambulances: Any = 1,
                negative_pressure: Any = 0, crews: Any = 1, urban: bool = False, code: str = "",
                request=None, audit_row: bool = True) -> Station:  # fmt: skip
    """Add a station (with its ambulances) to a scenario; refused if it is off the road network."""
    _require_scenario_edit(actor, scenario)
    data = station_check(scenario=scenario, name=name, lon=lon, lat=lat, ambulances=ambulances,
                         negative_pressure=negative_pressure, crews=crews)  # fmt: skip
    code = (code or "").strip() or _next_code(scenario)
    if scenario.stations.filter(code=code).exists():
        raise _invalid(
            "code",
            code,
            f"方案中已有站点编号 {code}",
            f"The scenario already has station code {code}",
            "duplicate",
        )
    station = Station.objects.create(scenario=scenario, region=scenario.region, code=code, name=data["name"],
                                     lon=data["lon"], lat=data["lat"], urban=bool(urban), crews=data["crews"])  # fmt: skip
    kinds = [AmbulanceKind.NEGATIVE_PRESSURE] * data["negative_pressure"] + [AmbulanceKind.BASIC] * (
        data["ambulances"] - data["negative_pressure"]
    )
    Ambulance.objects.bulk_create(
        Ambulance(station=station, region=scenario.region, code=f"{code}-{i + 1}", kind=k)
        for i, k in enumerate(kinds)
    )
    if audit_row:
        audit.record(actor=actor, action=AuditEvent.Action.CREATE, obj=station, request=request,
                     details={"scenario": scenario.pk, "ambulances": data["ambulances"],
                              "negative_pressure": data["negative_pressure"]})  # fmt: skip
    return station


@transaction.atomic
def station_remove(*, actor, station: Station, request=None) -> None:
    _require_scenario_edit(actor, station.scenario)
    if station.scenario.is_baseline:
        raise _invalid("station", station.name, "基线方案记录现状,请先复制为新方案再修改",
                       "The baseline records the current network: copy it to a new scenario to edit", "baseline")  # fmt: skip
    audit.record(actor=actor, action=AuditEvent.Action.DELETE, obj=station, request=request,
                 details={"scenario": station.scenario_id})  # fmt: skip
    station.delete()


@transaction.atomic
def ambulance_move(*, actor, ambulance: Ambulance, to_station: Station, request=None) -> Ambulance:
    """Move an ambulance to another station of the same scenario."""
    _require_scenario_edit(actor, ambulance.station.scenario)
    if to_station.scenario_id != ambulance.station.scenario_id:
        raise _invalid("to_station", to_station.pk, "只能在同一方案的站点之间调配救护车",
                       "An ambulance can only move between stations of the same scenario", "other_scenario")  # fmt: skip
    if to_station.pk == ambulance.station_id:
        raise _invalid(
            "to_station",
            to_station.pk,
            "救护车已在该站点",
            "The ambulance is already at that station",
            "same_station",
        )
    before = ambulance.station
    ambulance.station = to_station
    ambulance.save(update_fields=["station"])
    audit.record(actor=actor, action=AuditEvent.Action.UPDATE, obj=ambulance, request=request,
                 details={"from_station": before.code, "to_station": to_station.code,
                          "scenario": to_station.scenario_id})  # fmt: skip
    return ambulance


@transaction.atomic
def run_apply(*, actor, run: AnalysisRun, name: str, request=None) -> Scenario:
    """Save an optimisation result as a new scenario: the chosen sites become stations (existing stations
    kept where chosen), with the ambulances the model allotted (MEXCLP) or the scenario's fleet spread
    evenly over the chosen sites."""
    scenario = run.scenario
    _require_scenario_edit(actor, scenario)
    if run.kind != AnalysisRun.Kind.OPTIMISE or not run.result.get("sites"):
        raise _invalid(
            "run", run.pk, "该运行没有可应用的选址结果", "This run has no siting result to apply", "no_result"
        )
    name = _check_name(scenario.region, name)
    new = Scenario.objects.create(region=scenario.region, name=name, network=scenario.network, parent=scenario,
                                  note=f"optimisation run {run.pk} ({run.result.get('model', '')})", created_by=actor)  # fmt: skip
    for i, site in enumerate(run.result["sites"]):
        count = int(site.get("ambulances", 0))
        negative = min(count, int(site.get("negative_pressure", 0)))
        code = site.get("code") or f"S{i + 1:02d}"
        station = Station.objects.create(scenario=new, region=new.region, code=code, name=site.get("name") or code,
                                         lon=float(site["lon"]), lat=float(site["lat"]), urban=bool(site.get("urban")),
                                         crews=max(1, count))  # fmt: skip
        kinds = [AmbulanceKind.NEGATIVE_PRESSURE] * negative + [AmbulanceKind.BASIC] * (count - negative)
        Ambulance.objects.bulk_create(
            Ambulance(station=station, region=new.region, code=f"{code}-{k + 1}", kind=kind)
            for k, kind in enumerate(kinds)
        )
    audit.record(actor=actor, action=AuditEvent.Action.CREATE, obj=new, request=request,
                 details={"applied_run": run.pk, "sites": len(run.result["sites"])})  # fmt: skip
    return new


# --- registry rows (imports and demo) ------------------------------------------------------------------


def _registry_row_create(model, *, actor, data: dict[str, Any], request, audit_row: bool):
    """Create one county registry row (region checked for a signed-in actor); audited when asked."""
    if actor is not None:
        selectors.require_region(actor, data["region"])
    obj = model.objects.create(**data)
    if audit_row:
        audit.record(actor=actor, action=AuditEvent.Action.CREATE, obj=obj, request=request)
    return obj


@transaction.atomic
def hospital_create(*, actor, data: dict[str, Any], request=None, audit_row: bool = False) -> Hospital:
    """A receiving hospital of a county (checked by the import spec; the import writes one audit row)."""
    return _registry_row_create(Hospital, actor=actor, data=data, request=request, audit_row=audit_row)


@transaction.atomic
def demand_point_create(*, actor, data: dict[str, Any], request=None, audit_row: bool = False) -> DemandPoint:
    """A demand point of a county (checked by the import spec; the import writes one audit row)."""
    return _registry_row_create(DemandPoint, actor=actor, data=data, request=request, audit_row=audit_row)
