"""What a running job sees: its run, its actor's scope, and a throttled progress reporter that is also
the cancellation point."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db.models import QuerySet

from .. import access
from ..models import JobRun

# Progress is written at most this often (seconds); a stage change is always written at once.
PROGRESS_MIN_INTERVAL = 0.5


class JobCancelled(Exception):
    """Raised from `JobContext.progress` when someone asked to cancel the run."""


class JobContext:
    """Passed as `job` to every job function.

    Call `job.progress(percent, stage)` as often as convenient: the database sees it at most every
    PROGRESS_MIN_INTERVAL seconds (or when the stage changes), and each write also checks whether
    cancellation was requested, raising JobCancelled if so. Call it *outside* your own
    `transaction.atomic` blocks: inside one, the write would stay invisible until the block commits.
    Stage texts should be English source strings marked with `gettext_noop`; pages translate them.
    """

    def __init__(
        self,
        run: JobRun,
        *,
        on_progress: Callable[[float, str], None] | None = None,
        min_interval: float | None = None,
    ):
        self.run = run
        self.actor = run.created_by
        self.on_progress = on_progress
        self.min_interval = PROGRESS_MIN_INTERVAL if min_interval is None else min_interval
        self.percent = float(run.progress or 0)
        self.stage = run.stage or ""
        self._last_write = float("-inf")
        self.writes = 0

    @property
    def is_system_run(self) -> bool:
        """A run started from the operator's shell (no user) reads the whole database."""
        return self.actor is None

    def scope(self, queryset: QuerySet) -> QuerySet:
        """Restrict a registry query to what the user who started the run may read."""
        return queryset if self.is_system_run else access.scope_queryset(queryset, self.actor)

    def progress(self, percent: float, stage: str | None = None, *, force: bool = False) -> None:
        percent = max(0.0, min(100.0, float(percent)))
        stage_changed = stage is not None and stage != self.stage
        self.percent = percent
        if stage is not None:
            self.stage = stage[:120]
        if self.on_progress is not None:
            self.on_progress(self.percent, self.stage)
        now = time.monotonic()
        if force or stage_changed or now - self._last_write >= self.min_interval:
            self._last_write = now
            self._write()

    def check_cancelled(self) -> None:
        """For loops that report no progress: raises JobCancelled if asked to stop (throttled too)."""
        now = time.monotonic()
        if now - self._last_write >= self.min_interval:
            self._last_write = now
            self._write()

    def _write(self) -> None:
        self.writes += 1
        JobRun.objects.filter(pk=self.run.pk).update(progress=self.percent, stage=self.stage)
        if JobRun.objects.filter(pk=self.run.pk, cancel_requested=True).exists():
            raise JobCancelled()
