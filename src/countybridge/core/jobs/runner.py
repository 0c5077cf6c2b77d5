"""Running one JobRun: claim it, call its kind's function, store the result, the error or the
cancellation. Used by the queue's task (workers) and by `countybridge jobs run` (foreground)."""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable

from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from .. import audit
from ..models import AuditEvent, JobRun
from .context import JobCancelled, JobContext
from .heartbeat import heartbeat
from .registry import get_kind

logger = logging.getLogger(__name__)
Status = JobRun.Status


def _claim(job_id: uuid.UUID | str) -> JobRun | None:
    """Mark a queued run as running. Returns None when it is no longer queued: cancelled while it
    waited, or already taken by another worker (the lock makes the two mutually exclusive)."""
    with transaction.atomic():
        run = JobRun.objects.select_for_update().filter(pk=job_id).first()
        if run is None or run.status != Status.QUEUED:
            return None
        run.status = Status.RUNNING
        run.started_at = timezone.now()
        run.save(update_fields=["status", "started_at"])
    return JobRun.objects.select_related("created_by", "region").get(pk=run.pk)


def _json_result(value) -> dict | list | None:
    if value is None:
        return None
    # round-trip so dates and decimals are stored as text and anything unserialisable fails here
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def _finish(run: JobRun, status: str, *, result=None, error: str = "", progress: float | None = None) -> None:
    fields = {"status": status, "finished_at": timezone.now(), "result": result, "error": error[:4000]}
    if progress is not None:
        fields["progress"] = progress
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                JobRun.objects.filter(pk=run.pk).update(**fields)
                duration = (
                    (fields["finished_at"] - run.started_at).total_seconds() if run.started_at else None
                )
                audit.record(
                    actor=run.created_by,
                    action=AuditEvent.Action.JOB,
                    obj=run,
                    object_repr=f"{run.kind} {status}",
                    details={
                        "event": "finished",
                        "status": status,
                        "seconds": duration,
                        "error": error[:300],
                    },
                )
            break
        except DatabaseError:
            # An interrupt can leave the connection mid-query; a fresh connection records the outcome.
            if attempt == 2 or connection.in_atomic_block:
                raise
            connection.close()
    for key, value in fields.items():
        setattr(run, key, value)


def execute(
    job_id: uuid.UUID | str,
    *,
    on_progress: Callable[[float, str], None] | None = None,
    reraise: bool = False,
    min_interval: float | None = None,
) -> JobRun | None:
    """Run a queued JobRun to its end and return it (None if it was not queued any more).

    Ctrl-C or a worker's forced stop (KeyboardInterrupt, SystemExit) marks the run cancelled and is
    re-raised so the process still stops; the job's own transactions roll back, so nothing is left
    half-written. Other exceptions mark it failed; with `reraise` (workers) they propagate too, so the
    task queue keeps the traceback for operators.
    """
    run = _claim(job_id)
    if run is None:
        return None
    kind = get_kind(run.kind)
    if kind is None:
        _finish(run, Status.FAILED, error=f"未知的任务类型 / Unknown job kind: {run.kind}")
        return run
    job = JobContext(run, on_progress=on_progress, min_interval=min_interval)
    started = time.monotonic()
    try:
        with heartbeat(run.pk):
            value = kind.func(job, **run.params)
        result = _json_result(value)
    except JobCancelled:
        _finish(run, Status.CANCELLED, progress=job.percent)
    except (KeyboardInterrupt, SystemExit):
        _finish(
            run,
            Status.CANCELLED,
            progress=job.percent,
            error="已中断(Ctrl-C 或工作进程停止)/ Interrupted (Ctrl-C or the worker stopped)",
        )
        raise
    except Exception as exc:
        logger.exception("job %s (%s) failed", run.pk, run.kind)
        _finish(run, Status.FAILED, progress=job.percent, error=f"{type(exc).__name__}: {exc}")
        if reraise:
            raise
    else:
        _finish(run, Status.SUCCEEDED, result=result, progress=100.0)
        if on_progress is not None:
            on_progress(100.0, job.stage)
        logger.info("job %s (%s) finished in %.1f s", run.pk, run.kind, time.monotonic() - started)
    return run
