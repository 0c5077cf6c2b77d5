"""Background jobs with progress, cancellation and results (issue item 8).

A job kind is a function `fn(job: JobContext, **params) -> dict` registered with `@register(...)` in
an app's `tasks.py`. `job_start` records a JobRun and queues the one django-task (`tasks.run_job`)
when the transaction commits; a `countybridge db_worker` process picks it up from the database (so
queued runs survive restarts), `runner.execute` runs it and stores progress, result or error on the
JobRun. `countybridge jobs run` runs a kind in the foreground instead.
"""

from .context import JobCancelled, JobContext
from .registry import JobKind, Param, all_kinds, get_kind, kinds_for, register
from .selectors import can_use_jobs, job_get, job_list, require_job_access
from .services import job_cancel, job_start

__all__ = [
    "JobCancelled",
    "JobContext",
    "JobKind",
    "Param",
    "all_kinds",
    "can_use_jobs",
    "get_kind",
    "job_cancel",
    "job_get",
    "job_list",
    "job_start",
    "kinds_for",
    "register",
    "require_job_access",
]
