"""Registry pages: regions, organisations, people. Scope comes from selectors; views only render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import access, selectors, services
from ..models import OrganisationKind, RegionLevel
from ..services.errors import ServiceValidationError


def _registry_user(request):
    access.require_registry_access(request.user)
    return request.user


def _page(request, queryset, per_page: int = 50):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


@login_required
def region_list(request):
    _registry_user(request)
    level = request.GET.get("level") or RegionLevel.COUNTY
    regions = selectors.region_list(
        level=level,
        county_cities_only=level == RegionLevel.TOWNSHIP,
        include_former=request.GET.get("former") == "1",
    )
    return render(
        request,
        "core/region_list.html",
        {"page": _page(request, regions, 200), "level": level, "levels": RegionLevel.choices},
    )


@login_required
def region_detail(request, code: str):
    _registry_user(request)
    region = selectors.region_get(code)
    children = selectors.region_list(include_former=True).filter(parent=region)
    return render(
        request,
        "core/region_detail.html",
        {"region": region, "children": children, "predecessors": region.predecessors.all()},
    )


@login_required
def organisation_list(request):
    user = _registry_user(request)
    orgs = selectors.organisation_list(
        user=user,
        kind=request.GET.get("kind") or None,
        region_code=request.GET.get("region") or None,
        q=request.GET.get("q") or None,
    )
    counties = selectors.region_list(level=RegionLevel.COUNTY).filter(is_county_city=True)
    return render(
        request,
        "core/organisation_list.html",
        {
            "page": _page(request, orgs),
            "kinds": OrganisationKind.choices,
            "counties": counties,
            "filters": request.GET,
        },
    )


@login_required
def organisation_detail(request, pk: int):
    user = _registry_user(request)
    org = selectors.organisation_get(user=user, pk=pk)
    return render(request, "core/organisation_detail.html", {"org": org})


@login_required
def person_list(request):
    user = _registry_user(request)
    people = selectors.person_list(
        user=user, region_code=request.GET.get("region") or None, q=request.GET.get("q") or None
    )
    return render(request, "core/person_list.html", {"page": _page(request, people), "filters": request.GET})


@login_required
def person_detail(request, pk: int):
    user = _registry_user(request)
    person = selectors.person_get(user=user, pk=pk, request=request)
    return render(
        request,
        "core/person_detail.html",
        {
            "person": person,
            "can_unmask": access.role_of(user) in access.UNMASK_ROLES,
        },
    )


@login_required
@require_POST
def person_reveal(request, pk: int):
    user = _registry_user(request)
    person = selectors.person_get(user=user, pk=pk, request=request, purpose="reveal")
    try:
        number = services.person_reveal_id(
            actor=user, person=person, reason=request.POST.get("reason", ""), request=request
        )
    except ServiceValidationError as exc:
        messages.error(request, str(exc))
        return redirect("core:person_detail", pk=pk)
    except PermissionDenied:
        raise
    return render(
        request,
        "core/person_detail.html",
        {
            "person": person,
            "revealed": number,
            "can_unmask": True,
            "notice": _("This view was recorded in the audit log."),
        },
    )
