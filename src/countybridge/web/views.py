"""Home page (Chengdu map with the eight county cities and headline figures), module pages, error pages."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from countybridge.core import selectors

from .context import MODULES


def home(request):
    """Public aggregates only: census figures and institution counts per county city."""
    overview = selectors.county_city_overview()
    return render(request, "web/home.html", {"overview": overview})


def module(request, slug: str):
    titles = dict(MODULES)
    if slug not in titles:
        raise Http404(_("No such module"))
    return render(request, "web/module.html", {"slug": slug, "title": titles[slug]})


def forbidden(request, exception=None):
    return render(request, "web/error.html", {"status": 403, "message_zh": "无权访问此页面或记录",
                                              "message_en": "You are not allowed to see this page or record"}, status=403)


def not_found(request, exception=None):
    return render(request, "web/error.html", {"status": 404, "message_zh": "未找到该页面或记录",
                                              "message_en": "No such page or record"}, status=404)
