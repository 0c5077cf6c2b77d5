"""Reads of the EMS network. Who may read: the city administrator and health department officers
(city-wide) and county officers (their own county, through core.access.scope_queryset); everyone else
is refused. Writes follow the same scope (services check `can_edit_*`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from countybridge.core import access
from countybridge.core.models import Region, RegionLevel, Role
from countybridge.core.models.access import Domain

from . import parameters
from .models import AnalysisRun, DemandPoint, EmsSettings, Hospital, RoadNetwork, Scenario, Station


def can_read_ems(user) -> bool:
    role = access.role_of(user)
    return role in (Role.CITY_ADMIN, Role.COUNTY_OFFICER) or (
        role == Role.DEPARTMENT_OFFICER and user.domain == Domain.HEALTH
    )


def is_citywide(user) -> bool:
    return can_read_ems(user) and access.role_of(user) != Role.COUNTY_OFFICER


def require_read(user) -> None:
    if not can_read_ems(user):
        raise PermissionDenied(
            "the EMS network is for the health commission, the city admin and county officers"
        )


def require_region(user, region: Region) -> None:
    """A write or read about one county: refused outside the user's scope."""
    require_read(user)
    if access.role_of(user) == Role.COUNTY_OFFICER and region.pk != user.region_id:
        raise PermissionDenied("outside your county")


def county_list(*, user) -> QuerySet:
    """The county cities the user may see."""
    require_read(user)
    qs = Region.objects.filter(level=RegionLevel.COUNTY, is_county_city=True, successor__isnull=True)
    if access.role_of(user) == Role.COUNTY_OFFICER:
        qs = qs.filter(pk=user.region_id)
    return qs.order_by("code")


def county_get(*, user, code: str) -> Region:
    region = county_list(user=user).filter(code=code).first()
    if region is None:
        raise Http404("no such county in your scope")
    return region


def network_list(*, user) -> QuerySet:
    require_read(user)
    return access.scope_queryset(RoadNetwork.objects.select_related("region"), user).defer("nodes", "edges")


def network_current(region: Region) -> RoadNetwork | None:
    """The newest network version of a county (the baseline's network, else the latest saved)."""
    baseline = Scenario.objects.filter(region=region, is_baseline=True).select_related("network").first()
    if baseline is not None:
        return baseline.network
    return RoadNetwork.objects.filter(region=region).order_by("-created_at", "-version").first()


def scenario_list(*, user) -> QuerySet:
    require_read(user)
    return access.scope_queryset(
        Scenario.objects.select_related("region", "network", "created_by")
        .defer("network__nodes", "network__edges")
        .annotate(
            station_count=Count("stations", distinct=True),
            ambulance_count=Count("stations__ambulances", distinct=True),
        ),
        user,
    )


def scenario_get(*, user, pk: int) -> Scenario:
    scenario = scenario_list(user=user).filter(pk=pk).first()
    if scenario is None:
        raise Http404("no such scenario in your scope")
    return scenario


def scenario_by_name(*, user, name: str) -> Scenario:
    found = list(scenario_list(user=user).filter(name=name)[:2])
    if len(found) != 1:
        raise Http404("no such scenario in your scope" if not found else "scenario name is ambiguous")
    return found[0]


def baseline_for(region: Region) -> Scenario | None:
    return Scenario.objects.filter(region=region, is_baseline=True).select_related("network").first()


def station_list(*, user, scenario: Scenario | None = None) -> QuerySet:
    require_read(user)
    qs = Station.objects.select_related("region", "scenario").prefetch_related("ambulances")
    if scenario is not None:
        qs = qs.filter(scenario=scenario)
    return access.scope_queryset(qs, user)


def hospital_list(*, user) -> QuerySet:
    require_read(user)
    return access.scope_queryset(Hospital.objects.select_related("region", "organisation"), user)


def demand_list(*, user) -> QuerySet:
    require_read(user)
    return access.scope_queryset(DemandPoint.objects.select_related("region", "township"), user)


def run_list(*, user, scenario: Scenario | None = None) -> QuerySet:
    require_read(user)
    qs = AnalysisRun.objects.select_related("scenario", "region", "job", "created_by")
    if scenario is not None:
        qs = qs.filter(scenario=scenario)
    return access.scope_queryset(qs, user)


def run_get(*, user, pk: int) -> AnalysisRun:
    run = run_list(user=user).filter(pk=pk).first()
    if run is None:
        raise Http404("no such run in your scope")
    return run


def settings_for(region: Region | None) -> dict:
    """Sourced defaults, overlaid by the city-wide settings, then by the county's own."""
    values = parameters.defaults()
    rows = {
        s.region_id: s.values for s in EmsSettings.objects.filter(Q(region__isnull=True) | Q(region=region))
    }
    for key in (None, region.pk if region else None):
        if key in rows and (key is None or region is not None):
            values = parameters.merge(values, rows[key])
    return values


def settings_get(*, user, region: Region | None) -> dict:
    require_read(user)
    if region is None and not is_citywide(user):
        region = user.region
    if region is not None:
        require_region(user, region)
    return settings_for(region)
