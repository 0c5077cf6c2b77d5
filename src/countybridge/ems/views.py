"""EMS pages: county dashboards (15-minute target, failing places, standards), the map of stations,
hospitals and demand points, scenarios (list, detail with manual edits, side-by-side comparison) and the
optimisation / simulation runs. Reads through selectors (scope and refusal), writes through services;
errors in Chinese and English with nothing saved."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from countybridge.core import jobs
from countybridge.core.services.errors import FieldProblem, ServiceValidationError

from . import analysis, parameters, selectors, services, services_network
from .models import Ambulance, Station


def _name(region) -> str:
    return (region.name_en or region.name_zh) if (get_language() or "").startswith("en") else region.name_zh


@login_required
def index(request):
    rows = []
    for county in selectors.county_list(user=request.user):
        baseline = selectors.baseline_for(county)
        rows.append({"county": county, "name": _name(county), "baseline": baseline,
                     "result": analysis.analyse(baseline) if baseline else None})  # fmt: skip
    chart = {
        "names": [r["name"] for r in rows if r["result"]],
        "average": [r["result"]["coverage"]["average"] for r in rows if r["result"]],
        "p90": [r["result"]["coverage"]["p90"] for r in rows if r["result"]],
        "labels": {"average": _("Average response (min)"), "p90": _("90th percentile (min)"), "target": _("Target")},
        "target": rows[0]["result"]["coverage"]["target"] if rows and rows[0]["result"] else 15,
    }  # fmt: skip
    return render(request, "ems/index.html", {"rows": rows, "chart": chart})


def _county_context(request, code: str) -> dict:
    county = selectors.county_get(user=request.user, code=code)
    baseline = selectors.baseline_for(county)
    result = analysis.analyse(baseline) if baseline else None
    return {"county": county, "name": _name(county), "baseline": baseline, "result": result}


@login_required
def county(request, code: str):
    ctx = _county_context(request, code)
    if ctx["result"]:
        cov = ctx["result"]["coverage"]
        ctx["chart"] = {
            "thresholds": list(cov["within"].keys()),
            "shares": [round(100 * v, 1) for v in cov["within"].values()],
            "label": _("Share of residents reached (%)"),
            "unit": _("min"),
        }
    return render(request, "ems/county.html", ctx)


@login_required
def county_map(request, code: str):
    ctx = _county_context(request, code)
    result = ctx["result"]
    payload = {"center": [ctx["county"].lon, ctx["county"].lat], "stations": [], "hospitals": [], "places": [],
               "labels": {"stations": _("Stations"), "hospitals": _("Hospitals (secondary+)"),
                          "places": _("Demand points (colour: response)"), "response": _("Response (min)"),
                          "ambulances": _("Ambulances"), "population": _("Population")}}  # fmt: skip
    if result:
        baseline = ctx["baseline"]
        payload["stations"] = [
            {"name": s.name, "value": [s.lon, s.lat, len(s.ambulances.all())]}
            for s in baseline.stations.prefetch_related("ambulances")
        ]
        payload["hospitals"] = [
            {"name": h.name, "value": [h.lon, h.lat, h.level]}
            for h in selectors.hospital_list(user=request.user).filter(region=ctx["county"])
        ]
        payload["places"] = [
            {"name": p["name"], "value": [p["lon"], p["lat"], p["response"] if p["response"] is not None else 999,
                                          p["population"]]}
            for p in result["places"]
        ]  # fmt: skip
        payload["target"] = result["coverage"]["target"]
    ctx["map_payload"] = payload
    return render(request, "ems/map.html", ctx)


@login_required
def scenario_list(request):
    scenarios = selectors.scenario_list(user=request.user)
    code = request.GET.get("county", "")
    if code:
        scenarios = scenarios.filter(region__code=code)
    return render(request, "ems/scenario_list.html", {"scenarios": scenarios, "county_code": code})


def _scenario_context(request, scenario, errors=(), posted=None) -> dict:
    stations = selectors.station_list(user=request.user, scenario=scenario)
    return {
        "scenario": scenario,
        "result": analysis.analyse(scenario),
        "stations": stations,
        "ambulances": Ambulance.objects.filter(station__scenario=scenario).select_related("station"),
        "runs": selectors.run_list(user=request.user, scenario=scenario)[:20],
        "errors": list(errors),
        "posted": posted or {},
    }


@login_required
def scenario_detail(request, pk: int):
    scenario = selectors.scenario_get(user=request.user, pk=pk)
    return render(request, "ems/scenario_detail.html", _scenario_context(request, scenario))


def _post_or_errors(request, scenario, action):
    try:
        result = action()
    except ServiceValidationError as exc:
        return None, render(request, "ems/scenario_detail.html",
                            _scenario_context(request, scenario, exc.problems, request.POST), status=400)  # fmt: skip
    return result, None


@login_required
@require_POST
def scenario_copy(request, pk: int):
    scenario = selectors.scenario_get(user=request.user, pk=pk)
    new, failed = _post_or_errors(request, scenario, lambda: services.scenario_copy(
        actor=request.user, scenario=scenario, name=request.POST.get("name", ""), note=request.POST.get("note", ""),
        request=request))  # fmt: skip
    if failed:
        return failed
    messages.success(request, _("Scenario saved."))
    return redirect("ems:scenario_detail", pk=new.pk)


@login_required
@require_POST
def station_add(request, pk: int):
    scenario = selectors.scenario_get(user=request.user, pk=pk)
    p = request.POST
    _station, failed = _post_or_errors(request, scenario, lambda: services.station_add(
        actor=request.user, scenario=scenario, name=p.get("name", ""), lon=p.get("lon", ""), lat=p.get("lat", ""),
        ambulances=p.get("ambulances", "1"), negative_pressure=p.get("negative_pressure", "0"),
        crews=p.get("crews", "1"), urban=p.get("urban") == "on", request=request))  # fmt: skip
    if failed:
        return failed
    messages.success(request, _("Station added."))
    return redirect("ems:scenario_detail", pk=pk)


@login_required
@require_POST
def ambulance_move(request, pk: int):
    scenario = selectors.scenario_get(user=request.user, pk=pk)

    def move():
        ambulance = Ambulance.objects.filter(
            pk=request.POST.get("ambulance") or 0, station__scenario=scenario
        ).first()
        station = Station.objects.filter(pk=request.POST.get("to_station") or 0, scenario=scenario).first()
        if ambulance is None or station is None:
            raise ServiceValidationError([FieldProblem("ambulance", "", "请选择本方案的救护车和目标站点",
                                                       "Choose an ambulance and a station of this scenario")])  # fmt: skip
        return services.ambulance_move(
            actor=request.user, ambulance=ambulance, to_station=station, request=request
        )

    _moved, failed = _post_or_errors(request, scenario, move)
    if failed:
        return failed
    messages.success(request, _("Ambulance moved."))
    return redirect("ems:scenario_detail", pk=pk)


@login_required
@require_POST
def run_start(request, pk: int):
    scenario = selectors.scenario_get(user=request.user, pk=pk)
    kind = request.POST.get("kind", "optimise")
    p = request.POST
    if kind == "simulate":
        params = {"county": scenario.region.code, "scenario": scenario.pk, "days": p.get("days", "7"),
                  "seed": p.get("seed", "1"), "replications": p.get("replications", "5")}  # fmt: skip
    else:
        kind = "optimise"
        params = {"county": scenario.region.code, "scenario": scenario.pk, "model": p.get("model", "p_median"),
                  "time_limit": p.get("time_limit", "30")}  # fmt: skip
        if p.get("p"):
            params["p"] = p["p"]
    run, failed = _post_or_errors(request, scenario, lambda: jobs.job_start(
        actor=request.user, kind=f"ems.{kind}", params=params, request=request))  # fmt: skip
    if failed:
        return failed
    messages.success(request, _("The run is computing; its result appears on this scenario when done."))
    return redirect("core:job_detail", pk=run.pk)


@login_required
def compare(request):
    visible = selectors.scenario_list(user=request.user)
    ids = [int(x) for x in request.GET.getlist("ids") if x.isdigit()][:6]
    chosen = [selectors.scenario_get(user=request.user, pk=k) for k in ids]
    data = analysis.compare(chosen) if chosen else None
    if data:
        data["chart"]["labels"] = {"average": _("Average response (min)"), "p90": _("90th percentile (min)"),
                                   "cost": _("Yearly cost (million yuan)"), "within": _("Reached within")}  # fmt: skip
    return render(request, "ems/compare.html", {"visible": visible, "ids": ids, "data": data})


@login_required
def run_detail(request, pk: int):
    run = selectors.run_get(user=request.user, pk=pk)
    return render(request, "ems/run_detail.html", {"run": run, "errors": []})


@login_required
@require_POST
def run_apply(request, pk: int):
    run = selectors.run_get(user=request.user, pk=pk)
    try:
        new = services.run_apply(
            actor=request.user, run=run, name=request.POST.get("name", ""), request=request
        )
    except ServiceValidationError as exc:
        return render(request, "ems/run_detail.html", {"run": run, "errors": exc.problems}, status=400)
    messages.success(request, _("Saved as a new scenario."))
    return redirect("ems:scenario_detail", pk=new.pk)


@login_required
@require_POST
def network_import(request, code: str):
    """Upload a road network (CSV edge list or GeoJSON) as a new version for the county."""
    ctx = _county_context(request, code)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ServiceValidationError(
                [FieldProblem("file", "", "请选择道路文件", "Choose a road file", "required")]
            )
        services_network.network_import(actor=request.user, region=ctx["county"], name=request.POST.get("name", ""),
                                        content=upload.read(), filename=upload.name, request=request)  # fmt: skip
    except ServiceValidationError as exc:
        ctx["errors"] = exc.problems
        return render(request, "ems/county.html", ctx, status=400)
    messages.success(request, _("Road network saved as a new version; the baseline uses it."))
    return redirect("ems:county", code=code)


SETTING_FIELDS = (
    "target_min", "peak_travel_factor", "dispatches_per_1000_per_year", "cost_station_per_year",
    "cost_ambulance_per_year", "radius_km_urban", "radius_km_rural", "negative_pressure_share",
)  # fmt: skip


@login_required
def settings_page(request, code: str = ""):
    """The settings in force for a county (or city-wide): speeds per road class, intervals, targets,
    standards and costs; saving checks every value and names a bad one in both languages."""
    region = selectors.county_get(user=request.user, code=code) if code else None
    values = selectors.settings_get(user=request.user, region=region)
    errors = []
    if request.method == "POST":
        p = request.POST
        changes = {
            "speeds_kmh": {c: p.get(f"speed_{c}") for c in parameters.ROAD_CLASSES if p.get(f"speed_{c}", "") != ""},
            "intervals_min": {k: p.get(f"interval_{k}") for k in values["intervals_min"] if p.get(f"interval_{k}", "") != ""},
            **{k: p.get(k) for k in SETTING_FIELDS if p.get(k, "") != ""},
        }  # fmt: skip
        try:
            services.settings_update(actor=request.user, region=region, values=changes, request=request)
        except ServiceValidationError as exc:
            errors = exc.problems
        else:
            messages.success(request, _("Settings saved."))
            return redirect(request.path)
    return render(
        request, "ems/settings.html",
        {"region": region, "values": values, "errors": errors, "fields": SETTING_FIELDS,
         "classes": [(c, parameters.ROAD_CLASS_LABELS[c], values["speeds_kmh"].get(c)) for c in parameters.ROAD_CLASSES]},
        status=400 if errors else 200,
    )  # fmt: skip
