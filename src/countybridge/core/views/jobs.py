"""Job pages: the list with a start form per kind the user may run, a run's page whose progress
partial is polled by HTMX, and cancellation. Scope comes from jobs.selectors; writes from jobs.services."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import access, jobs, selectors
from ..models import JobRun, RegionLevel, Role
from ..services.errors import ServiceValidationError


def _job_user(request):
    jobs.require_job_access(request.user)
    return request.user


def _start_forms(user, posted: dict | None = None) -> tuple[list[dict], object]:
    """Each kind the user may start, with its parameters ready for the template."""
    counties = selectors.region_list(level=RegionLevel.COUNTY).order_by("-is_county_city", "code")
    if access.role_of(user) == Role.COUNTY_OFFICER:
        counties = counties.filter(pk=user.region_id)
    forms = []
    for kind in jobs.kinds_for(access.role_of(user)):
        values = (posted or {}).get(kind.name, {})
        fields = [
            {
                "param": p,
                "input_name": f"p_{p.name}",
                "value": values.get(p.name, p.default),
                "locked": p.type == "county" and access.role_of(user) == Role.COUNTY_OFFICER,
            }
            for p in kind.params
        ]
        forms.append({"kind": kind, "fields": fields})
    return forms, counties


def _list_context(request, user, *, errors=None, posted=None) -> dict:
    status = request.GET.get("status") or None
    if status not in JobRun.Status.values:
        status = None
    page = Paginator(jobs.job_list(user=user, status=status), 50).get_page(request.GET.get("page"))
    titles = {k.name: k.title for k in jobs.all_kinds()}
    for run in page:
        run.kind_title = titles.get(run.kind, run.kind)
    forms, counties = _start_forms(user, posted)
    return {
        "page": page,
        "statuses": JobRun.Status.choices,
        "status": status,
        "start_forms": forms,
        "counties": counties,
        "errors": errors or [],
    }


@login_required
@require_GET
def job_list(request):
    user = _job_user(request)
    return render(request, "core/job_list.html", _list_context(request, user))


@login_required
@require_POST
def job_start(request):
    user = _job_user(request)
    kind_name = request.POST.get("kind", "")
    kind = jobs.get_kind(kind_name)
    params: dict = {}
    if kind is not None:
        for p in kind.params:
            key = f"p_{p.name}"
            if p.type == "bool":
                # an unticked checkbox is absent from the form: that means "no", not "default"
                params[p.name] = "true" if request.POST.get(key) else "false"
            elif request.POST.get(key, "") != "":
                params[p.name] = request.POST[key]
    try:
        run = jobs.job_start(actor=user, kind=kind_name, params=params, request=request)
    except ServiceValidationError as exc:
        context = _list_context(request, user, errors=exc.problems, posted={kind_name: params})
        return render(request, "core/job_list.html", context, status=400)
    messages.success(request, _("The job was queued."))
    return redirect("core:job_detail", pk=run.pk)


def _job_context(run: JobRun) -> dict:
    result_json = json.dumps(run.result, ensure_ascii=False, indent=2) if run.result is not None else ""
    return {"job": run, "kind": jobs.get_kind(run.kind), "result_json": result_json}


@login_required
@require_GET
def job_detail(request, pk):
    user = _job_user(request)
    run = jobs.job_get(user=user, pk=pk)
    return render(request, "core/job_detail.html", _job_context(run))


@login_required
@require_GET
def job_progress(request, pk):
    """The part of the job page that HTMX refreshes every 2 s until the run has finished."""
    user = _job_user(request)
    run = jobs.job_get(user=user, pk=pk)
    return render(request, "core/job_progress.html", _job_context(run))


@login_required
@require_POST
def job_cancel(request, pk):
    user = _job_user(request)
    run = jobs.job_get(user=user, pk=pk)
    try:
        run = jobs.job_cancel(actor=user, job=run, request=request)
    except ServiceValidationError as exc:
        messages.error(request, str(exc))
    else:
        if run.status == JobRun.Status.CANCELLED:
            messages.success(request, _("The job was cancelled."))
        else:
            messages.success(request, _("Cancellation requested: the job stops at its next progress report."))
    return redirect("core:job_detail", pk=run.pk)
