"""Signal pages: the Chengdu map of current signals with the list, one signal with its history and the
conclusion / response / escalation forms, the epidemic curve of a disease in a county with its threshold
band, and the per-disease / per-county tables with time-to-verification figures. Reads through
selectors_signals (scope and refusal), writes through services_signals; errors in Chinese and English."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from countybridge.core.services.errors import FieldProblem, ServiceValidationError

from . import selectors_signals as selectors
from . import services_signals as services
from . import services_spatial
from .models import Disease, SignalLevel, SignalStatus


def _ctx(request, **extra) -> dict:
    return {
        "can_act": selectors.can_act_on_signals(request.user),
        "can_run": selectors.can_run_detection(request.user),
        "statuses": SignalStatus.choices,
        "levels": SignalLevel.choices,
        **extra,
    }


def _map_payload(rows: list[dict]) -> dict:
    english = (get_language() or "").startswith("en")
    return {
        "regions": [
            {
                "name": r["map_name"],
                "value": r["open"],
                "display": r["name_en"] if english and r["name_en"] else r["name_zh"],
                "code": r["code"],
                "escalated": r["escalated"],
                "recent": r["recent"],
            }
            for r in rows
        ],
        "max": max([r["open"] for r in rows] or [0]) or 1,
        "labels": {
            "title": _("Open signals (awaiting verification)"),
            "open": _("Open"),
            "escalated": _("Escalated to the city CDC"),
            "recent": _("Signals, last 30 days"),
            "high": _("more"),
            "low": _("none"),
        },
    }


@login_required
def signal_index(request):
    filters = {k: (request.GET.get(k) or "").strip() for k in ("status", "disease", "region", "level")}
    qs = selectors.signal_list(user=request.user, **filters)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    map_rows = selectors.county_signal_map(user=request.user)
    return render(
        request,
        "surveillance/signals/index.html",
        _ctx(
            request,
            page=page,
            filters=filters,
            map_rows=map_rows,
            map_payload=_map_payload(map_rows),
            figures=selectors.verification_summary(user=request.user),
            counties=selectors.visible_counties(user=request.user),
            diseases=selectors.detection_diseases(),
        ),
    )


def _detail(request, signal, *, errors=(), status: int = 200):
    return render(
        request,
        "surveillance/signals/detail.html",
        _ctx(
            request,
            signal=signal,
            events=selectors.signal_events(signal),
            errors=list(errors),
            can_scan=services_spatial.is_mpm(signal),
        ),
        status=status,
    )


@login_required
def signal_detail(request, pk: int):
    return _detail(request, selectors.signal_get(user=request.user, pk=pk))


def _act(request, pk: int, action, done_message: str):
    selectors.require_act(request.user)
    signal = selectors.signal_get(user=request.user, pk=pk)
    try:
        action(signal)
    except ServiceValidationError as exc:
        return _detail(
            request, selectors.signal_get(user=request.user, pk=pk), errors=exc.problems, status=400
        )
    messages.success(request, done_message)
    return redirect("surveillance_signals:detail", pk=pk)


@login_required
@require_POST
def signal_conclude(request, pk: int):
    return _act(
        request,
        pk,
        lambda s: services.signal_conclude(
            actor=request.user,
            signal=s,
            conclusion=request.POST.get("conclusion", ""),
            note=request.POST.get("note", ""),
            request=request,
        ),  # fmt: skip
        _("Conclusion saved."),
    )


@login_required
@require_POST
def signal_response(request, pk: int):
    def record(signal):
        fields = {
            k: request.POST[k] for k in ("investigation", "measures") if request.POST.get(k, "").strip()
        }
        return services.signal_record_response(actor=request.user, signal=signal, request=request, **fields)

    return _act(request, pk, record, _("Investigation and measures saved."))


@login_required
@require_POST
def signal_escalate(request, pk: int):
    return _act(
        request,
        pk,
        lambda s: services.signal_escalate(
            actor=request.user, signal=s, reason=request.POST.get("reason", ""), request=request
        ),  # fmt: skip
        _("Escalated to the city CDC."),
    )


@login_required
@require_POST
def signal_spatial_scan(request, pk: int):
    return _act(
        request,
        pk,
        lambda s: services_spatial.signal_spatial_scan(
            actor=request.user, signal=s, rescan=request.POST.get("rescan") == "1", request=request
        ),  # fmt: skip
        _("Space-time scan done."),
    )


def _curve_input(request) -> tuple[Disease | None, str, str, dt.date, list[FieldProblem]]:
    problems = []
    code = (request.GET.get("disease") or "").strip()
    disease = selectors.detection_diseases().filter(code=code).first() if code else None
    if code and disease is None:
        problems.append(FieldProblem("disease", code, "未知的病种代码", "Unknown disease code", "unknown"))
    frequency = request.GET.get("frequency") or "week"
    if frequency not in ("day", "week"):
        problems.append(
            FieldProblem("frequency", frequency, "频率应为 day 或 week", "Frequency must be day or week")
        )
        frequency = "week"
    end = timezone.localdate()
    if request.GET.get("end"):
        try:
            end = dt.date.fromisoformat(request.GET["end"])
        except ValueError:
            problems.append(FieldProblem("end", request.GET["end"], "日期格式应为 YYYY-MM-DD",
                                         "The date must be YYYY-MM-DD"))  # fmt: skip
    return disease, (request.GET.get("region") or "").strip(), frequency, end, problems


@login_required
def epidemic_curve(request):
    selectors.require_read(request.user)
    counties = selectors.visible_counties(user=request.user)
    disease, region_code, frequency, end, problems = _curve_input(request)
    region = selectors.county_get(user=request.user, code=region_code) if region_code else counties.first()
    curve = None
    if disease is not None and region is not None and not problems:
        periods = 120 if frequency == "day" else 104
        curve = selectors.epidemic_curve(user=request.user, disease=disease, region=region, end=end,
                                         frequency=frequency, periods=periods)  # fmt: skip
        curve["labels"] = {"cases": _("Cases"), "observed": _("Observed (7-day sum)"),
                           "threshold": _("Threshold"), "signal": _("Signal"),
                           "title": f"{disease.name_zh} · {region.name_zh}"}  # fmt: skip
    return render(
        request,
        "surveillance/signals/curve.html",
        _ctx(
            request,
            diseases=selectors.detection_diseases(),
            counties=counties,
            disease=disease,
            region=region,
            frequency=frequency,
            end=end,
            curve=curve,
            errors=problems,
        ),  # fmt: skip
        status=400 if problems else 200,
    )


@login_required
def signal_tables(request):
    selectors.require_read(request.user)
    try:
        days = max(1, min(3660, int(request.GET.get("days") or 365)))
    except ValueError:
        days = 365
    return render(
        request,
        "surveillance/signals/tables.html",
        _ctx(
            request,
            days=days,
            by_disease=selectors.signal_table(user=request.user, by="disease", days=days),
            by_county=selectors.signal_table(user=request.user, by="county", days=days),
            figures=selectors.verification_summary(user=request.user, days=days),
        ),
    )
