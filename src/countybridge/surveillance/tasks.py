"""Background jobs of the surveillance app: the daily / weekly detection run over every county city ×
disease series (signals stored idempotently, overdue ones escalated) and the overdue escalation alone."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from countybridge.core.jobs import JobContext, Param, register
from countybridge.core.models import Role
from countybridge.core.services.errors import FieldProblem, ServiceValidationError

RUN_ROLES = {Role.CITY_ADMIN, Role.DEPARTMENT_OFFICER}


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ServiceValidationError(
            [FieldProblem("params.as_of", value, "日期格式应为 YYYY-MM-DD", "The date must be YYYY-MM-DD")]
        ) from None


@register(
    "surveillance.detect",
    title=_("Outbreak detection run"),
    description=_(
        "Evaluates every county city × disease series with the disease's detection method, stores new "
        "signals (a rerun adds none) and escalates signals left unverified past their deadline."
    ),
    params=[
        Param("frequency", "str", label=_("Frequency"), default="day", choices=("day", "week")),
        Param("as_of", "str", label=_("Analysis date (YYYY-MM-DD)"), help=_("Empty: today")),
        Param("periods", "int", label=_("Periods to evaluate (back-fill)"), default=1, min=1, max=366),
    ],
    roles=RUN_ROLES,
)
def detect_job(job: JobContext, frequency: str = "day", as_of: str | None = None, periods: int = 1) -> dict:
    from .services_signals import detection_run

    if job.actor is not None:  # department officers of other domains may not run the CDC's detection
        from .selectors_signals import require_run

        require_run(job.actor)
    return detection_run(
        frequency=frequency,
        as_of=_date(as_of),
        periods=int(periods),
        actor=job.actor,
        job_id=str(job.run.pk),
        progress=job.progress,  # stages are English source strings
    )


@register(
    "surveillance.escalate",
    title=_("Escalate overdue signals"),
    description=_("Escalates to the city CDC every signal still unverified past its deadline (idempotent)."),
    roles=RUN_ROLES,
)
def escalate_job(job: JobContext) -> dict:
    from .selectors_signals import require_run
    from .services_signals import signals_escalate_overdue

    if job.actor is not None:
        require_run(job.actor)
    job.progress(10, "Escalating overdue signals")
    escalated = signals_escalate_overdue(actor=job.actor)
    job.progress(100, "Done")
    return {"escalated": escalated}
