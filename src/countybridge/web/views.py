"""Home page (Chengdu map with the eight county cities and headline figures), module pages, error pages."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from countybridge.core import selectors
from countybridge.core.access import can_see_registries
from countybridge.core.models import Organisation, RegionLevel

from .context import MODULES


def _map_payload(overview: dict, language: str, *, links: bool) -> dict:
    """The map's data with, for each county city, the link to its region page and the name to show.

    Region names are reference data (not scoped), so reading them here exposes nothing."""
    english = {r.code: r.name_en for r in selectors.region_list(level=RegionLevel.COUNTY)}
    counties = {row["code"]: row for row in overview["counties"]}
    regions = []
    for item in overview["map_data"]["regions"]:
        item = dict(item)
        row = counties.get(item["code"])
        item["county_city"] = row is not None
        item["display"] = (english.get(item["code"]) or item["label"]) if language == "en" else item["label"]
        if row is not None:
            if links:
                item["url"] = reverse("core:region_detail", args=[item["code"]])
            item["secondary_hospitals"] = row["secondary_hospitals"]
            item["schools"] = row["schools"]
        regions.append(item)
    labels = {
        "population": _("Residents (2020 census)"),
        "hospitals": _("Secondary-or-above hospitals"),
        "schools": _("Schools"),
        "synthetic": _("synthetic"),
        "open": _("Click to open the region page") if links else "",
        "other": _("Central district (not a county city)"),
    }
    return {
        **overview["map_data"],
        "regions": regions,
        "labels": labels,
        "county_cities": sum(1 for r in regions if r["county_city"]),
        "links": links,
    }


def home(request):
    """Public aggregates only: census figures (sourced) and institution counts per county city, which are
    labelled synthetic while they come from the demo generator."""
    overview = selectors.county_city_overview()
    # region pages are for registry roles; a visitor who is not signed in is asked to sign in there,
    # while signed-in roles without registry access (auditor, public) get no links that would only say 403
    links = not request.user.is_authenticated or can_see_registries(request.user)
    language = get_language() or ""
    english = {r.name_zh: r.name_en for r in selectors.region_list(level=RegionLevel.COUNTY)}
    for row in overview["counties"]:
        row["url"] = reverse("core:region_detail", args=[row["code"]]) if links else ""
        if language == "en":
            for pairing in row["pairings"]:
                pairing["district"] = english.get(pairing["district"]) or pairing["district"]
    return render(
        request,
        "web/home.html",
        {
            "overview": overview,
            "map_payload": _map_payload(overview, language, links=links),
            # a real import clears the label; demo rows carry is_synthetic (aggregate flag, no row is read)
            "institutions_synthetic": Organisation.objects.filter(is_synthetic=True).exists(),
        },
    )


def module(request, slug: str):
    titles = dict(MODULES)
    if slug not in titles:
        raise Http404(_("No such module"))
    return render(request, "web/module.html", {"slug": slug, "title": titles[slug]})


def forbidden(request, exception=None):
    return render(
        request,
        "web/error.html",
        {
            "status": 403,
            "message_zh": "无权访问此页面或记录",
            "message_en": "You are not allowed to see this page or record",
        },
        status=403,
    )


def not_found(request, exception=None):
    return render(
        request,
        "web/error.html",
        {"status": 404, "message_zh": "未找到该页面或记录", "message_en": "No such page or record"},
        status=404,
    )
