"""The one queue task: it runs a JobRun by id. Every job kind goes through it, so progress,
cancellation and results work the same for all of them."""

from django_tasks import task

from .runner import execute


@task()
def run_job(job_id: str) -> str:
    run = execute(job_id, reraise=True)
    return run.status if run is not None else "skipped"
