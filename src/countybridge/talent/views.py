"""Talent pages: registry, certification (decision explained, officer review), rule-set editor, positions with
matching, applications. Views only call selectors and services; refusals are 403, out-of-scope rows 404."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from countybridge.core import access
from countybridge.core.models import Region, Role
from countybridge.core.services.errors import ServiceValidationError

from . import match, selectors, services, services_alliance, services_recruitment
from . import models as m

READERS = access.REGISTRY_ROLES | {Role.PUBLIC}


def reader(request):
    if access.role_of(request.user) not in READERS:
        raise PermissionDenied("talent pages are not for this role")
    return request.user


def officer(request):
    if access.role_of(request.user) not in (Role.CITY_ADMIN, Role.COUNTY_OFFICER):
        raise PermissionDenied("officers only")
    return request.user


@login_required
def index(request):
    user = reader(request)
    counts = {
        "talents": selectors.scoped(m.TalentProfile, user).count(),
        "applications": selectors.scoped(m.CertificationApplication, user).count(),
        "review": selectors.scoped(m.CertificationApplication, user).filter(status="manual_review").count(),
        "positions": selectors.open_positions(user).count(),
        "job_applications": selectors.scoped(m.JobApplication, user).count(),
    }
    county = user.region.code if access.role_of(user) == Role.COUNTY_OFFICER else None
    context = {"counts": counts, "is_officer": access.can_see_registries(user), "ruleset_county": county}
    return render(request, "talent/index.html", context)


@login_required
def talent_list(request):
    user = reader(request)
    rows = selectors.scoped(m.TalentProfile, user).select_related("person", "region", "employer")[:200]
    return render(request, "talent/talent_list.html", {"talents": rows})


@login_required
def talent_detail(request, pk):
    user = reader(request)
    talent = selectors.get(m.TalentProfile, user, pk)
    _result, positions = match.rank_positions_for(talent, user, 10)
    return render(
        request,
        "talent/talent_detail.html",
        {
            "talent": talent,
            "certificates": talent.certificates.all(),
            "applications": selectors.scoped(m.CertificationApplication, user).filter(talent=talent),
            "positions": [(p, match.explanation_dict(mt)) for p, mt in positions],
        },
    )


def _json_field(request, name, default):
    raw = request.POST.get(name, "").strip()
    if not raw:
        return default
    try:
        return json.loads(raw)
    except ValueError:
        raise ServiceValidationError(
            [services.problem(name, raw, "不是有效的JSON", "Not valid JSON", "bad_json")]
        ) from None


@login_required
def certification_new(request, talent_pk):
    user = officer(request)
    talent = selectors.get(m.TalentProfile, user, talent_pk)
    errors = []
    if request.method == "POST":
        try:
            documents = [d.strip() for d in request.POST.get("documents", "").split(",") if d.strip()]
            app = services.certification_submit(
                actor=user,
                talent=talent,
                evidence=_json_field(request, "evidence", {}),
                documents=documents,
                claimed_item=request.POST.get("claimed_item", "").strip(),
                request=request,
            )
            return redirect("talent:certification_detail", app.pk)
        except ServiceValidationError as exc:
            errors = exc.problems
    return render(
        request, "talent/certification_form.html", {"talent": talent, "errors": errors, "form": request.POST}
    )


@login_required
def certification_detail(request, pk):
    user = reader(request)
    app = selectors.get(m.CertificationApplication, user, pk)
    errors = []
    if request.method == "POST":
        officer(request)
        action = request.POST.get("action")
        try:
            if action == "evaluate":
                services.certification_evaluate(actor=user, application=app, request=request)
            elif action in ("approve", "reject"):
                services.certification_decide(
                    actor=user,
                    application=app,
                    approve=action == "approve",
                    cls=request.POST.get("cls", ""),
                    note=request.POST.get("note", ""),
                    request=request,
                )
            elif action == "revoke":
                services.certificate_revoke(
                    actor=user,
                    certificate=app.certificate,
                    reason=request.POST.get("reason", ""),
                    request=request,
                )
            return redirect("talent:certification_detail", app.pk)
        except ServiceValidationError as exc:
            errors = exc.problems
        app.refresh_from_db()
    return render(
        request,
        "talent/certification_detail.html",
        {
            "app": app,
            "d": app.decision,
            "certificate": getattr(app, "certificate", None) if app.pk else None,
            "errors": errors,
            "can_act": access.role_of(user) in (Role.CITY_ADMIN, Role.COUNTY_OFFICER),
            "classes": "ABCDEF",
        },
    )


@login_required
def certification_list(request):
    user = reader(request)
    rows = selectors.scoped(m.CertificationApplication, user).select_related("talent__person", "region")
    status = request.GET.get("status")
    if status in m.CertificationApplication.Status.values:
        rows = rows.filter(status=status)
    return render(request, "talent/certification_list.html", {"apps": rows[:200]})


@login_required
def ruleset_edit(request, county):
    user = officer(request)
    region = Region.objects.filter(code=county).first()
    if region is None or (access.role_of(user) == Role.COUNTY_OFFICER and user.region_id != region.pk):
        raise PermissionDenied("another county's rule set")
    row, data = services.active_ruleset(region)
    errors, text, saved = [], json.dumps(data or {}, ensure_ascii=False, indent=2), None
    if request.method == "POST":
        text = request.POST.get("data", "")
        try:
            saved = services.ruleset_save(
                actor=user, region=region, data=_json_field(request, "data", None), request=request
            )
            row = saved
        except ServiceValidationError as exc:
            errors = exc.problems
    versions = m.RuleSet.objects.filter(region=region)
    return render(
        request,
        "talent/ruleset_form.html",
        {"region": region, "row": row, "text": text, "errors": errors, "saved": saved, "versions": versions},
    )


@login_required
def position_list(request):
    user = reader(request)
    return render(request, "talent/position_list.html", {"positions": selectors.open_positions(user)[:200]})


@login_required
def position_detail(request, pk):
    user = reader(request)
    position = selectors.open_positions(user).filter(pk=pk).first()
    if position is None:
        from django.http import Http404

        raise Http404
    errors, candidates, result = [], [], None
    if request.method == "POST":
        try:
            services_recruitment.job_apply(actor=user, position=position, request=request)
            return redirect("talent:application_list")
        except ServiceValidationError as exc:
            errors = exc.problems
    if access.can_see_registries(user):
        result, rows = match.rank_talents_for(position, user, _k(request))
        candidates = [(t, match.explanation_dict(mt)) for t, mt in rows]
    return render(
        request,
        "talent/position_detail.html",
        {
            "position": position,
            "candidates": candidates,
            "result": result,
            "errors": errors,
            "is_public": access.role_of(user) == Role.PUBLIC,
        },
    )


def _k(request) -> int:
    try:
        return max(1, min(100, int(request.GET.get("k", 10))))
    except ValueError:
        return 10


@login_required
def application_list(request):
    user = reader(request)
    errors = []
    if request.method == "POST":
        app = selectors.get(m.JobApplication, user, request.POST.get("application") or 0)
        try:
            services_recruitment.job_application_set_status(
                actor=user, application=app, status=request.POST.get("status", ""), request=request
            )
            return redirect("talent:application_list")
        except ServiceValidationError as exc:
            errors = exc.problems
    rows = selectors.scoped(m.JobApplication, user).select_related("position", "talent__person")[:200]
    return render(
        request,
        "talent/application_list.html",
        {
            "applications": rows,
            "errors": errors,
            "statuses": m.JobApplication.Status.choices,
            "can_set": access.can_see_registries(user),
        },
    )


@login_required
def benefit_list(request):
    user = reader(request)
    if access.role_of(user) == Role.PUBLIC:
        raise PermissionDenied("officers only")
    errors, form = [], {}
    can_edit = access.role_of(user) in (Role.CITY_ADMIN, Role.DEPARTMENT_OFFICER)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("city-wide writers only")
        form = request.POST
        data = {k: form.get(k, "").strip() for k in ("cls", "kind", "terms", "source_doc", "valid_from")}
        data["valid_to"] = form.get("valid_to") or None
        data["amount"] = form.get("amount") or None
        try:
            services_alliance.benefit_save(actor=user, data=data, request=request)
            return redirect("talent:benefit_list")
        except ServiceValidationError as exc:
            errors = exc.problems
    return render(
        request,
        "talent/benefit_list.html",
        {"benefits": selectors.benefits(user), "errors": errors, "form": form, "can_edit": can_edit},
    )
