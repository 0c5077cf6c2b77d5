"""Reads: every scoped query goes through `access.scope_queryset`; related rows load in the same query."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from . import access, audit
from .models import AuditEvent, Organisation, Pairing, Person, Region, RegionLevel


def region_list(
    *, level: str | None = None, county_cities_only: bool = False, include_former: bool = False
) -> QuerySet:
    """Regions are reference data, readable by every signed-in role with registry access."""
    qs = Region.objects.select_related("parent", "successor")
    if level:
        qs = qs.filter(level=level)
    if county_cities_only:
        qs = qs.filter(Q(is_county_city=True) | Q(parent__is_county_city=True))
    if not include_former:
        qs = qs.filter(successor__isnull=True)
    return qs


def region_get(code: str) -> Region:
    region = Region.objects.select_related("parent", "successor").filter(code=code).first()
    if region is None:
        raise Http404(_("No such region"))
    return region


def organisation_list(
    *, user, kind: str | None = None, region_code: str | None = None, q: str | None = None
) -> QuerySet:
    qs = access.scope_queryset(Organisation.objects.select_related("region", "township", "parent"), user)
    if kind:
        qs = qs.filter(kind=kind)
    if region_code:
        qs = qs.filter(Q(region__code=region_code) | Q(township__code=region_code))
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(credit_code__iexact=q))
    return qs


def organisation_get(*, user, pk: int) -> Organisation:
    """One organisation in scope; out of scope looks the same as missing (404), so ids cannot be probed."""
    org = organisation_list(user=user).filter(pk=pk).first()
    if org is None:
        raise Http404(_("No such organisation"))
    return org


def person_list(*, user, region_code: str | None = None, q: str | None = None) -> QuerySet:
    qs = access.scope_queryset(Person.objects.select_related("region", "township", "organisation"), user)
    if region_code:
        qs = qs.filter(Q(region__code=region_code) | Q(township__code=region_code))
    if q:
        qs = qs.filter(name__icontains=q)
    return qs


def person_get(*, user, pk: int, request=None, purpose: str = "view") -> Person:
    """A person's record is sensitive: the read itself is audited."""
    person = person_list(user=user).filter(pk=pk).first()
    if person is None:
        raise Http404(_("No such person"))
    audit.record(
        actor=user,
        action=AuditEvent.Action.READ_SENSITIVE,
        obj=person,
        request=request,
        details={"purpose": purpose},
    )
    return person


def pairings_for(user) -> QuerySet:
    """Pairings the user may read: all for editors, their own county's for a county officer."""
    if not access.can_read_pairings(user):
        raise PermissionDenied(
            "pairings are for city administrators, the organisation department and counties"
        )
    qs = Pairing.objects.select_related("county_city", "district").order_by(
        "county_city__code", "district__code"
    )
    if access.role_of(user) == "county_officer":
        qs = qs.filter(Q(county_city_id=user.region_id) | Q(district_id=user.region_id))
    return qs


def county_city_overview() -> dict:
    """Headline figures for the home page: census (sourced) and institution counts (synthetic demo data)."""
    counties = list(
        Region.objects.filter(level=RegionLevel.COUNTY, successor__isnull=True)
        .annotate(
            secondary_hospitals=Count(
                "organisations",
                filter=Q(organisations__kind="hospital", organisations__hospital_level__gte=2),
                distinct=True,
            ),
            primary_care=Count("organisations", filter=Q(organisations__kind="primary_care"), distinct=True),
            schools=Count("organisations", filter=Q(organisations__kind="school"), distinct=True),
            townships=Count("children", distinct=True),
        )
        .order_by("code")
    )
    pairings: dict[int, list] = {}
    for p in Pairing.objects.select_related("district"):
        pairings.setdefault(p.county_city_id, []).append(
            {"district": p.district.name_zh, "illustrative": p.status == Pairing.Status.ILLUSTRATIVE}
        )
    city = Region.objects.filter(level=RegionLevel.CITY).first()
    county_cities = [c for c in counties if c.is_county_city]
    rows = [
        {
            "code": c.code,
            "name_zh": c.name_zh,
            "name_en": c.name_en,
            "population": c.population_2020 or 0,
            "secondary_hospitals": c.secondary_hospitals,
            "primary_care": c.primary_care,
            "schools": c.schools,
            "townships": c.townships,
            "pairings": pairings.get(c.pk, []),
        }
        for c in county_cities
    ]
    county_population = sum(r["population"] for r in rows)
    city_population = city.population_2020 if city and city.population_2020 else 0
    populations = [r["population"] for r in rows] or [0]
    map_regions = [
        {
            "name": c.map_name or c.name_zh,
            "value": c.population_2020 if c.is_county_city else None,
            "label": c.name_zh,
            "code": c.code,
            "population_label": f"{c.population_2020:,}" if c.population_2020 else "",
        }
        for c in counties
        if c.map_name
    ]
    return {
        "counties": rows,
        "county_population": county_population,
        "county_share": county_population / city_population if city_population else None,
        "totals": {
            key: sum(r[key] for r in rows)
            for key in ("secondary_hospitals", "primary_care", "schools", "townships")
        },
        "map_data": {
            "regions": map_regions,
            "min": min(populations),
            "max": max(populations),
            "title": _("2020 census population"),
            "legend_high": _("more residents"),
            "legend_low": _("fewer"),
        },
    }
