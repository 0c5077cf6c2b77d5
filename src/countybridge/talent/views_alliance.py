"""Pages for quotas, expert circuits, the service alliance, skills training and events: a scoped list and a
create/update form each, all through `services_alliance.scoped_save` (scope check, bilingual errors, audit)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from countybridge.core import access
from countybridge.core.models import Region, RegionLevel, Role
from countybridge.core.services.errors import ServiceValidationError

from . import models as m
from . import selectors, services_alliance
from .views import reader

# slug → (model, title, list columns, editable fields, readable by public users)
SECTIONS = {
    "service-requests": (
        m.ServiceRequest,
        _("Service-alliance requests"),
        ["kind", "talent", "station", "deadline", "status", "satisfaction"],
        ["talent", "kind", "station", "deadline", "status", "satisfaction", "note"],
        False,
    ),
    "stations": (
        m.ServiceStation,
        _("Service stations"),
        ["name", "region", "park"],
        ["name", "region", "park", "kinds"],
        False,
    ),
    "training": (
        m.TrainingProgramme,
        _("Skills-training programmes"),
        ["kind", "name", "region", "capacity", "start", "end"],
        ["region", "kind", "name", "capacity", "start", "end"],
        True,
    ),
    "enrolments": (
        m.Enrolment,
        _("Training enrolments"),
        ["programme", "talent", "completed"],
        ["programme", "talent", "completed"],
        False,
    ),
    "events": (
        m.Event,
        _("Fairs, competitions and SOE project lists"),
        ["kind", "title", "region", "date"],
        ["region", "kind", "title", "date", "description"],
        True,
    ),
    "signups": (
        m.EventSignup,
        _("Event sign-ups and outcomes"),
        ["event", "talent", "outcome"],
        ["event", "talent", "outcome"],
        False,
    ),
    "expert-groups": (
        m.ExpertGroup,
        _("Expert groups"),
        ["name", "region", "max_days", "max_travel_minutes"],
        [
            "name",
            "region",
            "base_lat",
            "base_lon",
            "available_days",
            "max_travel_minutes",
            "max_days",
            "members",
        ],
        False,
    ),
    "demands": (
        m.CountyDemand,
        _("County demands for expert services"),
        ["topic", "specialty", "region", "start", "end"],
        ["region", "topic", "specialty", "place", "lat", "lon", "start", "end", "priority", "size"],
        False,
    ),
    "service-records": (
        m.ServiceRecord,
        _("Expert service records"),
        ["group", "demand", "day", "done", "rating", "feedback"],
        ["done", "rating", "feedback"],
        False,
    ),
}


def _section(slug):
    if slug not in SECTIONS:
        from django.http import Http404

        raise Http404
    return SECTIONS[slug]


def _rows(model, public, user):
    return selectors.public_listing(model, user) if public else selectors.scoped(model, user)


@login_required
def section_list(request, slug):
    user = reader(request)
    model, title, columns, _fields, public = _section(slug)
    if (
        access.role_of(user) == Role.PUBLIC
        and not public
        and model not in (m.ServiceRequest, m.Enrolment, m.EventSignup)
    ):
        raise PermissionDenied("officers only")
    rows = _rows(model, public, user)[:200]
    table = [(row, [getattr(row, c) for c in columns]) for row in rows]
    headers = [model._meta.get_field(c).verbose_name for c in columns]
    extra = {}
    if model is m.ServiceRequest:
        extra["by_county"] = services_alliance.satisfaction_by_county(selectors.scoped(model, user))
    return render(
        request,
        "talent/section_list.html",
        {
            "slug": slug,
            "title": title,
            "headers": headers,
            "table": table,
            "can_edit": access.role_of(user) in (Role.CITY_ADMIN, Role.COUNTY_OFFICER),
            **extra,
        },
    )


def _form_class(model, fields, user):
    form_class = forms.modelform_factory(model, fields=fields)

    class Scoped(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for field in self.fields.values():
                related = getattr(field, "queryset", None)
                if related is None:
                    continue
                if related.model is Region:
                    field.queryset = Region.objects.filter(
                        level=RegionLevel.COUNTY,
                        **({"pk": user.region_id} if access.role_of(user) == Role.COUNTY_OFFICER else {}),
                    )
                elif hasattr(related.model, "scope_region_field"):
                    field.queryset = selectors.scoped(related.model, user)
                else:
                    field.queryset = access.scope_queryset(related, user)

    return Scoped


@login_required
def section_edit(request, slug, pk=None):
    user = reader(request)
    if access.role_of(user) not in (Role.CITY_ADMIN, Role.COUNTY_OFFICER):
        raise PermissionDenied("officers only")
    model, title, _columns, fields, _public = _section(slug)
    obj = selectors.get(model, user, pk) if pk else model()
    form_class = _form_class(model, fields, user)
    form = (
        form_class(request.POST or None, instance=obj)
        if request.method == "POST"
        else form_class(instance=obj)
    )
    errors = []
    if request.method == "POST":
        if form.is_valid():
            data = {f: form.cleaned_data[f] for f in fields if f in form.cleaned_data}
            fresh = selectors.get(model, user, pk) if pk else model()
            try:
                services_alliance.scoped_save(actor=user, obj=fresh, data=data, request=request)
                return redirect(reverse("talent:section_list", args=[slug]))
            except ServiceValidationError as exc:
                errors = exc.problems
    return render(
        request, "talent/section_form.html", {"form": form, "title": title, "errors": errors, "slug": slug}
    )


@login_required
def quota_list(request):
    user = reader(request)
    if access.role_of(user) == Role.PUBLIC:
        raise PermissionDenied("officers only")
    return render(request, "talent/quota_list.html", {"quotas": selectors.quota_usage(user)})
