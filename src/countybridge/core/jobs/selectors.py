"""Reading job runs. A run belongs to whoever started it; county officers also see their county's
runs and the city administrator sees all. Department officers read registries city-wide, but another
officer's run is that officer's work, so they see only their own. Auditors and public users see none."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from .. import access
from ..models import JobRun, Role

JOB_ROLES = {Role.CITY_ADMIN, Role.DEPARTMENT_OFFICER, Role.COUNTY_OFFICER, Role.INSTITUTION_STAFF}


def can_use_jobs(user) -> bool:
    # machine clients (API tokens) have no user row to own a run
    return access.role_of(user) in JOB_ROLES and getattr(user, "token", None) is None


def require_job_access(user) -> None:
    if not can_use_jobs(user):
        raise PermissionDenied("background jobs need an officer or institution account")


def job_list(*, user, status: str | None = None, kind: str | None = None) -> QuerySet:
    qs = JobRun.objects.select_related("created_by", "region")
    role = access.role_of(user)
    if not can_use_jobs(user):
        return qs.none()
    if role != Role.CITY_ADMIN:
        own = Q(created_by_id=user.pk)
        if role == Role.COUNTY_OFFICER:
            own |= Q(pk__in=access.scope_queryset(JobRun.objects.all(), user).values("pk"))
        qs = qs.filter(own)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def job_get(*, user, pk) -> JobRun:
    """One run in scope; out of scope looks the same as missing (404)."""
    run = job_list(user=user).filter(pk=pk).first()
    if run is None:
        raise Http404(_("No such job"))
    return run
