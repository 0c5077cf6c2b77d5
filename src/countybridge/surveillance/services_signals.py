"""Writes of signals: the detection run that stores them, their conclusion, response and escalation, and
the automatic escalation of overdue ones. Each write is one transaction with its history event and audit
row; bad input raises ServiceValidationError in Chinese and English with nothing saved.

Verification deadline: `settings.SURVEILLANCE_VERIFY_HOURS` (default 24 h, the yardstick CIDARS reports
against: "responded within 24 h") with per-method overrides in `settings.SURVEILLANCE_VERIFY_HOURS_BY_METHOD`
(default: fixed-threshold signals 2 h, the clock of 甲类 reports in facts § 1.4). The facts file gives no
verification deadline of its own, so both are platform settings.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from countybridge.core import audit
from countybridge.core.models import AuditEvent, Region, RegionLevel
from countybridge.core.services.errors import FieldProblem, ServiceValidationError

from . import batch, response_stats
from .models import Signal, SignalEvent, SignalFrequency, SignalLevel, SignalStatus
from .selectors_signals import count_matrix, detection_diseases, require_act

DEFAULT_VERIFY_HOURS = 24.0
DEFAULT_VERIFY_HOURS_BY_METHOD = {"fixed": 2.0}
MAX_TEXT = 4000


def verify_hours(method: str) -> float:
    by_method = getattr(settings, "SURVEILLANCE_VERIFY_HOURS_BY_METHOD", DEFAULT_VERIFY_HOURS_BY_METHOD)
    return float(by_method.get(method, getattr(settings, "SURVEILLANCE_VERIFY_HOURS", DEFAULT_VERIFY_HOURS)))


def _invalid(field: str, value, zh: str, en: str, code: str = "invalid") -> ServiceValidationError:
    return ServiceValidationError([FieldProblem(field, str(value)[:100], zh, en, code)])


def _text(field: str, value, *, required: bool, label_zh: str, label_en: str) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        raise _invalid(field, value, f"{label_zh}应为文本", f"The {label_en} must be text")
    if required and not text:
        raise _invalid(field, value, f"请填写{label_zh}", f"The {label_en} is required", "required")
    if len(text) > MAX_TEXT:
        raise _invalid(field, text[:50], f"{label_zh}过长(最多{MAX_TEXT}字)",
                       f"The {label_en} is too long (at most {MAX_TEXT} characters)", "too_long")  # fmt: skip
    return text


def _locked(signal: Signal) -> Signal:
    return Signal.objects.select_for_update().get(pk=signal.pk)


def _check_scope(actor, signal: Signal) -> None:
    """Acting follows read scope: the selectors' scoped list must contain the signal."""
    from .selectors_signals import signal_list

    require_act(actor)
    if not signal_list(user=actor).filter(pk=signal.pk).exists():
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("this signal is outside your scope")


def _event(
    signal: Signal, actor, kind: str, *, before: tuple[str, str], note: str = "", at=None
) -> SignalEvent:
    return SignalEvent.objects.create(
        signal=signal,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind=kind,
        at=at or timezone.now(),
        from_status=before[0],
        to_status=signal.status,
        from_level=before[1],
        to_level=signal.level,
        note=note,
    )


# ---- conclusion, response, escalation ------------------------------------------------------------------

CONCLUSIONS = {
    SignalStatus.VERIFIED: SignalEvent.Kind.VERIFIED,
    SignalStatus.FALSE_ALARM: SignalEvent.Kind.FALSE_ALARM,
}


