"""Background job kinds of the talent app: the expert-circuit schedule (HiGHS via circuits.py)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from countybridge.core.jobs.context import JobContext
from countybridge.core.jobs.registry import Param, register
from countybridge.core.models import Role

from . import circuits
from .models import CountyDemand, ExpertGroup, ServiceRecord


def _groups(rows) -> list:
    return [
        circuits.ExpertGroup(
            id=str(g.pk),
            members=tuple(
                circuits.Expert(f"{g.pk}-{i}", frozenset(mb.get("specialties", [])), mb.get("name", ""))
                for i, mb in enumerate(g.members)
            ),
            base=(g.base_lat, g.base_lon),
            available=frozenset(dt.date.fromisoformat(d) for d in g.available_days),
            max_travel_minutes=float(g.max_travel_minutes),
            max_days=g.max_days,
            name=g.name,
        )
        for g in rows
    ]


def _demands(rows) -> list:
    return [
        circuits.Demand(
            str(d.pk), d.region.code, d.specialty, (d.lat, d.lon), d.start, d.end, d.priority, d.size, d.topic
        )
        for d in rows
    ]


@register(
    "talent.circuit_schedule",
    title=_("Expert circuit schedule"),
    description=_(
        "Assigns expert groups to county demands to cover the most demand within their days and travel limits."
    ),
    params=[
        Param("time_limit", "float", label=_("Solver time limit (seconds)"), default=30.0, min=1, max=600)
    ],
    roles={Role.CITY_ADMIN, Role.DEPARTMENT_OFFICER},
)
def circuit_schedule(job: JobContext, time_limit: float = 30.0) -> dict:
    """Replaces the planned (not yet served) records with the new schedule; served records are kept."""
    job.progress(5, gettext_noop("Reading groups and demands"))
    groups = _groups(ExpertGroup.objects.all())
    served = set(ServiceRecord.objects.filter(done=True).values_list("demand_id", flat=True))
    demand_rows = list(CountyDemand.objects.select_related("region").exclude(pk__in=served))
    demands = _demands(demand_rows)
    specialties = {s for g in groups for s in g.specialties} | {d.specialty for d in demands}
    job.progress(20, gettext_noop("Solving"))
    schedule = circuits.solve(groups, demands, specialties=specialties, time_limit=time_limit)
    job.check_cancelled()
    regions = {str(d.pk): d.region_id for d in demand_rows}
    with transaction.atomic():
        ServiceRecord.objects.filter(done=False).delete()
        ServiceRecord.objects.bulk_create(
            ServiceRecord(
                group_id=int(a.group_id),
                demand_id=int(a.demand_id),
                region_id=regions[a.demand_id],
                day=a.day,
                travel_minutes=a.travel_minutes,
                job_id=str(job.run.pk) if getattr(job, "run", None) else "",
            )
            for a in schedule.assignments
        )
    job.progress(100, gettext_noop("Done"))
    return {
        "assignments": len(schedule.assignments),
        "covered_weight": schedule.covered_weight,
        "total_weight": schedule.total_weight,
        "status": schedule.status,
        "solver": schedule.solver,
        "gap": schedule.gap,
        "seconds": round(schedule.seconds, 3),
    }
