"""Cadre pages: cadres (audited detail), positions, exchange plans (run, edit with re-check, approve),
rule settings and recruitment quotas. Reads through selectors (scope and refusal), writes through services;
errors are shown in Chinese and English."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from countybridge.core import jobs
from countybridge.core.models import Region, RegionLevel
from countybridge.core.services.errors import ServiceValidationError

from . import selectors, services
from .models import QuotaKind
from .planning.rules import RULE_CODES
from .views_registry import choice_tables


def _ctx(request, region=None, **extra) -> dict:
    return {"can_edit": selectors.can_edit_cadres(request.user, region), **extra}


@login_required
def index(request):
    qs = selectors.cadre_list(user=request.user)
    query = (request.GET.get("q") or "").strip()
    if query:
        qs = qs.filter(name__icontains=query) | qs.filter(code__icontains=query)
    page = Paginator(qs.order_by("region__code", "code"), 50).get_page(request.GET.get("page"))
    return render(request, "cadres/index.html", _ctx(request, page=page, q=query))


@login_required
def cadre_detail(request, pk: int):
    cadre = selectors.cadre_get(user=request.user, pk=pk, request=request)
    return render(
        request, "cadres/cadre_detail.html", _ctx(request, cadre=cadre, errors=[], **choice_tables())
    )


@login_required
@require_POST
def training_add(request, pk: int):
    selectors.require_edit(request.user)
    cadre = selectors.cadre_list(user=request.user).filter(pk=pk).first()
    if cadre is None:
        raise Http404
    try:
        services.training_add(actor=request.user, cadre=cadre, title=request.POST.get("title", ""),
                              year=request.POST.get("year", ""), hours=request.POST.get("hours", ""),
                              request=request)  # fmt: skip
    except ServiceValidationError as exc:
        cadre = selectors.cadre_get(user=request.user, pk=pk, request=request)
        return render(
            request,
            "cadres/cadre_detail.html",
            _ctx(request, cadre=cadre, errors=exc.problems, **choice_tables()),
            status=400,
        )
    messages.success(request, _("Training record added."))
    return redirect("cadres:cadre_detail", pk=pk)


@login_required
def position_list(request):
    qs = selectors.position_list(user=request.user).order_by("region__code", "code")
    if request.GET.get("open") == "1":
        qs = qs.filter(is_open=True)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "cadres/position_list.html", _ctx(request, page=page))


@login_required
def plan_list(request):
    plans = selectors.plan_list(user=request.user)[:50]
    region = selectors.own_county(request.user)
    return render(
        request, "cadres/plan_list.html", _ctx(request, region, plans=plans, errors=[], county=region)
    )


@login_required
@require_POST
def plan_start(request):
    selectors.require_read(request.user)
    try:
        region = selectors.round_county(request.user, request.POST.get("county"))
        selectors.require_edit(request.user, region)
        params = {"time_limit": request.POST.get("time_limit", ""), "as_of": request.POST.get("as_of", ""),
                  "county": region.code if region else ""}  # fmt: skip
        run = jobs.job_start(actor=request.user, kind="cadres.plan", params=params, request=request)
    except ServiceValidationError as exc:
        plans = selectors.plan_list(user=request.user)[:50]
        region = selectors.own_county(request.user)
        return render(request, "cadres/plan_list.html",
                      _ctx(request, region, plans=plans, errors=exc.problems, county=region), status=400)  # fmt: skip
    messages.success(request, _("The plan is being computed; it appears in the list when done."))
    return redirect("core:job_detail", pk=run.pk)


def _plan_context(request, plan, errors=(), posted=None) -> dict:
    visible = selectors.visible_cadre_codes(user=request.user)
    must = [m for m in plan.must_move if not m["moved"] and (visible is None or m["cadre_id"] in visible)]
    return _ctx(
        request,
        plan.region,
        plan=plan,
        moves=selectors.plan_moves(user=request.user, plan=plan),
        unplaced=must,
        errors=list(errors),
        posted=posted or {},
        editable=selectors.can_edit_cadres(request.user, plan.region) and plan.status == "proposed",
    )


@login_required
def plan_detail(request, pk: int):
    plan = selectors.plan_get(user=request.user, pk=pk)
    return render(request, "cadres/plan_detail.html", _plan_context(request, plan))


@login_required
@require_POST
def plan_edit(request, pk: int):
    plan = selectors.plan_get(user=request.user, pk=pk)
    selectors.require_edit(request.user, plan.region)
    post = request.POST
    add = (post.get("cadre", ""), post.get("position", "")) if post.get("action") == "add" else None
    remove = post.get("remove") or None
    if add is None and remove is None:
        add = ("", "")
    try:
        services.plan_edit(actor=request.user, plan=plan, add=add, remove=remove,
                           override_reason=post.get("override_reason", ""), request=request)  # fmt: skip
    except ServiceValidationError as exc:
        return render(request, "cadres/plan_detail.html",
                      _plan_context(request, plan, exc.problems, post), status=400)  # fmt: skip
    messages.success(request, _("The plan was re-checked and saved."))
    return redirect("cadres:plan_detail", pk=pk)


@login_required
@require_POST
def plan_approve(request, pk: int):
    plan = selectors.plan_get(user=request.user, pk=pk)
    selectors.require_edit(request.user, plan.region)
    try:
        services.plan_approve(actor=request.user, plan=plan, request=request)
    except ServiceValidationError as exc:
        return render(
            request, "cadres/plan_detail.html", _plan_context(request, plan, exc.problems), status=400
        )
    messages.success(request, _("Plan approved: careers were updated."))
    return redirect("cadres:plan_detail", pk=pk)


def _rules_context(request, region, errors=()) -> dict:
    city = services.ruleset_ensure(actor=None)
    version = selectors.ruleset_in_force(region) or city
    rules = [
        dict(r, title_zh=RULE_CODES[r["code"]][0], title_en=RULE_CODES[r["code"]][1]) for r in version.rules
    ]
    values = {
        f"{c}.{p}": r["params"][p]
        for c, p in services.LOCAL_SETTINGS
        for r in version.rules
        if r["code"] == c
    }
    counties = Region.objects.filter(is_county_city=True, valid_to__isnull=True).order_by("code")
    return _ctx(request, region, version=version, rules=rules, settings=values, errors=list(errors),
                county=region, inherited=region is not None and version.region_id is None,
                counties=counties)  # fmt: skip


@login_required
def rules(request):
    """The city-wide rule set, or with ?county= a county's own (inherited from the city until it saves one)."""
    selectors.require_read(request.user)
    try:
        region = selectors.round_county(
            request.user, (request.POST if request.method == "POST" else request.GET).get("county")
        )
    except ServiceValidationError as exc:
        return render(request, "cadres/rules.html", _rules_context(request, None, exc.problems), status=400)
    if request.method != "POST":
        return render(request, "cadres/rules.html", _rules_context(request, region))
    selectors.require_edit(request.user, region)
    changed: dict[str, dict] = {}
    problems = []
    for code, param in services.LOCAL_SETTINGS:
        raw = (request.POST.get(f"{code}.{param}") or "").strip()
        try:
            value = float(raw) if param == "years" else int(raw)
        except ValueError:
            problems.append(
                services.FieldProblem(
                    f"{code}.{param}",
                    raw,
                    f"{code}.{param} 应为数字",
                    f"{code}.{param} must be a number",
                    "type",
                )  # fmt: skip
            )
            continue
        changed.setdefault(code, {})[param] = value
    try:
        if problems:
            raise ServiceValidationError(problems)
        services.ruleset_update(actor=request.user, settings=changed, note=request.POST.get("note", ""),
                                region=region, request=request)  # fmt: skip
    except ServiceValidationError as exc:
        return render(request, "cadres/rules.html", _rules_context(request, region, exc.problems), status=400)
    messages.success(request, _("A new rule set version was saved."))
    return redirect(reverse("cadres:rules") + (f"?county={region.code}" if region else ""))


@login_required
def quotas(request):
    qs = selectors.quota_list(user=request.user)
    errors = []
    if request.method == "POST":
        selectors.require_edit(request.user)
        region = Region.objects.filter(code=request.POST.get("region", ""), level=RegionLevel.COUNTY).first()
        try:
            if region is None:
                raise ServiceValidationError([services.FieldProblem("region", request.POST.get("region", ""),
                                              "区(市)县无效", "Unknown county", "invalid")])  # fmt: skip
            services.quota_set(actor=request.user, region=region, year=request.POST.get("year"),
                               kind=request.POST.get("kind", ""), planned=request.POST.get("planned"),
                               filled=request.POST.get("filled") or 0, request=request)  # fmt: skip
        except ServiceValidationError as exc:
            errors = exc.problems
        else:
            messages.success(request, _("Quota saved."))
            return redirect("cadres:quotas")
    counties = Region.objects.filter(level=RegionLevel.COUNTY, valid_to__isnull=True).order_by("code")
    return render(request, "cadres/quotas.html",
                  _ctx(request, quotas=qs, errors=errors, counties=counties, kinds=QuotaKind.choices),
                  status=400 if errors else 200)  # fmt: skip