def signal_conclude(*, actor, signal: Signal, conclusion: str, note: str = "", request=None) -> Signal:
    """Mark a pending signal verified (a suspected event, 疑似事件) or a false alarm (排除)."""
    _check_scope(actor, signal)
    if conclusion not in CONCLUSIONS:
        raise _invalid("conclusion", conclusion, "核实结论应为 verified(疑似事件)或 false_alarm(排除)",
                       "The conclusion must be verified (suspected event) or false_alarm", "choice")  # fmt: skip
    note = _text("note", note, required=conclusion == SignalStatus.FALSE_ALARM,
                 label_zh="核实说明", label_en="verification note")  # fmt: skip
    with transaction.atomic():
        signal = _locked(signal)
        if signal.status != SignalStatus.PENDING:
            raise _invalid("conclusion", conclusion, f"该信号已有核实结论({signal.get_status_display()})",
                           f"This signal is already concluded ({signal.status})", "already_concluded")  # fmt: skip
        before = (signal.status, signal.level)
        now = timezone.now()
        signal.status = conclusion
        signal.verified_at = now
        signal.verified_by = actor
        signal.verification_note = note
        signal.save(update_fields=["status", "verified_at", "verified_by", "verification_note", "updated_at"])
        _event(signal, actor, CONCLUSIONS[conclusion], before=before, note=note, at=now)
        audit.record(actor=actor, action=AuditEvent.Action.UPDATE, obj=signal, request=request,
                     details={"signal": "conclude", "status": conclusion,
                              "hours": round(signal.hours_to_verify or 0.0, 3),
                              "within_deadline": now <= signal.deadline_at})  # fmt: skip
    return signal


def signal_record_response(
    *, actor, signal: Signal, investigation: str | None = None, measures: str | None = None, request=None
) -> Signal:
    """Record (replace) the field investigation and/or the response measures of a signal."""
    _check_scope(actor, signal)
    if investigation is None and measures is None:
        raise _invalid("investigation", "", "请填写现场调查或处置措施", "Give the field investigation or the measures",
                       "required")  # fmt: skip
    fields = {}
    if investigation is not None:
        fields["investigation"] = _text("investigation", investigation, required=True,
                                        label_zh="现场调查", label_en="field investigation")  # fmt: skip
    if measures is not None:
        fields["measures"] = _text("measures", measures, required=True,
                                   label_zh="处置措施", label_en="response measures")  # fmt: skip
    with transaction.atomic():
        signal = _locked(signal)
        if signal.status == SignalStatus.FALSE_ALARM:
            raise _invalid("status", signal.status, "已排除的信号不再记录调查与处置",
                           "A false alarm takes no investigation or measures", "false_alarm")  # fmt: skip
        before = (signal.status, signal.level)
        for name, value in fields.items():
            setattr(signal, name, value)
        signal.save(update_fields=[*fields, "updated_at"])
        for name, value in fields.items():
            kind = SignalEvent.Kind.INVESTIGATION if name == "investigation" else SignalEvent.Kind.MEASURES
            _event(signal, actor, kind, before=before, note=value)
        audit.record(actor=actor, action=AuditEvent.Action.UPDATE, obj=signal, request=request,
                     details={"signal": "response", "fields": sorted(fields)})  # fmt: skip
    return signal


def signal_escalate(*, actor, signal: Signal, reason: str, request=None) -> Signal:
    """Escalate a signal to the city CDC (a reason is required; false alarms are not escalated)."""
    _check_scope(actor, signal)
    reason = _text("reason", reason, required=True, label_zh="上报理由", label_en="escalation reason")
    with transaction.atomic():
        signal = _locked(signal)
        if signal.level == SignalLevel.CITY:
            raise _invalid("level", signal.level, "该信号已上报市疾控", "This signal is already escalated to the city CDC",
                           "already_escalated")  # fmt: skip
        if signal.status == SignalStatus.FALSE_ALARM:
            raise _invalid("status", signal.status, "已排除的信号不能上报", "A false alarm cannot be escalated",
                           "false_alarm")  # fmt: skip
        before = (signal.status, signal.level)
        now = timezone.now()
        signal.level = SignalLevel.CITY
        signal.escalated_at = now
        signal.escalated_by = actor
        signal.escalation_reason = reason
        signal.save(
            update_fields=["level", "escalated_at", "escalated_by", "escalation_reason", "updated_at"]
        )
        _event(signal, actor, SignalEvent.Kind.ESCALATED, before=before, note=reason, at=now)
        audit.record(actor=actor, action=AuditEvent.Action.UPDATE, obj=signal, request=request,
                     details={"signal": "escalate", "reason": reason[:200]})  # fmt: skip
    return signal


