"""The 'cadres.plan' background job: runs the exchange planner over the database and stores the plan."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from countybridge.core.jobs import JobContext, Param, register
from countybridge.core.models import Role
from countybridge.core.services.errors import FieldProblem, ServiceValidationError


@register(
    "cadres.plan",
    title=_("Cadre exchange plan"),
    description=_("Proposes who moves where under the rules in force and stores the plan for review."),
    params=[
        Param("time_limit", "float", label=_("Time limit (seconds)"), default=20.0, min=1, max=600),
        Param("as_of", "str", label=_("As of (YYYY-MM-DD)"), help=_("Empty: today")),
        Param(
            "county", "county", label=_("County"), help=_("Empty: a city-wide round; a county: its own round")
        ),
    ],
    roles={Role.CITY_ADMIN, Role.DEPARTMENT_OFFICER, Role.COUNTY_OFFICER},
    region_param="county",
)
def plan_job(
    job: JobContext, time_limit: float = 20.0, as_of: str | None = None, county: str | None = None
) -> dict:
    from countybridge.core.models import Region

    from .services import plan_run

    day = None
    if as_of:
        try:
            day = dt.date.fromisoformat(as_of)
        except ValueError:
            raise ServiceValidationError(
                [
                    FieldProblem(
                        "params.as_of", as_of, "日期格式应为 YYYY-MM-DD", "The date must be YYYY-MM-DD"
                    )
                ]
            ) from None
    region = Region.objects.get(code=county, successor__isnull=True) if county else None
    plan = plan_run(
        actor=job.actor,
        region=region,
        as_of=day,
        time_limit_s=time_limit,
        job=job.run,
        progress=job.progress,  # the stages are English source strings marked with gettext_noop
    )
    return {
        "plan_id": plan.pk,
        "moves": plan.moves.count(),
        "objective": plan.objective,
        "status": plan.solver_status,
    }
