"""The disease catalogue page: the lists as they stood on any date (class, 甲类 management, report hours,
source document) and, for the city administrator and CDC officers, each disease's detection settings."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from countybridge.core.services.errors import FieldProblem, ServiceValidationError

from . import selectors_catalogue, services_catalogue
from .access_reports import require_report_reader
from .models import DetectionMethod, Disease


@login_required
def catalogue(request):
    require_report_reader(request.user)
    errors: list[FieldProblem] = []
    status = 200
    editor = services_catalogue.can_edit_catalogue(request.user)
    if request.method == "POST":
        services_catalogue.require_catalogue_editor(request.user)
        disease = Disease.objects.filter(code=request.POST.get("disease", "")).first()
        raw = request.POST.get("detection_params", "").strip() or "{}"
        try:
            params = json.loads(raw)
        except json.JSONDecodeError:
            errors = [
                FieldProblem(
                    "detection_params", raw[:80], "参数不是有效的 JSON", "Parameters are not valid JSON"
                )
            ]
        if disease is None:
            errors.append(
                FieldProblem("disease", request.POST.get("disease", ""), "未知的疾病", "Unknown disease")
            )
        if not errors:
            try:
                services_catalogue.disease_update(
                    actor=request.user,
                    disease=disease,
                    data={
                        "detection_method": request.POST.get("detection_method", ""),
                        "detection_params": params,
                    },
                    request=request,
                )
                messages.success(request, _("Detection settings saved."))
                return redirect(request.get_full_path())
            except ServiceValidationError as exc:
                errors = exc.problems
        status = 422
    try:
        on = (
            dt.date.fromisoformat(request.GET.get("on", ""))
            if request.GET.get("on")
            else timezone.localdate()
        )
    except ValueError:
        on = timezone.localdate()
        errors.append(
            FieldProblem(
                "on", request.GET["on"][:20], "日期无效,应为 YYYY-MM-DD", "Invalid date; use YYYY-MM-DD"
            )
        )
    rows = []
    for disease in selectors_catalogue.diseases_reportable_on(on).order_by("sort_order", "code"):
        rows.append((disease, selectors_catalogue.classification_on(disease, on)))
    context = {
        "on": on,
        "rows": rows,
        "counts": selectors_catalogue.statutory_counts_on(on),
        "editor": editor,
        "methods": DetectionMethod.choices,
        "errors": errors,
    }
    return render(request, "surveillance/catalogue.html", context, status=status)