def signals_escalate_overdue(*, now: dt.datetime | None = None, actor=None) -> int:
    """Escalate every signal still unverified past its deadline to the city CDC. Idempotent: an escalated
    signal is at city level and is not picked again. Returns how many were escalated now."""
    now = now or timezone.now()
    count = 0
    with transaction.atomic():
        overdue = Signal.objects.select_for_update().filter(
            status=SignalStatus.PENDING, level=SignalLevel.COUNTY, deadline_at__lt=now
        )
        for signal in overdue.select_related("region"):
            before = (signal.status, signal.level)
            signal.level = SignalLevel.CITY
            signal.escalated_at = now
            signal.auto_escalated = True
            signal.escalation_reason = "overdue"
            signal.save(
                update_fields=["level", "escalated_at", "auto_escalated", "escalation_reason", "updated_at"]
            )
            _event(signal, actor, SignalEvent.Kind.AUTO_ESCALATED, before=before,
                   note=f"deadline {signal.deadline_at.isoformat()}", at=now)  # fmt: skip
            audit.record(actor=actor, action=AuditEvent.Action.UPDATE, obj=signal,
                         details={"signal": "auto_escalate", "deadline": signal.deadline_at.isoformat()})  # fmt: skip
            count += 1
    return count


# ---- the detection run ---------------------------------------------------------------------------------


def _window(frequency: str, as_of: dt.date, periods: int, years_back: int) -> tuple[dt.date, int]:
    """First period and number of periods so that the last `periods` periods end at the run's period and
    have the baseline history the methods need."""
    if frequency == SignalFrequency.DAY:
        history = 366 * years_back + 30
        total = history + periods
        return as_of - dt.timedelta(days=total - 1), total
    last = response_stats.last_full_week_monday(as_of)
    history = 52 * years_back + 8  # ± the window around the same week (CIDARS ±2, Farrington w ≤ 5)
    total = history + periods
    return last - dt.timedelta(weeks=total - 1), total


