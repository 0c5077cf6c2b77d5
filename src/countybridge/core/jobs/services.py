"""Starting and cancelling job runs: one transaction each, audited."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .. import access, audit
from ..models import AuditEvent, JobRun, Region, Role
from ..services.errors import FieldProblem, ServiceValidationError
from .registry import clean_params, get_kind
from .selectors import can_use_jobs, job_list

logger = logging.getLogger(__name__)


def _enqueue(job_id) -> None:
    """Hand the run to the task queue; with the database backend it waits there across restarts."""
    from .tasks import run_job

    try:
        result = run_job.enqueue(str(job_id))
    except Exception as exc:  # the run must not stay "queued" forever if the queue refused it
        logger.exception("could not enqueue job %s", job_id)
        JobRun.objects.filter(pk=job_id, status=JobRun.Status.QUEUED).update(
            status=JobRun.Status.FAILED,
            finished_at=timezone.now(),
            error=f"无法加入任务队列 / Could not be queued: {type(exc).__name__}: {exc}",
        )
        return
    JobRun.objects.filter(pk=job_id).update(task_result_id=str(result.id))


@transaction.atomic
def job_start(
    *,
    actor,
    kind: str,
    params: dict[str, Any] | None = None,
    region: Region | None = None,
    request=None,
    enqueue: bool = True,
) -> JobRun:
    """Create a run of `kind` with validated parameters and queue it once the transaction commits.

    `actor` None means the operator's shell (full scope). A county officer's run is limited to their
    county: the kind's county parameter defaults to it, and another county is refused. With
    `enqueue=False` the caller runs it in the foreground (`countybridge jobs run`).
    """
    job_kind = get_kind(kind or "")
    if job_kind is None:
        raise ServiceValidationError(
            [
                FieldProblem(
                    "kind",
                    str(kind or ""),
                    f"未知的任务类型 {kind}",
                    f"Unknown job kind {kind}",
                    "unknown_kind",
                )
            ]
        )
    if actor is not None and (not can_use_jobs(actor) or access.role_of(actor) not in job_kind.roles):
        raise PermissionDenied(f"this role may not start {kind}")
    params = dict(params or {})
    role = access.role_of(actor)
    if role == Role.COUNTY_OFFICER and job_kind.region_param:
        own = actor.region.code
        given = params.get(job_kind.region_param)
        if given in (None, ""):
            params[job_kind.region_param] = own
        elif str(given).strip() != own:
            raise ServiceValidationError(
                [
                    FieldProblem(
                        f"params.{job_kind.region_param}",
                        str(given),
                        "区(市)县干部只能对本区(市)县运行此任务",
                        "County officers can run this job only for their own county",
                        "scope",
                    )
                ]
            )
    clean, problems = clean_params(job_kind, params)
    if problems:
        raise ServiceValidationError(problems)
    if region is None and job_kind.region_param and clean.get(job_kind.region_param):
        region = Region.objects.get(code=clean[job_kind.region_param], successor__isnull=True)
    if role == Role.COUNTY_OFFICER:
        region = actor.region
    run = JobRun.objects.create(
        kind=job_kind.name, params=clean, region=region, created_by=actor if actor is not None else None
    )
    audit.record(
        actor=actor,
        action=AuditEvent.Action.JOB,
        obj=run,
        object_repr=run.kind,
        request=request,
        details={"event": "start", "kind": run.kind, "params": clean},
    )
    if enqueue:
        transaction.on_commit(lambda: _enqueue(run.pk))
    return run


@transaction.atomic
def job_cancel(*, actor, job: JobRun, request=None, force: bool = False) -> JobRun:
    """A queued run is cancelled at once; a running one is asked to stop and does so at its next
    progress report. Only runs the actor can see may be cancelled (`actor` None: the operator).

    `force` (operator only) marks a running run cancelled at once: for a run whose worker was killed
    (SIGKILL, power loss) and so will never report again."""
    if actor is not None and not job_list(user=actor).filter(pk=job.pk).exists():
        raise PermissionDenied("job is outside the actor's scope")
    if force and actor is not None:
        raise PermissionDenied("only the operator's shell may force a cancellation")
    run = JobRun.objects.select_for_update().get(pk=job.pk)
    if run.is_finished:
        raise ServiceValidationError(
            [
                FieldProblem(
                    "status", run.status, "任务已结束,无法取消", "The job has already finished", "finished"
                )
            ]
        )
    if run.status == JobRun.Status.QUEUED or force:
        if run.status == JobRun.Status.RUNNING:
            run.error = "由运维人员强制取消 / Cancelled by force by the operator"
        run.status = JobRun.Status.CANCELLED
        run.finished_at = timezone.now()
    run.cancel_requested = True
    run.save(update_fields=["status", "finished_at", "cancel_requested", "error"])
    audit.record(
        actor=actor,
        action=AuditEvent.Action.JOB,
        obj=run,
        object_repr=run.kind,
        request=request,
        details={"event": "cancel", "status": run.status, "force": force},
    )
    return run
