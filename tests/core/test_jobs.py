"""Background jobs: parameters, start and cancel services, progress and stage, failure, interruption,
scope, the integrity job, and a queued run processed by the worker's loop in this process."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_noop

from countybridge.core import jobs
from countybridge.core.jobs import context as job_context
from countybridge.core.jobs.registry import Param, clean_params, get_kind
from countybridge.core.jobs.runner import execute
from countybridge.core.models import AuditEvent, JobRun, Organisation, Person, Region
from countybridge.core.services.errors import ServiceValidationError

pytestmark = pytest.mark.django_db

JIANYANG, DAYI = "510185", "510129"


# ---------------------------------------------------------------- kinds used only by these tests


@jobs.register(
    "test.steps",
    title="Steps",
    params=[Param("steps", "int", default=3, min=1, max=1000)],
    roles={"city_admin", "department_officer", "county_officer"},
)
def steps_job(job, steps=3):
    for i in range(steps):
        job.progress(100 * i / steps, gettext_noop("Step"))
    return {"steps": steps}


@jobs.register("test.observe", title="Observe")
def observe_job(job):
    """Reports progress, then reads back what another process would see."""
    job.progress(50, "Half way")
    row = JobRun.objects.get(pk=job.run.pk)
    return {"progress": row.progress, "stage": row.stage, "status": row.status}


@jobs.register("test.fail", title="Fail")
def fail_job(job):
    job.progress(40, "Before the failure")
    raise ValueError("boom 坏了")


@jobs.register("test.cancel_midway", title="Cancel midway")
def cancel_midway_job(job):
    job.progress(10, "First")
    jobs.job_cancel(actor=None, job=job.run)  # as if someone pressed "cancel" while it runs
    job.progress(20, "Second")  # the cancellation point
    raise AssertionError("not reached")


@jobs.register(
    "test.interrupt_after_write",
    title="Interrupted write",
    params=[Param("county", "county")],
    region_param="county",
)
def interrupt_job(job, county=JIANYANG):
    with transaction.atomic():
        Organisation.objects.create(
            kind="employer", name="half-written", region=Region.objects.get(code=county)
        )
        raise KeyboardInterrupt  # Ctrl-C in the middle of the job's transaction


def start(kind="test.steps", actor=None, **params):
    return jobs.job_start(actor=actor, kind=kind, params=params, enqueue=False)


# ---------------------------------------------------------------- parameters


def test_parameters_are_typed_and_unknown_ones_refused():
    kind = get_kind("core.registry_integrity")
    clean, problems = clean_params(kind, {"county": " 510185 ", "include_people": "no"})
    assert clean == {"county": "510185", "include_people": False} and not problems
    _, problems = clean_params(kind, {"countyy": "510185", "include_people": "maybe", "county": "512081"})
    by_field = {p.field: p for p in problems}
    assert set(by_field) == {"params.countyy", "params.include_people", "params.county"}
    assert by_field["params.countyy"].code == "unknown_param"
    assert by_field["params.county"].code == "region"  # 512081 is 简阳's former code: not current
    assert all(p.message_zh and p.message_en for p in problems)
    _, problems = clean_params(get_kind("test.steps"), {"steps": "0"})
    assert problems[0].code == "range" and "1" in problems[0].message_en
    _, problems = clean_params(get_kind("test.steps"), {"steps": "2.5"})
    assert problems[0].code == "type"


def test_bad_params_are_refused_and_nothing_is_saved(make_user):
    admin = make_user("city_admin")
    before = (JobRun.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ServiceValidationError) as exc:
        jobs.job_start(actor=admin, kind="core.registry_integrity", params={"county": "999999", "x": 1})
    assert {p.field for p in exc.value.problems} == {"params.county", "params.x"}
    with pytest.raises(ServiceValidationError) as exc:
        jobs.job_start(actor=admin, kind="core.no_such_kind", params={})
    assert exc.value.problems[0].code == "unknown_kind"
    assert (JobRun.objects.count(), AuditEvent.objects.count()) == before


def test_roles_that_may_not_start_a_kind_are_refused(make_user, make_org):
    for user in (
        make_user("auditor"),
        make_user("public"),
        make_user("institution_staff", organisation=make_org(JIANYANG)),
    ):
        with pytest.raises(PermissionDenied):
            jobs.job_start(actor=user, kind="core.registry_integrity", params={})
    with pytest.raises(PermissionDenied):
        jobs.job_start(
            actor=make_user("county_officer", county=JIANYANG), kind="core.worker_check", params={}
        )
    assert not JobRun.objects.exists()


def test_county_officer_runs_only_for_own_county(make_user):
    officer = make_user("county_officer", county=JIANYANG)
    run = jobs.job_start(actor=officer, kind="core.registry_integrity", params={})
    assert run.params["county"] == JIANYANG and run.region.code == JIANYANG
    with pytest.raises(ServiceValidationError) as exc:
        jobs.job_start(actor=officer, kind="core.registry_integrity", params={"county": DAYI})
    assert exc.value.problems[0].code == "scope"


# ---------------------------------------------------------------- start, queue, run


def test_start_is_audited_and_queued_when_the_transaction_commits(
    make_user, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    admin = make_user("city_admin")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = jobs.job_start(actor=admin, kind="test.steps", params={"steps": "5"})
    assert len(callbacks) == 1
    run.refresh_from_db()
    assert run.status == JobRun.Status.QUEUED and run.params == {"steps": 5}
    task = DBTaskResult.objects.get(pk=run.task_result_id)
    assert task.status == "READY" and task.args_kwargs["args"] == [str(run.pk)]
    event = AuditEvent.objects.get(action="job", object_id=str(run.pk))
    assert event.actor == admin and event.details["event"] == "start"


def test_progress_and_stage_are_written_and_the_result_stored(monkeypatch):
    run = start("test.observe")
    seen = []
    execute(run.pk, on_progress=lambda percent, stage: seen.append((percent, stage)))
    run.refresh_from_db()
    assert run.status == JobRun.Status.SUCCEEDED and run.progress == 100
    assert run.result == {"progress": 50.0, "stage": "Half way", "status": "running"}
    assert seen[0] == (50.0, "Half way") and seen[-1][0] == 100.0
    assert run.started_at <= run.finished_at
    assert AuditEvent.objects.filter(object_id=str(run.pk), details__event="finished").exists()


def test_progress_writes_are_throttled_but_stage_changes_are_not():
    run = start("test.steps")
    JobRun.objects.filter(pk=run.pk).update(status="running")
    job = job_context.JobContext(run, min_interval=60)
    for i in range(1000):
        job.progress(i / 10)
    assert job.writes == 1  # the first call only; the next would be due in a minute
    job.progress(50, "Another stage")
    assert job.writes == 2
    run.refresh_from_db()
    assert (run.progress, run.stage) == (50, "Another stage")


def test_cancelling_a_queued_job_stops_it_before_it_runs(make_user):
    admin = make_user("city_admin")
    run = jobs.job_start(actor=admin, kind="test.steps", params={}, enqueue=False)
    cancelled = jobs.job_cancel(actor=admin, job=run)
    assert cancelled.status == JobRun.Status.CANCELLED and cancelled.finished_at is not None
    assert execute(run.pk) is None  # a worker that picks up its task finds nothing to do
    run.refresh_from_db()
    assert run.status == JobRun.Status.CANCELLED and run.started_at is None
    with pytest.raises(ServiceValidationError) as exc:
        jobs.job_cancel(actor=admin, job=run)
    assert exc.value.problems[0].code == "finished"


def test_cancelling_a_running_job_stops_it_at_the_next_progress_report():
    run = start("test.cancel_midway")
    execute(run.pk)
    run.refresh_from_db()
    assert run.status == JobRun.Status.CANCELLED and run.cancel_requested
    assert (run.progress, run.stage) == (20, "Second") and run.result is None and not run.error


def test_a_failing_job_records_its_error():
    run = start("test.fail")
    execute(run.pk)
    run.refresh_from_db()
    assert run.status == JobRun.Status.FAILED and run.error == "ValueError: boom 坏了"
    assert run.progress == 40 and run.finished_at
    with pytest.raises(ValueError):  # workers re-raise so the queue keeps the traceback
        execute(start("test.fail").pk, reraise=True)


def test_ctrl_c_marks_the_run_cancelled_and_rolls_back_its_writes():
    run = start("test.interrupt_after_write", county=JIANYANG)
    with pytest.raises(KeyboardInterrupt):
        execute(run.pk)
    run.refresh_from_db()
    assert run.status == JobRun.Status.CANCELLED and "Interrupted" in run.error
    assert not Organisation.objects.filter(name="half-written").exists()


def test_unknown_kind_in_the_table_fails_cleanly():
    run = JobRun.objects.create(kind="gone.kind", params={})
    execute(run.pk)
    run.refresh_from_db()
    assert run.status == JobRun.Status.FAILED and "gone.kind" in run.error


# ---------------------------------------------------------------- scope


def test_who_sees_which_runs(make_user, make_org):
    admin = make_user("city_admin")
    jianyang, dayi = make_user("county_officer", county=JIANYANG), make_user("county_officer", county=DAYI)
    dept, other_dept = (
        make_user("department_officer", domain="health"),
        make_user("department_officer", domain="hr"),
    )
    staff = make_user("institution_staff", organisation=make_org(JIANYANG))
    by_admin_for_jianyang = start("core.registry_integrity", actor=admin, county=JIANYANG)
    by_officer = start("core.registry_integrity", actor=jianyang)
    by_dept = start("test.steps", actor=dept)

    def visible(user):
        return set(jobs.job_list(user=user).values_list("pk", flat=True))

    assert visible(admin) == {by_admin_for_jianyang.pk, by_officer.pk, by_dept.pk}
    assert visible(jianyang) == {by_admin_for_jianyang.pk, by_officer.pk}
    assert visible(dayi) == set()
    assert visible(dept) == {by_dept.pk} and visible(other_dept) == set() and visible(staff) == set()
    for user in (make_user("auditor"), make_user("public")):
        assert visible(user) == set()
    with pytest.raises(PermissionDenied):
        jobs.job_cancel(actor=dayi, job=by_officer)
    jobs.job_cancel(actor=jianyang, job=by_admin_for_jianyang)  # their county's run


# ---------------------------------------------------------------- the integrity job


def _flip(code: str) -> str:
    """The same code with a wrong last character."""
    return code[:-1] + ("0" if code[-1] != "0" else "1")


def _seed_registry(make_org, make_person):
    from countybridge.core import crypto
    from countybridge.core.identifiers import make_credit_code

    make_org(JIANYANG, credit_code=make_credit_code("91510185MA6CX8KW8"))  # valid
    make_org(JIANYANG, credit_code=_flip(make_credit_code("91510185MA6CX8KW9")))  # stored by an old import
    make_org(JIANYANG)  # no code
    make_org(DAYI, credit_code=make_credit_code("12510129MB0123456"))
    ok = make_person(JIANYANG)
    tampered = make_person(JIANYANG, name="李四")
    Person.objects.filter(pk=tampered.pk).update(id_number_masked="510185********0000")
    broken = make_person(DAYI, name="王五")
    Person.objects.filter(pk=broken.pk).update(id_number_encrypted=crypto.encrypt("x")[:-6] + "AAAAAA")
    return ok, tampered, broken


def test_registry_integrity_counts_problems_per_county(make_org, make_person):
    _, tampered, broken = _seed_registry(make_org, make_person)
    run = start("core.registry_integrity")
    stages = []
    execute(run.pk, on_progress=lambda p, s: stages.append(s) if not stages or stages[-1] != s else None)
    run.refresh_from_db()
    assert run.status == JobRun.Status.SUCCEEDED, run.error
    counties = {c["code"]: c for c in run.result["counties"]}
    jy = counties[JIANYANG]
    assert (jy["organisations"], jy["organisations_without_code"], jy["organisations_with_problems"]) == (
        3,
        1,
        1,
    )
    assert (jy["people"], jy["people_with_problems"]) == (2, 1)
    assert jy["problems"] == {"mask_mismatch": 1, "uscc_checksum": 1}
    assert {"type": "person", "id": tampered.pk, "problem": "mask_mismatch"} in jy["samples"]
    assert counties[DAYI]["problems"].get("undecryptable") == 1
    assert counties[DAYI]["organisations_with_problems"] == 0
    assert {"type": "person", "id": broken.pk, "problem": "undecryptable"} in counties[DAYI]["samples"]
    assert run.result["totals"]["people"] == 3
    assert stages[:3] == [
        "Counting records",
        "Checking organisations' credit codes",
        "Decrypting and checking people's documents",
    ]
    # the result never carries an identifier
    assert "510185" not in str([s for c in run.result["counties"] for s in c["samples"]])


def test_registry_integrity_respects_the_starters_scope(make_user, make_org, make_person):
    _seed_registry(make_org, make_person)
    run = jobs.job_start(
        actor=make_user("county_officer", county=DAYI),
        kind="core.registry_integrity",
        params={"include_people": False},
        enqueue=False,
    )
    execute(run.pk)
    run.refresh_from_db()
    assert [c["code"] for c in run.result["counties"]] == [DAYI]
    assert run.result["totals"]["people"] == 0 and run.result["totals"]["organisations"] == 1


def test_integrity_rules_without_a_database():
    from countybridge.core.identifiers import make_credit_code, make_resident_id, mask_id
    from countybridge.core.jobs.integrity_checks import credit_code_problem, document_problem

    good = make_credit_code("91510185MA6CX8KW8")
    assert credit_code_problem(good) is None and credit_code_problem(None) is None
    assert credit_code_problem(_flip(good)) == "uscc_checksum"
    import datetime as dt

    number = make_resident_id(JIANYANG, dt.date(1990, 5, 1), 11)
    kwargs = {"id_type": "resident_id", "stored_masked": mask_id(number), "hash_matches": True}
    assert document_problem(number=number, **kwargs) is None
    assert document_problem(number=None, **kwargs) == "undecryptable"
    assert document_problem(number=_flip(number), **kwargs) == "id_checksum"
    assert document_problem(number=number, **{**kwargs, "hash_matches": False}) == "hash_mismatch"
    assert (
        document_problem(number="E1234567", id_type="passport", stored_masked="********", hash_matches=True)
        is None
    )


# ---------------------------------------------------------------- the worker's loop, in this process


def test_a_queued_run_is_processed_by_the_worker_loop(
    make_user, django_capture_on_commit_callbacks, monkeypatch
):
    """The worker's own loop (django_tasks_db), run here; test_jobs_processes.py does it in another process.
    Its connection housekeeping would drop the test's transaction, so only that is switched off."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    with django_capture_on_commit_callbacks(execute=True):
        run = jobs.job_start(actor=make_user("city_admin"), kind="test.steps", params={"steps": 4})
    worker = db_worker.Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    worker.run()
    run.refresh_from_db()
    assert run.status == JobRun.Status.SUCCEEDED and run.result == {"steps": 4}