def detection_run(
    *,
    frequency: str = SignalFrequency.DAY,
    as_of: dt.date | None = None,
    periods: int = 1,
    actor=None,
    job_id: str = "",
    regions: list[Region] | None = None,
    progress: Callable[[float, str], None] | None = None,
    now: dt.datetime | None = None,
) -> dict:
    """Evaluate every county city × disease series for the last `periods` days (or ISO weeks) up to
    `as_of`, store new signals (a rerun adds none) and escalate overdue ones."""
    if frequency not in SignalFrequency.values:
        raise _invalid(
            "frequency", frequency, "频率应为 day 或 week", "Frequency must be day or week", "choice"
        )
    if not 1 <= int(periods) <= 366:
        raise _invalid(
            "periods", periods, "评估期数应在1到366之间", "Periods to evaluate must be 1 to 366", "range"
        )
    now = now or timezone.now()
    as_of = as_of or timezone.localdate(now)
    report = progress or (lambda percent, stage: None)
    report(2, gettext_noop("Reading the catalogue"))
    counties = regions or list(
        Region.objects.filter(level=RegionLevel.COUNTY, is_county_city=True).order_by("code")
    )
    configs, skipped = [], []
    years = 3
    for disease in detection_diseases():
        method = batch.batch_method(disease.detection_method, frequency)
        if method is None:
            skipped.append(disease.code)
            continue
        params = batch.method_params(method, disease.detection_params)
        if method.startswith("cidars"):
            years = max(years, int(params.get("years_back", 3)))
        elif method.startswith("farrington"):  # b years back (R's defaults: 4 flexible, 5 classic)
            years = max(years, int(params.get("b", 5)))
        configs.extend(batch.SeriesConfig.of((disease.pk, r.pk), method, params) for r in counties)
    start, total = _window(frequency, as_of, int(periods), years)
    report(10, gettext_noop("Counting cases"))
    counts = count_matrix([c.key for c in configs], start=start, periods=total, frequency=frequency)
    report(30, gettext_noop("Detecting"))
    result = batch.run_batch(
        counts,
        configs,
        first_day=start,
        evaluate_from=total - int(periods),
        progress=lambda done, all_: report(30 + 50 * done / max(1, all_), gettext_noop("Detecting")),
    )
    report(80, gettext_noop("Storing signals"))
    inserted = _store(result.signals, frequency=frequency, start=start, job_id=job_id, actor=actor, now=now)
    created = len(inserted)
    spatial: dict[str, int] = {}
    if getattr(settings, "SURVEILLANCE_SPATIAL_SCAN", True):  # second stage on new MPM signals (§ 2.1)
        from .services_spatial import spatial_scan_signals

        report(85, gettext_noop("Space-time scan of new MPM signals"))
        spatial = spatial_scan_signals(inserted, actor=actor)
    report(95, gettext_noop("Escalating overdue signals"))
    escalated = signals_escalate_overdue(now=now)
    report(100, gettext_noop("Done"))
    return {
        "frequency": frequency,
        "as_of": as_of.isoformat(),
        "periods": int(periods),
        "series": len(configs),
        "counties": len(counties),
        "calls": result.calls,
        "evaluated": result.evaluated,
        "no_baseline": result.no_baseline,
        "suppressed": result.suppressed,
        "signals_found": len(result.signals),
        "signals_created": created,
        "signals_existing": len(result.signals) - created,
        "escalated_overdue": escalated,
        "spatial_scans": spatial,
        "skipped_diseases": skipped,
    }


def _period(frequency: str, start: dt.date, index: int, method: str) -> tuple[str, dt.date, dt.date]:
    if frequency == SignalFrequency.DAY:
        day = start + dt.timedelta(days=index)
        first = day - dt.timedelta(days=6) if method == "cidars-daily" else day  # C(t) sums t−6 … t
        return response_stats.day_label(day), first, day
    monday = start + dt.timedelta(weeks=index)
    return response_stats.week_label(monday), monday, monday + dt.timedelta(days=6)


def _store(
    rows: list[batch.SignalRow], *, frequency: str, start: dt.date, job_id: str, actor, now
) -> list[Signal]:
    """Insert the signals not stored yet (unique disease, region, period, method); the ones this call
    inserted get their 'created' event and audit row. Returns the inserted signals."""
    if not rows:
        return []
    token = uuid.uuid4().hex
    new = []
    for row in rows:
        disease_id, region_id = row.key
        label, first, last = _period(frequency, start, row.period_index, row.method)
        new.append(
            Signal(
                disease_id=disease_id,
                region_id=region_id,
                frequency=frequency,
                period=label,
                period_start=first,
                period_end=last,
                method=row.method,
                params=dict(row.params),
                observed=row.observed,
                threshold=row.threshold,
                detected_at=now,
                deadline_at=now + dt.timedelta(hours=verify_hours(row.method)),
                job_id=job_id[:40],
                store_token=token,
            )
        )
    with transaction.atomic():
        Signal.objects.bulk_create(new, ignore_conflicts=True)
        inserted = list(Signal.objects.filter(store_token=token).select_related("region", "disease"))
        for signal in inserted:
            _event(signal, actor, SignalEvent.Kind.CREATED, before=("", ""), at=now,
                   note=f"{signal.method}: {signal.observed:g} > {signal.threshold:g}")  # fmt: skip
            audit.record(actor=actor, action=AuditEvent.Action.CREATE, obj=signal,
                         details={"signal": "detected", "method": signal.method, "period": signal.period,
                                  "observed": signal.observed, "threshold": signal.threshold,
                                  "job": job_id})  # fmt: skip
        Signal.objects.filter(store_token=token).update(store_token="")
    return inserted
