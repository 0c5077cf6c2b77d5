"""Pages to create and edit talent profiles (the person is registered through core services) and to allocate
municipal programme places (city administrators, HR or organisation department officers)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone

from countybridge.core import access
from countybridge.core.models import Organisation, Region, Role
from countybridge.core.services.errors import FieldProblem, ServiceValidationError
from countybridge.core.services.people import validate_person

from . import models as m
from . import selectors, services_profiles, services_recruitment
from .services import validate_profile

PROFILE_WRITERS = (Role.CITY_ADMIN, Role.COUNTY_OFFICER, Role.INSTITUTION_STAFF)
QUOTA_DOMAINS = ("hr", "organisation")


def _writer(request):
    if access.role_of(request.user) not in PROFILE_WRITERS:
        raise PermissionDenied("talent profiles are written by officers and institution staff")
    return request.user


def _employers(user):
    kinds = Organisation.objects.filter(kind__in=("employer", "park"))
    return access.scope_queryset(kinds, user).order_by("region__code", "name")[:500]


def _int(raw, field, problems):
    try:
        return int(str(raw).strip())
    except ValueError:
        problems.append(FieldProblem(field, str(raw)[:50], "应为整数", "Expected a whole number", "invalid"))
        return raw


def _profile_data(request, user, problems) -> dict:
    post = request.POST
    employer = None
    if access.role_of(user) == Role.INSTITUTION_STAFF:
        employer = user.organisation
    elif post.get("employer"):
        raw = str(post["employer"]).strip()
        employer = _employers(user).filter(pk=int(raw)).first() if raw.isdigit() else None
        if employer is None:
            problems.append(
                FieldProblem(
                    "employer", raw[:50], "单位不在您的范围内", "Employer outside your scope", "scope"
                )
            )
    return {
        "employer": employer,
        "degree": post.get("degree", ""),
        "title": post.get("title", ""),
        "major": post.get("major", ""),
        "field": post.get("field", ""),
        "years_experience": _int(post.get("years_experience") or 0, "years_experience", problems),
        "skills_text": post.get("skills_text", ""),
    }


def _initial(talent) -> dict:
    if talent is None:
        return {}
    fields = ("degree", "title", "major", "field", "years_experience", "skills_text")
    return {f: getattr(talent, f) for f in fields} | {"employer": str(talent.employer_id or "")}


def _form(request, user, talent, errors):
    return render(
        request,
        "talent/talent_form.html",
        {
            "talent": talent,
            "errors": errors,
            "form": request.POST if request.method == "POST" else _initial(talent),
            "employers": [] if access.role_of(user) == Role.INSTITUTION_STAFF else _employers(user),
            "counties": Region.objects.filter(level="county").order_by("code"),
            "fixed_county": user.region if access.role_of(user) == Role.COUNTY_OFFICER else None,
            "degrees": m.DEGREES,
            "titles": m.TITLES,
        },
    )


@login_required
def talent_new(request):
    user = _writer(request)
    errors = []
    if request.method == "POST":
        problems: list = []
        data = _profile_data(request, user, problems)
        code = user.region.code if access.role_of(user) == Role.COUNTY_OFFICER else request.POST.get("county")
        person_data = {
            "name": request.POST.get("name", ""),
            "id_type": "resident_id",
            "id_number": request.POST.get("id_number", ""),
            "region": Region.objects.filter(code=code or "", level="county").first(),
        }
        try:
            if problems:  # report every bad field at once, not only the unreadable numbers
                person_problems, _ = validate_person(dict(person_data))
                found = problems + person_problems + validate_profile(data)[0]
                raise ServiceValidationError(list({p.field: p for p in reversed(found)}.values())[::-1])
            talent = services_profiles.talent_register(
                actor=user, person_data=person_data, data=data, request=request
            )
            return redirect("talent:talent_detail", talent.pk)
        except ServiceValidationError as exc:
            errors = exc.problems
    return _form(request, user, None, errors)


@login_required
def talent_edit(request, pk):
    user = _writer(request)
    talent = selectors.get(m.TalentProfile, user, pk)
    errors = []
    if request.method == "POST":
        problems: list = []
        data = _profile_data(request, user, problems)
        try:
            if problems:
                raise ServiceValidationError(problems)
            services_profiles.talent_update(actor=user, talent=talent, data=data, request=request)
            return redirect("talent:talent_detail", talent.pk)
        except ServiceValidationError as exc:
            errors = exc.problems
    return _form(request, user, talent, errors)


def can_allocate(user) -> bool:
    role = access.role_of(user)
    return role == Role.CITY_ADMIN or (role == Role.DEPARTMENT_OFFICER and user.domain in QUOTA_DOMAINS)


@login_required
def quota_allocate(request):
    if not can_allocate(request.user):
        raise PermissionDenied("city administrators and the HR or organisation department allocate places")
    employers = (
        Organisation.objects.filter(kind="employer")
        .select_related("region")
        .annotate(open_positions=Count("talent_positions", filter=Q(talent_positions__is_open=True)))
        .order_by("region__code", "name")[:500]
    )
    errors, result = [], None
    if request.method == "POST":
        problems: list = []
        post = request.POST
        year = _int(post.get("year") or timezone.localdate().year, "year", problems)
        places = _int(post.get("places") or 0, "places", problems)
        floor = _int(post.get("floor") or 0, "floor", problems)
        requests = []
        for org in employers:
            raw = post.get(f"req_{org.pk}", "").strip()
            if raw in ("", "0"):
                continue
            n = _int(raw, f"req_{org.pk}", problems)
            requests.append({"employer_id": str(org.pk), "county": org.region.code, "requested": n})
        try:
            if problems:
                raise ServiceValidationError(problems)
            result, _rows = services_recruitment.quota_allocate(
                actor=request.user,
                programme=post.get("programme", ""),
                year=year,
                places=places,
                floor=floor,
                requests=requests,
                request=request,
            )
            return redirect("talent:quota_list")
        except ServiceValidationError as exc:
            errors = exc.problems
    return render(
        request,
        "talent/quota_allocate.html",
        {"employers": employers, "errors": errors, "form": request.POST, "result": result},
    )
