"""Synthetic signals for the demo (`countybridge demo_data`): the daily detection run over the last weeks of
the demo case reports, as the nightly job would have run it, then a synthetic response timeline so the
signal pages have figures to show — most signals concluded within hours (log-normal, median about an
hour, as CIDARS reports), a few suspected events with investigation and measures, some left unverified
past their deadline and escalated automatically.

Demo signals carry job_id "demo" (the reset removes exactly these). Seeded: the same seed gives the same
outcomes for the same reports. A rerun adds nothing (signals are unique per disease, region, period, method).
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from countybridge.core import audit
from countybridge.core.models import AuditEvent

from .demo import demo_township_coordinates
from .models import Signal, SignalEvent, SignalLevel, SignalStatus
from .services_signals import detection_run, signals_escalate_overdue, verify_hours

DEMO_JOB = "demo"
NOTE = "演示数据(合成) / synthetic demo record"


def signals_demo_load(*, seed: int, days: int = 28, today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    rng = random.Random(seed)
    demo_township_coordinates(seed=seed)  # the scan of MPM signals needs township points (synthetic here)
    started = timezone.now()
    run = detection_run(frequency="day", as_of=today - dt.timedelta(days=1), periods=days, job_id=DEMO_JOB)
    tz = timezone.get_current_timezone()
    now = timezone.now()
    fresh = Signal.objects.filter(job_id=DEMO_JOB, detected_at__gte=started)  # stored by this run only
    concluded = suspected = 0
    with transaction.atomic():
        for signal in fresh.order_by("pk"):
            # the run would have found it the morning after the period ended
            detected = timezone.make_aware(
                dt.datetime.combine(signal.period_end + dt.timedelta(days=1), dt.time(6)), tz
            )
            signal.detected_at = detected
            signal.deadline_at = detected + dt.timedelta(hours=verify_hours(signal.method))
            signal.events.filter(kind=SignalEvent.Kind.CREATED).update(at=detected)
            hours = rng.lognormvariate(0.0, 1.2)  # median 1 h
            if rng.random() < 0.9 and detected + dt.timedelta(hours=hours) < now:
                signal.verified_at = detected + dt.timedelta(hours=hours)
                is_event = rng.random() < 0.08
                signal.status = SignalStatus.VERIFIED if is_event else SignalStatus.FALSE_ALARM
                signal.verification_note = NOTE
                if is_event:
                    signal.investigation = "现场流行病学调查(演示) / field investigation (demo)"
                    signal.measures = (
                        "消毒、健康教育、病例隔离(演示) / disinfection, health education, isolation (demo)"
                    )
                    suspected += 1
                concluded += 1
                SignalEvent.objects.create(signal=signal, at=signal.verified_at, kind=signal.status,
                                           from_status=SignalStatus.PENDING, to_status=signal.status,
                                           from_level=SignalLevel.COUNTY, to_level=SignalLevel.COUNTY,
                                           note=NOTE)  # fmt: skip
            signal.save()
        audit.record(actor=None, action=AuditEvent.Action.CREATE, object_type="surveillance.demo_signals",
                     details={"signals": run["signals_created"], "concluded": concluded, "seed": seed})  # fmt: skip
    escalated = signals_escalate_overdue(now=now)
    return {
        "signals": run["signals_created"],
        "concluded": concluded,
        "suspected_events": suspected,
        "escalated_overdue": escalated,
    }


def signals_demo_reset() -> None:
    """Remove the demo signals (their history goes with them)."""
    Signal.objects.filter(job_id=DEMO_JOB).delete()
