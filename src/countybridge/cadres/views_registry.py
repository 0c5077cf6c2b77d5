"""Pages that keep the cadre registry: create/edit a cadre (linked to a registered person), add and edit
career posts, yearly assessments and relatives, create/edit positions. Only the organisation department and
the city administrator reach them (services refuse everyone else); county officers read the same records on
the detail and list pages. Errors are shown in Chinese and English and nothing is saved."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from countybridge.core import selectors as core_selectors
from countybridge.core.models import Region, RegionLevel
from countybridge.core.services.errors import FieldProblem, ServiceValidationError

from . import selectors
from . import services_registry as registry
from .models import CareerPost, Relative
from .planning.model import ASSESSMENT_SCORES, FUNCTIONS, KINSHIP, LEVELS, UNIT_TYPES

CADRE_FIELDS = ("code", "name", "birth_date", "home_region", "work_start", "grassroots_years", "fields", "level",
                "years_at_level", "years_one_level_down", "posts_at_level", "posts_one_level_down", "region")  # fmt: skip
POST_FIELDS = ("position", "title", "level", "start", "end", "consecutive_terms")
POSITION_FIELDS = ("code", "title", "unit", "unit_name", "unit_type", "region", "level", "is_chief", "function",
                   "team", "reports_to", "required_fields", "preferred_fields", "is_open")  # fmt: skip


def choice_tables() -> dict:
    counties = Region.objects.filter(
        level__in=(RegionLevel.CITY, RegionLevel.COUNTY), valid_to__isnull=True
    ).order_by("code")
    return {
        "levels": list(LEVELS.items()),
        "unit_types": [(k, f"{v[0]} / {v[1]}") for k, v in UNIT_TYPES.items()],
        "functions": [(k, f"{v[0]} / {v[1]}") for k, v in FUNCTIONS.items()],
        "kinships": [(k, f"{v[1]} / {v[2]}") for k, v in KINSHIP.items()],
        "grades": list(ASSESSMENT_SCORES),
        "counties": counties,
    }


def _cadre(request, pk: int):
    selectors.require_edit(request.user)
    cadre = selectors.cadre_list(user=request.user).filter(pk=pk).first()
    if cadre is None:
        raise Http404
    return cadre


def _detail_error(request, pk: int, exc: ServiceValidationError):
    cadre = selectors.cadre_get(user=request.user, pk=pk, request=request)
    ctx = {"can_edit": True, "cadre": cadre, "errors": exc.problems, **choice_tables()}
    return render(request, "cadres/cadre_detail.html", ctx, status=400)


def cadre_initial(cadre) -> dict:
    data = {f: getattr(cadre, f) for f in CADRE_FIELDS if f != "region"}
    data["fields"] = ", ".join(cadre.fields or ())
    data["region"] = cadre.region.code
    for f in ("birth_date", "work_start"):
        data[f] = data[f].isoformat()
    return data


def _person_for(request):
    """The person behind a new cadre: an existing registered person (by id, within the officer's registry
    scope) or, with a document number, one registered now through core's service."""
    post = request.POST
    person_id = (post.get("person_id") or "").strip()
    if person_id:
        person = None
        if person_id.isdigit():
            person = core_selectors.person_list(user=request.user).filter(pk=person_id).first()
        if person is None:
            raise ServiceValidationError([FieldProblem("person_id", person_id, "未找到该登记人员",
                                                       "No registered person with this id", "unknown")])  # fmt: skip
        return person, None
    number = (post.get("id_number") or "").strip()
    if not number:
        return None, None
    region = Region.objects.filter(code=post.get("region", ""), level=RegionLevel.COUNTY).first()
    return None, {"id_type": post.get("id_type") or "resident_id", "id_number": number, "region": region,
                  "sex": post.get("sex") or None}  # fmt: skip


@login_required
def cadre_new(request):
    selectors.require_edit(request.user)
    data, errors = {}, []
    if request.method == "POST":
        data = {f: request.POST.get(f, "") for f in CADRE_FIELDS}
        try:
            person, person_data = _person_for(request)
            if person_data and person_data["sex"] is None:
                del person_data["sex"]
            cadre = registry.cadre_create(actor=request.user, data=data, person=person, person_data=person_data,
                                          request=request)  # fmt: skip
        except ServiceValidationError as exc:
            errors = exc.problems
        else:
            messages.success(request, _("Cadre saved."))
            return redirect("cadres:cadre_detail", pk=cadre.pk)
    ctx = {"data": data, "errors": errors, "cadre": None, "new": True, **choice_tables()}
    return render(request, "cadres/cadre_form.html", ctx, status=400 if errors else 200)


@login_required
def cadre_edit(request, pk: int):
    cadre = _cadre(request, pk)
    data, errors = cadre_initial(cadre), []
    if request.method == "POST":
        data = {f: request.POST.get(f, "") for f in CADRE_FIELDS}
        try:
            registry.cadre_update(actor=request.user, cadre=cadre, data=data, request=request)
        except ServiceValidationError as exc:
            errors = exc.problems
        else:
            messages.success(request, _("Cadre saved."))
            return redirect("cadres:cadre_detail", pk=cadre.pk)
    ctx = {"data": data, "errors": errors, "cadre": cadre, "new": False, **choice_tables()}
    return render(request, "cadres/cadre_form.html", ctx, status=400 if errors else 200)


