"""Heartbeats of running jobs, and reaping runs whose worker died (SIGKILL, power loss, OOM).

A thread beside the job writes `heartbeat_at` every HEARTBEAT_SECONDS. A run still 'running' whose last sign
of life is older than the silence limit lost its worker: `reap_stale` marks it failed, audited, so pages stop
showing it as running and its owner can start it again. Workers reap when they start; operators can run
`countybridge jobs reap` (e.g. from cron) as well.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from contextlib import contextmanager

from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from .. import audit
from ..models import AuditEvent, JobRun

logger = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 15.0
# Generous: on SQLite a job's own long write transaction can hold the heartbeat back for minutes.
DEFAULT_SILENCE = dt.timedelta(minutes=10)
LOST_WORKER_ERROR = (
    "工作进程已停止,任务未完成(无心跳)/ The worker stopped before the run finished (no heartbeat)"
)


def _beat(run_id) -> None:
    try:
        JobRun.objects.filter(pk=run_id, status=JobRun.Status.RUNNING).update(heartbeat_at=timezone.now())
    except DatabaseError as exc:  # a locked SQLite file: try again at the next beat
        logger.debug("heartbeat of %s skipped: %s", run_id, exc)


@contextmanager
def heartbeat(run_id, interval: float = HEARTBEAT_SECONDS):
    """Beat for `run_id` in a daemon thread while the block runs."""
    stop = threading.Event()

    def loop() -> None:
        try:
            while not stop.wait(interval):
                _beat(run_id)
        finally:
            connection.close()  # the thread's own connection

    _beat(run_id)
    thread = threading.Thread(target=loop, name=f"heartbeat-{run_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=interval + 5)


def stale_runs(silence: dt.timedelta = DEFAULT_SILENCE):
    cutoff = timezone.now() - silence
    return JobRun.objects.filter(status=JobRun.Status.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    )


def reap_stale(silence: dt.timedelta = DEFAULT_SILENCE) -> int:
    """Mark running jobs that have been silent longer than `silence` as failed; returns how many."""
    reaped = 0
    for run in (
        stale_runs(silence).select_related("created_by").annotate(seen=Coalesce("heartbeat_at", "started_at"))
    ):
        with transaction.atomic():
            updated = JobRun.objects.filter(pk=run.pk, status=JobRun.Status.RUNNING).update(
                status=JobRun.Status.FAILED, finished_at=timezone.now(), error=LOST_WORKER_ERROR
            )
            if updated:
                audit.record(
                    actor=run.created_by,
                    action=AuditEvent.Action.JOB,
                    obj=run,
                    object_repr=f"{run.kind} failed",
                    details={"event": "reaped", "last_seen": run.seen.isoformat() if run.seen else None},
                )
                reaped += 1
    return reaped
