"""Case report pages: the point-of-care intake form (works through a bad link: see static
surveillance/intake.js), the scoped list with overdue and duplicate marks, and one report with its versions.

Without JavaScript the form posts here and the service stores the card; with it, the browser keeps each card
in a local queue under its client_report_id and uploads it through the API whenever the link allows.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from countybridge.core import access
from countybridge.core.models import Organisation, Region, RegionLevel, Role
from countybridge.core.services.errors import FieldProblem, ServiceValidationError

from . import selectors_reports, services_reports
from .access_reports import can_submit_for, require_report_reader
from .deadlines import ROUTINE_HOURS, URGENT_HOURS
from .models import (
    AgeUnit,
    CaseClassification,
    Chronicity,
    Disease,
    DiseaseClassification,
    DiseaseKind,
    PatientOrigin,
    PopulationGroup,
)
from .reports_validation import LABELS


def _intake_catalogue(on: dt.date) -> list[dict]:
    """Diseases reportable today with what the page needs to pre-fill the card and show the deadline."""
    rows = (
        DiseaseClassification.objects.select_related("disease")
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on), valid_from__lte=on, disease__is_active=True)
        .order_by("disease__sort_order")
    )
    out = []
    for c in rows:
        d = c.disease
        urgent = c.legal_class == "A" or c.managed_as_a or c.report_hours <= URGENT_HOURS
        out.append(
            {
                "code": d.code,
                "name": c.name_zh or d.name_zh,
                "name_en": d.name_en,
                "kind": d.kind,
                "class": c.legal_class,
                "managed_as_a": c.managed_as_a,
                "hours": URGENT_HOURS if urgent or d.kind == DiseaseKind.UNEXPLAINED else ROUTINE_HOURS,
                "a_subtypes": c.managed_as_a_subtypes or [],
                "subtypes": d.subtypes,
                "chronic": d.chronic_applicable,
            }
        )
    return out


def _organisations(user):
    if access.role_of(user) == Role.INSTITUTION_STAFF:
        return Organisation.objects.filter(pk=user.organisation_id)
    kinds = Organisation.objects.filter(kind__in=("hospital", "primary_care"))
    return access.scope_queryset(kinds, user).order_by("region__code", "name")[:500]


@login_required
def report_new(request):
    """The intake card. GET shows it; POST (the no-JavaScript path) stores it through the service."""
    require_report_reader(request.user)
    user = request.user
    errors: list[FieldProblem] = []
    form = {}
    status = 200
    if request.method == "POST":
        form = {k: v for k, v in request.POST.items() if k in LABELS or k == "organisation_id"}
        form.setdefault("client_report_id", str(uuid.uuid4()))
        data = {k: v for k, v in form.items() if v != ""}
        data["outbreak_related"] = request.POST.get("outbreak_related") == "on"
        try:
            report, created = services_reports.case_report_submit(actor=user, data=data, request=request)
        except ServiceValidationError as exc:
            errors, status = exc.problems, 422
        except services_reports.ReportConflict as exc:
            errors, status = [FieldProblem("client_report_id", "", exc.message_zh, exc.message_en)], 409
        else:
            if created:
                messages.success(request, _("Report stored."))
            else:
                messages.info(request, _("This report had already been stored."))
            return redirect("surveillance_reports:detail", pk=report.pk)
    today = timezone.localdate()
    context = {
        "errors": errors,
        "form": form,
        "catalogue": _intake_catalogue(today),
        "organisations": _organisations(user) if access.role_of(user) != Role.INSTITUTION_STAFF else None,
        "townships": Region.objects.filter(
            level=RegionLevel.TOWNSHIP, parent_id=getattr(user.organisation, "region_id", None)
        ).order_by("code")
        if user.organisation_id
        else Region.objects.none(),
        "client_report_id": form.get("client_report_id") or str(uuid.uuid4()),
        "now": timezone.localtime().strftime("%Y-%m-%dT%H:00"),
        "today": today.isoformat(),
        "classifications": CaseClassification.choices,
        "chronicities": [c for c in Chronicity.choices if c[0]],
        "origins": PatientOrigin.choices,
        "groups": PopulationGroup.choices,
        "age_units": AgeUnit.choices,
        "api_url": "/api/surveillance/reports",
        "queue_key": f"cb.surveillance.queue.{user.get_username()}",
        "i18n": {
            "queued": _("Saved on this device; waiting to upload"),
            "sending": _("Uploading…"),
            "sent": _("Uploaded"),
            "rejected": _("Refused by the server: correct and record again"),
            "waiting_login": _("Sign in again to upload"),
            "offline": _("Offline: reports are kept on this device and uploaded when the link returns"),
            "online": _("Online"),
            "due": _("Report due by"),
            "hours": _("hours"),
            "overdue": _("Overdue"),
            "managed_as_a": _("managed as class A"),
            "class": _("class"),
            "pending": _("waiting"),
            "discard": _("Discard"),
            "edit": _("Edit"),
            "retry": _("Retry now"),
        },
    }
    return render(request, "surveillance/report_form.html", context, status=status)


SERVICE_WORKER = Path(__file__).parent / "static" / "surveillance" / "intake-sw.js"


def intake_service_worker(request):
    """The intake page's service worker, served under /surveillance/reports/ so that it may keep that page."""
    response = HttpResponse(SERVICE_WORKER.read_text(encoding="utf-8"), content_type="application/javascript")
    response["Cache-Control"] = "no-cache"
    return response


