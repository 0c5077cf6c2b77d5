"""`countybridge jobs …` in this process: run with progress, bad parameters, Ctrl-C, start, list, cancel.
The same commands in real processes (signals, a separate worker, `serve`) are in test_jobs_processes.py."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from countybridge.core.models import AuditEvent, JobRun, Organisation

from .test_jobs import JIANYANG  # noqa: F401  (importing registers the test.* job kinds)

pytestmark = pytest.mark.django_db


def jobs_cmd(*args) -> str:
    out = io.StringIO()
    call_command("jobs", *args, stdout=out)
    return out.getvalue()


def test_kinds_lists_parameters():
    out = jobs_cmd("kinds")
    assert "core.registry_integrity" in out and "county:county" in out and "seconds:int=5" in out


def test_run_in_the_foreground_stores_the_result(make_org):
    make_org(JIANYANG)
    out = jobs_cmd(
        "run", "core.registry_integrity", "--param", f"county={JIANYANG}", "--param", "include_people=no"
    )
    run = JobRun.objects.get()
    assert run.status == JobRun.Status.SUCCEEDED and run.created_by is None and run.region.code == JIANYANG
    assert run.result["totals"]["organisations"] == 1 and f"{run.pk}: succeeded" in out
    assert AuditEvent.objects.filter(object_id=str(run.pk), actor_username="").count() == 2  # start, finish


def test_run_as_a_user_applies_that_users_rights(make_user):
    officer = make_user("county_officer", county=JIANYANG).username
    with pytest.raises(CommandError, match="only for their own county"):
        jobs_cmd("run", "core.registry_integrity", "--param", "county=510129", "--user", officer)
    with pytest.raises(CommandError, match="Not allowed"):
        jobs_cmd("run", "core.worker_check", "--user", officer)
    with pytest.raises(CommandError, match="No active user"):
        jobs_cmd("run", "core.worker_check", "--user", "nobody")
    assert not JobRun.objects.exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--param", "seconds"], "--param must be name=value"),
        (["--param", "seconds=a"], "must be a whole number"),
        (["--param", "secs=1"], "Unknown parameter secs"),
        (["--param", "seconds=99999"], "between 0 and 3600"),
    ],
)
def test_bad_parameters_are_explained_in_both_languages(args, message):
    with pytest.raises(CommandError) as exc:
        jobs_cmd("run", "core.worker_check", *args)
    assert message in str(exc.value) and any("\u4e00" <= ch <= "\u9fff" for ch in str(exc.value))
    assert not JobRun.objects.exists()


def test_unknown_kind_is_refused():
    with pytest.raises(CommandError, match="Unknown job kind"):
        jobs_cmd("run", "core.nope")


def test_ctrl_c_cancels_the_run_and_leaves_nothing_half_written():
    with pytest.raises(CommandError) as exc:
        jobs_cmd("run", "test.interrupt_after_write", "--param", f"county={JIANYANG}")
    assert exc.value.returncode == 130 and "Cancelled" in str(exc.value)
    run = JobRun.objects.get()
    assert run.status == JobRun.Status.CANCELLED
    assert not Organisation.objects.filter(name="half-written").exists()


def test_a_failed_run_exits_non_zero_with_its_error():
    with pytest.raises(CommandError) as exc:
        jobs_cmd("run", "test.fail")
    assert exc.value.returncode == 1 and "boom" in str(exc.value)


def test_start_list_show_cancel(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        out = jobs_cmd("start", "core.worker_check", "--param", "seconds=60")
    run = JobRun.objects.get()
    assert out.strip() == f"queued core.worker_check {run.pk}" and run.task_result_id
    assert str(run.pk) in jobs_cmd("list") and str(run.pk) in jobs_cmd("list", "--status", "queued")
    assert str(run.pk) not in jobs_cmd("list", "--status", "running")
    assert "queued" in jobs_cmd("show", str(run.pk))
    assert jobs_cmd("cancel", str(run.pk)).startswith("cancelled")
    with pytest.raises(CommandError, match="already finished"):
        jobs_cmd("cancel", str(run.pk))
    with pytest.raises(CommandError, match="No job"):
        jobs_cmd("show", "not-an-id")


def test_operator_can_force_cancel_a_run_whose_worker_died(make_user):
    run = JobRun.objects.create(kind="core.worker_check", params={}, status="running")
    assert jobs_cmd("cancel", str(run.pk)).startswith("running")  # asked to stop; nobody will answer
    with pytest.raises(CommandError, match="Not allowed"):
        jobs_cmd("cancel", str(run.pk), "--force", "--user", make_user("city_admin").username)
    assert jobs_cmd("cancel", str(run.pk), "--force").startswith("cancelled")
    run.refresh_from_db()
    assert run.status == JobRun.Status.CANCELLED and "by force" in run.error
