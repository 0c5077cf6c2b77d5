"""`countybridge jobs …`: background jobs from the operator's shell.

  jobs kinds                               the kinds and their parameters
  jobs run <kind> [--param k=v …]          run in the foreground with a progress bar; Ctrl-C cancels
  jobs start <kind> [--param k=v …]        queue for a worker (`countybridge db_worker`)
  jobs list [--status S] [--limit N]       recent runs
  jobs show <id> / jobs cancel <id>
  jobs worker [--exit-with-parent]         a db_worker that stops when its parent (`serve`) dies

Without --user a command acts as the operator (no user: whole database, audited as such); with
--user NAME it acts as that account, with its role and scope.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import threading
import time

from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from rich.console import Console
from rich.table import Table

from ... import jobs
from ...cli_progress import ProgressDisplay
from ...jobs.heartbeat import reap_stale
from ...jobs.runner import execute
from ...models import JobRun, User
from ...services.errors import ServiceValidationError


def _params(pairs: list[str] | None) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise CommandError(f"参数应写作 名称=值:{pair!r} / --param must be name=value: {pair!r}")
        params[key.strip()] = value
    return params


def _problems(exc: ServiceValidationError) -> str:
    return "\n".join(f"  {p.field}: {p.message_zh} / {p.message_en}" for p in exc.problems)


class Command(BaseCommand):
    help = "Background jobs: list kinds, run one in the foreground, queue, list, show, cancel; run a worker."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("kinds", help="list job kinds and their parameters")
        for name, text in (
            ("run", "run a job in the foreground (Ctrl-C cancels it)"),
            ("start", "queue a job for a worker"),
        ):
            p = sub.add_parser(name, help=text)
            p.add_argument("kind")
            p.add_argument(
                "--param", action="append", metavar="NAME=VALUE", help="a job parameter (repeatable)"
            )
            p.add_argument("--user", help="act as this account (default: the operator, whole database)")
        p = sub.add_parser("list", help="recent runs")
        p.add_argument("--status", choices=JobRun.Status.values)
        p.add_argument("--limit", type=int, default=20)
        p = sub.add_parser("show", help="one run with its result")
        p.add_argument("job_id")
        p = sub.add_parser("cancel", help="cancel a queued run, or ask a running one to stop")
        p.add_argument("job_id")
        p.add_argument("--user")
        p.add_argument(
            "--force",
            action="store_true",
            help="mark a running run cancelled now (its worker died and will never report again)",
        )
        p = sub.add_parser("reap", help="mark running jobs whose worker died (no heartbeat) as failed")
        p.add_argument("--minutes", type=float, default=10.0, help="silence that counts as a dead worker")
        p = sub.add_parser("worker", help="run a database task worker (what `serve` starts)")
        p.add_argument("--interval", type=float, default=1.0)
        p.add_argument("--queue-name", default="default")
        p.add_argument("--batch", action="store_true", help="process what is queued, then exit")
        p.add_argument("--max-tasks", type=int)
        p.add_argument(
            "--exit-with-parent",
            action="store_true",
            help="stop gracefully when the parent process (countybridge serve) goes away",
        )

    def handle(self, *args, action: str, **options):
        # a pipe or a log file gets wide lines rather than rich's 80-column default
        width = None if self.stdout.isatty() else 200
        self.console = Console(file=self.stdout, width=width, soft_wrap=True, highlight=False)
        return getattr(self, f"_{action}")(**options)

    # ---------------------------------------------------------------- helpers

    def _actor(self, username: str | None):
        if not username:
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"没有这个用户:{username} / No active user {username}")
        return user

    def _run_obj(self, job_id: str) -> JobRun:
        run = (
            JobRun.objects.select_related("created_by", "region").filter(pk=job_id).first()
            if _is_uuid(job_id)
            else None
        )
        if run is None:
            raise CommandError(f"没有这个任务:{job_id} / No job {job_id}")
        return run

    def _create(self, kind: str, options, *, enqueue: bool) -> JobRun:
        try:
            return jobs.job_start(
                actor=self._actor(options.get("user")),
                kind=kind,
                params=_params(options.get("param")),
                enqueue=enqueue,
            )
        except ServiceValidationError as exc:
            raise CommandError("参数有误 / Invalid input:\n" + _problems(exc)) from None
        except PermissionDenied as exc:
            raise CommandError(f"无权运行此任务 / Not allowed: {exc}") from None

    # ---------------------------------------------------------------- actions

    def _kinds(self, **options):
        table = Table("kind", "title", "parameters", "roles")
        for kind in jobs.all_kinds():
            params = ", ".join(
                f"{p.name}:{p.type}"
                + ("*" if p.required else f"={p.default}" if p.default is not None else "")
                for p in kind.params
            )
            table.add_row(kind.name, str(kind.title), params or "—", ", ".join(sorted(kind.roles)))
        self.console.print(table)

    def _run(self, kind: str, **options):
        run = self._create(kind, options, enqueue=False)
        title = str(jobs.get_kind(run.kind).title)
        self.console.print(f"{run.kind} {run.pk}")
        try:
            with ProgressDisplay(title, translate=_) as display:
                execute(run.pk, on_progress=display.update)
        except KeyboardInterrupt:
            # the runner has already marked the run cancelled and its transactions rolled back
            raise CommandError(f"已取消 / Cancelled: {run.pk}", returncode=130) from None
        run.refresh_from_db()
        self._print_run(run)
        if run.status != JobRun.Status.SUCCEEDED:
            raise CommandError(f"{run.get_status_display()}: {run.error}", returncode=1)

    def _start(self, kind: str, **options):
        run = self._create(kind, options, enqueue=True)
        self.console.print(f"queued {run.kind} {run.pk}")

    def _list(self, status=None, limit=20, **options):
        runs = JobRun.objects.select_related("created_by", "region")
        if status:
            runs = runs.filter(status=status)
        table = Table("id", "kind", "status", "progress", "stage", "county", "by", "created")
        for run in runs[: max(1, limit)]:
            table.add_row(
                str(run.pk),
                run.kind,
                run.status,
                f"{run.progress:.0f}%",
                run.stage,
                run.region.code if run.region_id else "",
                run.created_by.username if run.created_by_id else "",
                f"{timezone.localtime(run.created_at):%Y-%m-%d %H:%M:%S}",
            )
        self.console.print(table)

    def _show(self, job_id: str, **options):
        self._print_run(self._run_obj(job_id))

    def _cancel(self, job_id: str, **options):
        run = self._run_obj(job_id)
        try:
            run = jobs.job_cancel(
                actor=self._actor(options.get("user")), job=run, force=bool(options.get("force"))
            )
        except ServiceValidationError as exc:
            raise CommandError(_problems(exc)) from None
        except PermissionDenied as exc:
            raise CommandError(f"无权取消此任务 / Not allowed: {exc}") from None
        self.console.print(
            f"{run.status} {run.pk}" + (" (cancel requested)" if run.status == "running" else "")
        )

    def _print_run(self, run: JobRun) -> None:
        self.console.print(f"{run.kind} {run.pk}: {run.status} {run.progress:.0f}% {run.stage}")
        if run.error:
            self.console.print(f"error: {run.error}")
        if run.result is not None:
            self.console.print(json.dumps(run.result, ensure_ascii=False, indent=2))

    def _reap(self, minutes: float = 10.0, **options):
        count = reap_stale(dt.timedelta(minutes=minutes))
        self.console.print(f"runs without a worker marked failed / 无工作进程的任务已标记为失败: {count}")

    def _worker(self, interval, queue_name, batch, max_tasks, exit_with_parent, **options):
        reap_stale()  # runs left 'running' by a worker that died
        if exit_with_parent:
            threading.Thread(target=_stop_when_orphaned, args=(os.getppid(),), daemon=True).start()
        call_command(
            "db_worker",
            interval=interval,
            queue_name=queue_name,
            batch=batch,
            max_tasks=max_tasks,
            reload=False,
            startup_delay=False,
            verbosity=options.get("verbosity", 1),
        )


def _is_uuid(text: str) -> bool:
    import uuid

    try:
        uuid.UUID(str(text))
    except ValueError:
        return False
    return True


def _stop_when_orphaned(parent: int) -> None:
    """If `serve` dies without stopping us (SIGKILL, os._exit), stop like on Ctrl-C: finish the current
    task, then exit; a second signal after 30 s interrupts a task that does not end."""
    while os.getppid() == parent:
        time.sleep(1)
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(30)
    os.kill(os.getpid(), signal.SIGTERM)