@login_required
@require_POST
def career_add(request, pk: int):
    cadre = _cadre(request, pk)
    try:
        registry.career_add(actor=request.user, cadre=cadre, request=request,
                            data={f: request.POST.get(f, "") for f in POST_FIELDS})  # fmt: skip
    except ServiceValidationError as exc:
        return _detail_error(request, pk, exc)
    messages.success(request, _("Career post saved."))
    return redirect("cadres:cadre_detail", pk=pk)


@login_required
def career_edit(request, pk: int, post_pk: int):
    cadre = _cadre(request, pk)
    post = CareerPost.objects.filter(cadre=cadre, pk=post_pk).select_related("position").first()
    if post is None:
        raise Http404
    data = {f: str(getattr(post, f) or "") for f in POST_FIELDS}
    data["position"] = post.position.code if post.position_id else ""
    errors = []
    if request.method == "POST":
        data = {f: request.POST.get(f, "") for f in POST_FIELDS}
        try:
            registry.career_update(actor=request.user, post=post, data=data, request=request)
        except ServiceValidationError as exc:
            errors = exc.problems
        else:
            messages.success(request, _("Career post saved."))
            return redirect("cadres:cadre_detail", pk=pk)
    ctx = {"cadre": cadre, "post": post, "data": data, "errors": errors, **choice_tables()}
    return render(request, "cadres/career_form.html", ctx, status=400 if errors else 200)


@login_required
@require_POST
def assessment_add(request, pk: int):
    cadre = _cadre(request, pk)
    try:
        registry.assessment_set(actor=request.user, cadre=cadre, year=request.POST.get("year", ""),
                                grade=request.POST.get("grade", ""), request=request)  # fmt: skip
    except ServiceValidationError as exc:
        return _detail_error(request, pk, exc)
    messages.success(request, _("Assessment saved."))
    return redirect("cadres:cadre_detail", pk=pk)


@login_required
@require_POST
def relative_add(request, pk: int):
    cadre = _cadre(request, pk)
    try:
        registry.relative_add(actor=request.user, cadre=cadre, relative_code=request.POST.get("relative", ""),
                              kinship=request.POST.get("kinship", ""), request=request)  # fmt: skip
    except ServiceValidationError as exc:
        return _detail_error(request, pk, exc)
    messages.success(request, _("Relative declared."))
    return redirect("cadres:cadre_detail", pk=pk)


@login_required
@require_POST
def relative_remove(request, pk: int, rel_pk: int):
    cadre = _cadre(request, pk)
    row = Relative.objects.filter(cadre=cadre, pk=rel_pk).first()
    if row is None:
        raise Http404
    registry.relative_remove(actor=request.user, relative=row, request=request)
    messages.success(request, _("Relative removed."))
    return redirect("cadres:cadre_detail", pk=pk)


@login_required
@require_POST
def record_remove(request, pk: int, kind: str, row_pk: int):
    cadre = _cadre(request, pk)
    try:
        registry.record_remove(actor=request.user, cadre=cadre, kind=kind, pk=row_pk,
                               reason=request.POST.get("reason", ""), request=request)  # fmt: skip
    except ServiceValidationError as exc:
        return _detail_error(request, pk, exc)
    messages.success(request, _("The record was removed; the audit log keeps it."))
    return redirect("cadres:cadre_detail", pk=pk)


def position_initial(p) -> dict:
    data = {f: getattr(p, f) for f in POSITION_FIELDS}
    data.update(unit=p.unit_id or "", region=p.region.code, reports_to=p.reports_to.code if p.reports_to_id else "",
                required_fields=", ".join(p.required_fields or ()),
                preferred_fields=", ".join(p.preferred_fields or ()))  # fmt: skip
    return data


def _position_form(request, position=None):
    selectors.require_edit(request.user)
    data, errors = (position_initial(position) if position else {}), []
    if request.method == "POST":
        data = {f: request.POST.get(f, "") for f in POSITION_FIELDS}
        try:
            if position is None:
                position = registry.position_create(actor=request.user, data=data, request=request)
            else:
                registry.position_update(actor=request.user, position=position, data=data, request=request)
        except ServiceValidationError as exc:
            errors = exc.problems
        else:
            messages.success(request, _("Position saved."))
            return redirect("cadres:position_list")
    ctx = {"data": data, "errors": errors, "position": position, "can_edit": True, **choice_tables()}
    return render(request, "cadres/position_form.html", ctx, status=400 if errors else 200)


@login_required
def position_new(request):
    return _position_form(request)


@login_required
def position_edit(request, pk: int):
    selectors.require_edit(request.user)
    position = selectors.position_list(user=request.user).filter(pk=pk).first()
    if position is None:
        raise Http404
    return _position_form(request, position)