@login_required
def report_list(request):
    require_report_reader(request.user)
    get = request.GET
    late = {"1": True, "0": False}.get(get.get("late", ""))
    duplicates = {"1": True, "0": False}.get(get.get("duplicates", ""))
    rows = selectors_reports.report_list(
        user=request.user,
        disease=get.get("disease") or None,
        region_code=get.get("county") or None,
        status=get.get("status") or None,
        late=late,
        duplicates=duplicates,
    )
    page = Paginator(rows, 50).get_page(get.get("page"))
    selectors_reports.audit_list_read(
        user=request.user, request=request, shown=len(page.object_list), filters=get.dict(), purpose="page"
    )
    context = {
        "page": page,
        "diseases": Disease.objects.filter(case_reports__isnull=False).distinct().order_by("sort_order")
        if access.role_of(request.user) != Role.INSTITUTION_STAFF
        else Disease.objects.filter(is_active=True).order_by("sort_order"),
        "counties": Region.objects.filter(is_county_city=True, successor__isnull=True).order_by("code"),
        "filters": get,
        "now": timezone.now(),
        "can_report": access.role_of(request.user)
        in (Role.INSTITUTION_STAFF, Role.COUNTY_OFFICER, Role.CITY_ADMIN)
        or request.user.domain == "cdc",
        "new_url": reverse("surveillance_reports:new"),
    }
    return render(request, "surveillance/report_list.html", context)


CORRECTABLE = (
    "case_classification",
    "disease",
    "disease_subtype",
    "onset_date",
    "diagnosed_at",
    "death_date",
)


@login_required
def report_detail(request, pk: int):
    """One report with its versions; its institution (and officers in scope) correct or withdraw it here."""
    report = selectors_reports.report_get(user=request.user, pk=pk, request=request, purpose="page")
    errors: list[FieldProblem] = []
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        reason = request.POST.get("reason", "")
        try:
            if action == "withdraw":
                services_reports.case_report_withdraw(
                    actor=request.user, report=report, reason=reason, request=request
                )
                messages.success(request, _("Report withdrawn."))
            else:
                changes = {k: request.POST[k] for k in CORRECTABLE if request.POST.get(k, "") != ""}
                expected = request.POST.get("expected_version", "")
                services_reports.case_report_correct(
                    actor=request.user,
                    report=report,
                    changes=changes,
                    reason=reason,
                    expected_version=int(expected) if expected.isdigit() else None,
                    request=request,
                )
                messages.success(request, _("Correction stored as a new version."))
            return redirect("surveillance_reports:detail", pk=report.pk)
        except ServiceValidationError as exc:
            errors, status = exc.problems, 422
        except services_reports.ReportConflict as exc:
            errors, status = [FieldProblem("version", "", exc.message_zh, exc.message_en, exc.code)], 409
        report.refresh_from_db()
    can_write = report.status == report.Status.ACTIVE and can_submit_for(request.user, report.organisation)
    return render(
        request,
        "surveillance/report_detail.html",
        {
            "report": report,
            "versions": selectors_reports.report_versions(report),
            "errors": errors,
            "can_write": can_write,
            "classifications": CaseClassification.choices,
            "diseases": Disease.objects.filter(is_active=True).order_by("sort_order"),
        },
        status=status,
    )
