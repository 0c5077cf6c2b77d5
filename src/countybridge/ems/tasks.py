"""Background jobs of the EMS app: station siting ('ems.optimise') and dispatch simulation
('ems.simulate') for one scenario. County officers run them for their own county's scenarios."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from countybridge.core.jobs import JobContext, Param, register
from countybridge.core.models import Role
from countybridge.core.services.errors import FieldProblem, ServiceValidationError

ROLES = {Role.CITY_ADMIN, Role.DEPARTMENT_OFFICER, Role.COUNTY_OFFICER}


def _scenario(job: JobContext, pk: int, county: str):
    from django.http import Http404

    from . import selectors
    from .models import Scenario

    try:
        scenario = (
            Scenario.objects.select_related("region", "network").get(pk=pk)
            if job.is_system_run
            else selectors.scenario_get(user=job.actor, pk=pk)
        )
    except (Scenario.DoesNotExist, Http404):
        raise ServiceValidationError(
            [FieldProblem("params.scenario", str(pk), "方案不存在或不在您的范围内", "No such scenario in your scope",
                          "unknown")]
        ) from None  # fmt: skip
    if county and scenario.region.code != county:
        raise ServiceValidationError(
            [
                FieldProblem(
                    "params.county",
                    county,
                    "方案不属于该区(市)县",
                    "The scenario is not of that county",
                    "scope",
                )
            ]
        )
    return scenario


@register(
    "ems.optimise",
    title=_("Emergency station siting"),
    description=_(
        "Sites stations for a scenario (p-median, MCLP, LSCP, p-center or MEXCLP with HiGHS) and stores "
        "the proposal with its coverage before and after."
    ),  # fmt: skip
    params=[
        Param("county", "county", label=_("County"), required=True),
        Param("scenario", "int", label=_("Scenario"), required=True, min=1),
        Param(
            "model",
            "str",
            label=_("Model"),
            default="p_median",
            choices=("p_median", "mclp", "lscp", "p_center", "mexclp"),
        ),  # fmt: skip
        Param("p", "int", label=_("Stations (empty: as many as now)"), min=1, max=500),
        Param("time_limit", "float", label=_("Time limit (seconds)"), default=30.0, min=1, max=600),
    ],
    roles=ROLES,
    region_param="county",
    result_template="ems/_job_result.html",
)
def optimise_job(job: JobContext, county: str, scenario: int, model: str = "p_median", p: int | None = None,
                 time_limit: float = 30.0) -> dict:  # fmt: skip
    from . import optimise, selectors

    if not job.is_system_run:
        selectors.require_read(job.actor)
    target = _scenario(job, scenario, county)
    run = optimise.optimise(actor=job.actor, scenario=target, model=model, p=p, time_limit=time_limit, job=job.run,
                            progress=job.progress)  # fmt: skip
    return {"run_id": run.pk, "model": model, "status": run.result["status"], "before": run.result["before"],
            "after": run.result["after"]}  # fmt: skip


@register(
    "ems.simulate",
    title=_("Emergency dispatch simulation"),
    description=_(
        "Simulates calls, dispatch and transport for a scenario over some days (SimPy) and stores "
        "response times with confidence intervals, utilisation and calls that waited."
    ),  # fmt: skip
    params=[
        Param("county", "county", label=_("County"), required=True),
        Param("scenario", "int", label=_("Scenario"), required=True, min=1),
        Param("days", "int", label=_("Days"), default=7, min=1, max=365),
        Param("seed", "int", label=_("Seed"), default=1, min=0, max=2**31 - 1),
        Param("replications", "int", label=_("Replications"), default=5, min=1, max=100),
    ],
    roles=ROLES,
    region_param="county",
    result_template="ems/_job_result.html",
)
def simulate_job(job: JobContext, county: str, scenario: int, days: int = 7, seed: int = 1,
                 replications: int = 5) -> dict:  # fmt: skip
    from . import selectors, simulate

    if not job.is_system_run:
        selectors.require_read(job.actor)
    target = _scenario(job, scenario, county)
    run = simulate.simulate(actor=job.actor, scenario=target, days=days, seed=seed, replications=replications,
                            job=job.run, progress=job.progress)  # fmt: skip
    return {"run_id": run.pk, **run.result.get("summary", {})}
