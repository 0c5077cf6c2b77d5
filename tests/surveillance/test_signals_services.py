# ruff: noqa: F811  (fixtures imported from signal_support are used as test arguments)
"""Signal services: the detection run (deadlines, idempotent storage, job reruns), conclusion, response,
escalation by hand and automatically when overdue (idempotent), history events and audit rows."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from countybridge.core import jobs
from countybridge.core.jobs.runner import execute
from countybridge.core.models import AuditEvent
from countybridge.core.services.errors import ServiceValidationError
from countybridge.surveillance import response_stats, services_signals
from countybridge.surveillance.models import Disease, Signal, SignalEvent

from .signal_support import AS_OF, DAYI, JIANYANG, add_cases, diseases, two_county_signals  # noqa: F401


def _audits(signal) -> list[dict]:
    return list(
        AuditEvent.objects.filter(object_type="surveillance.Signal", object_id=str(signal.pk))
        .order_by("pk")
        .values("action", "details", "region_code", "actor_username")
    )


def test_detection_run_stores_one_signal_per_series_with_deadline_by_method(two_county_signals):
    s = two_county_signals
    assert s["summary"]["signals_created"] == 3 and s["summary"]["signals_existing"] == 0
    assert s["summary"]["skipped_diseases"] == []  # leprosy has no method: not a series at all
    assert s["summary"]["series"] == 2 * 8  # cholera and dysentery × the eight county cities
    fixed, mpm = s["jianyang"], s["jianyang_mpm"]
    assert (fixed.method, fixed.period, fixed.observed, fixed.threshold) == ("fixed", "2026-11-20", 1.0, 0.0)
    assert fixed.deadline_at - fixed.detected_at == dt.timedelta(hours=2)
    assert mpm.method == "cidars-daily" and mpm.observed == 3.0
    assert (mpm.period_start, mpm.period_end) == (AS_OF - dt.timedelta(days=6), AS_OF)
    assert mpm.deadline_at - mpm.detected_at == dt.timedelta(hours=24)
    assert mpm.params == {"percentile": 90, "min_cases": 1, "years_back": 3}
    assert [e.kind for e in fixed.events.all()] == ["created"]
    audit = _audits(fixed)
    assert len(audit) == 1 and audit[0]["action"] == "create" and audit[0]["region_code"] == JIANYANG


def test_deadline_hours_are_settings(settings, diseases):
    settings.SURVEILLANCE_VERIFY_HOURS = 12
    settings.SURVEILLANCE_VERIFY_HOURS_BY_METHOD = {}
    add_cases(diseases["cholera"], DAYI, AS_OF)
    services_signals.detection_run(frequency="day", as_of=AS_OF)
    signal = Signal.objects.get()
    assert signal.deadline_at - signal.detected_at == dt.timedelta(hours=12)


def test_rerun_and_overlapping_backfill_add_nothing(two_county_signals):
    before = (Signal.objects.count(), SignalEvent.objects.count(), AuditEvent.objects.count())
    again = services_signals.detection_run(frequency="day", as_of=AS_OF)
    assert again["signals_created"] == 0 and again["signals_existing"] == 3
    backfill = services_signals.detection_run(frequency="day", as_of=AS_OF + dt.timedelta(days=2), periods=5)
    # the later days of the 7-day window are repeats (suppressed) and the fixed days are already stored
    assert backfill["signals_created"] == 0
    assert (Signal.objects.count(), SignalEvent.objects.count(), AuditEvent.objects.count()) == before


def test_weekly_run_stores_week_labels(diseases):
    add_cases(diseases["cholera"], JIANYANG, AS_OF)  # a Friday in ISO week 2026-W47
    add_cases(diseases["dysentery"], JIANYANG, AS_OF, 2)
    Disease.objects.create(code="ili", name_zh="流感样病例", kind="syndrome", detection_method="farrington-flexible",
                           detection_params={"alpha": 0.01, "b": 3, "w": 3})  # fmt: skip
    summary = services_signals.detection_run(frequency="week", as_of=AS_OF + dt.timedelta(days=2))
    assert summary["series"] == 3 * 8 and summary["skipped_diseases"] == []  # Farrington runs weekly
    assert summary["signals_created"] == 2  # fixed and CIDARS weekly (no ILI cases)
    weeks = set(Signal.objects.values_list("period", "period_start", "period_end", "frequency"))
    assert weeks == {("2026-W47", dt.date(2026, 11, 16), dt.date(2026, 11, 22), "week")}


def test_job_rerun_does_not_duplicate_signals(diseases, make_user, django_capture_on_commit_callbacks):
    admin = make_user("city_admin")
    add_cases(diseases["cholera"], JIANYANG, AS_OF)
    add_cases(diseases["dysentery"], DAYI, AS_OF - dt.timedelta(days=1))
    results, runs = [], []
    for _ in range(2):
        run = jobs.job_start(actor=admin, kind="surveillance.detect", enqueue=False,
                             params={"frequency": "day", "as_of": AS_OF.isoformat(), "periods": 3})  # fmt: skip
        run = execute(run.pk)
        assert run.status == "succeeded", run.error
        assert run.progress == 100
        results.append(run.result)
        runs.append(str(run.pk))
    assert results[0]["signals_created"] == 2 and results[1]["signals_created"] == 0
    assert results[1]["signals_existing"] == 2
    assert Signal.objects.count() == 2
    assert set(Signal.objects.values_list("job_id", flat=True)) == {runs[0]}


def test_job_refuses_other_departments(diseases, make_user):
    run = jobs.job_start(actor=make_user("department_officer", domain="education"), kind="surveillance.detect",
                         params={"as_of": AS_OF.isoformat()}, enqueue=False)  # fmt: skip
    run = execute(run.pk)
    assert run.status == "failed"
    assert Signal.objects.count() == 0


def test_bad_run_parameters_are_refused_in_both_languages(diseases):
    for kwargs, field in (({"frequency": "month"}, "frequency"), ({"periods": 0}, "periods")):
        with pytest.raises(ServiceValidationError) as err:
            services_signals.detection_run(as_of=AS_OF, **kwargs)
        problem = err.value.problems[0]
        assert problem.field == field and problem.message_zh and problem.message_en
    assert Signal.objects.count() == 0


def test_county_officer_concludes_own_signal_with_history_and_audit(two_county_signals, make_user):
    officer = make_user("county_officer", county=DAYI)
    signal = services_signals.signal_conclude(actor=officer, signal=two_county_signals["dayi"],
                                              conclusion="verified", note="两例同餐")  # fmt: skip
    assert signal.status == "verified" and signal.verified_by == officer and signal.verified_at
    event = signal.events.last()
    assert (event.kind, event.from_status, event.to_status, event.actor) == (
        "verified",
        "pending",
        "verified",
        officer,
    )
    audit = _audits(signal)[-1]
    assert audit["action"] == "update" and audit["details"]["status"] == "verified"
    assert audit["details"]["within_deadline"] is True and audit["actor_username"] == officer.username
    # concluded once only
    with pytest.raises(ServiceValidationError) as err:
        services_signals.signal_conclude(actor=officer, signal=signal, conclusion="false_alarm", note="x")
    assert err.value.problems[0].code == "already_concluded"
    assert Signal.objects.get(pk=signal.pk).status == "verified"


def test_false_alarm_needs_a_note_and_bad_conclusion_is_refused(two_county_signals, make_user):
    officer = make_user("county_officer", county=JIANYANG)
    signal = two_county_signals["jianyang"]
    for conclusion, note, code in (("false_alarm", "  ", "required"), ("maybe", "x", "choice")):
        with pytest.raises(ServiceValidationError) as err:
            services_signals.signal_conclude(actor=officer, signal=signal, conclusion=conclusion, note=note)
        assert err.value.problems[0].code == code
        assert err.value.problems[0].message_zh and err.value.problems[0].message_en
    signal.refresh_from_db()
    assert signal.status == "pending" and signal.events.count() == 1 and len(_audits(signal)) == 1
    done = services_signals.signal_conclude(
        actor=officer, signal=signal, conclusion="false_alarm", note="重复报告"
    )
    assert done.status == "false_alarm"


def test_other_county_and_other_roles_cannot_act(two_county_signals, make_user):
    jianyang_signal = two_county_signals["jianyang"]
    refused = [
        make_user("county_officer", county=DAYI),
        make_user("department_officer", domain="health"),  # reads signals, does not act
        make_user("department_officer", domain="education"),
        make_user("institution_staff", organisation=jianyang_signal.region.organisations.first()),
        make_user("auditor"),
        make_user("public"),
    ]
    for user in refused:
        with pytest.raises(PermissionDenied):
            services_signals.signal_conclude(actor=user, signal=jianyang_signal, conclusion="verified")
        with pytest.raises(PermissionDenied):
            services_signals.signal_escalate(actor=user, signal=jianyang_signal, reason="x")
        with pytest.raises(PermissionDenied):
            services_signals.signal_record_response(actor=user, signal=jianyang_signal, measures="x")
    jianyang_signal.refresh_from_db()
    assert jianyang_signal.status == "pending" and jianyang_signal.level == "county"
    assert jianyang_signal.events.count() == 1
    cdc = make_user("department_officer", domain="cdc")
    assert services_signals.signal_escalate(actor=cdc, signal=jianyang_signal, reason="跨县").level == "city"


def test_response_and_escalation(two_county_signals, make_user):
    officer = make_user("county_officer", county=JIANYANG)
    signal = two_county_signals["jianyang_mpm"]
    signal = services_signals.signal_record_response(actor=officer, signal=signal, investigation="走访学校")
    signal = services_signals.signal_record_response(actor=officer, signal=signal, measures="消毒、停课")
    assert (signal.investigation, signal.measures) == ("走访学校", "消毒、停课")
    with pytest.raises(ServiceValidationError):
        services_signals.signal_record_response(actor=officer, signal=signal)
    with pytest.raises(ServiceValidationError) as err:
        services_signals.signal_escalate(actor=officer, signal=signal, reason="")
    assert err.value.problems[0].field == "reason"
    signal = services_signals.signal_escalate(actor=officer, signal=signal, reason="疫情扩散")
    assert signal.level == "city" and signal.escalated_by == officer and not signal.auto_escalated
    with pytest.raises(ServiceValidationError) as err:
        services_signals.signal_escalate(actor=officer, signal=signal, reason="again")
    assert err.value.problems[0].code == "already_escalated"
    kinds = list(signal.events.values_list("kind", flat=True))
    # the detection run's second stage (space-time scan of a new MPM signal) is in the history too
    assert kinds == ["created", "spatial_scan", "investigation", "measures", "escalated"]
    assert [a["details"]["signal"] for a in _audits(signal)] == [
        "detected",
        "spatial_scan",
        "response",
        "response",
        "escalate",
    ]


def test_overdue_signals_escalate_automatically_once(two_county_signals, make_user):
    officer = make_user("county_officer", county=JIANYANG)
    services_signals.signal_conclude(
        actor=officer, signal=two_county_signals["jianyang_mpm"], conclusion="verified"
    )
    # fixed signals are due in 2 h, the CIDARS one in 24 h (and concluded)
    assert services_signals.signals_escalate_overdue(now=timezone.now() + dt.timedelta(hours=1)) == 0
    later = timezone.now() + dt.timedelta(hours=3)
    assert services_signals.signals_escalate_overdue(now=later) == 2
    assert services_signals.signals_escalate_overdue(now=later + dt.timedelta(days=2)) == 0
    for key in ("jianyang", "dayi"):
        signal = Signal.objects.get(pk=two_county_signals[key].pk)
        assert signal.level == "city" and signal.auto_escalated and signal.status == "pending"
        assert list(signal.events.values_list("kind", flat=True)) == ["created", "auto_escalated"]
        assert _audits(signal)[-1]["details"]["signal"] == "auto_escalate"
    assert Signal.objects.get(pk=two_county_signals["jianyang_mpm"].pk).level == "county"


def test_escalate_job(two_county_signals, make_user):
    Signal.objects.update(deadline_at=timezone.now() - dt.timedelta(minutes=1))
    admin = make_user("city_admin")
    first = execute(jobs.job_start(actor=admin, kind="surveillance.escalate", enqueue=False).pk)
    second = execute(jobs.job_start(actor=admin, kind="surveillance.escalate", enqueue=False).pk)
    assert (first.result, second.result) == ({"escalated": 3}, {"escalated": 0})


@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_store_each_signal_once(regions_loaded):
    """Two detection runs at the same time (a manual run during the nightly one) store each signal once,
    each with one 'created' event: the unique constraint plus the per-call token."""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    cholera = Disease.objects.create(code="cholera", name_zh="霍乱", kind="notifiable", detection_method="fixed",
                                     detection_params={"threshold": 1})  # fmt: skip
    for county in (JIANYANG, DAYI):
        for offset in range(5):
            add_cases(cholera, county, AS_OF - dt.timedelta(days=offset))
    barrier, created, errors = threading.Barrier(4), [], []

    def go():
        try:
            barrier.wait()
            created.append(services_signals.detection_run(as_of=AS_OF, periods=5)["signals_created"])
        except Exception as exc:  # noqa: BLE001 — the test reports any failure of a run
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=go) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sum(created) == Signal.objects.count() == 10
    assert SignalEvent.objects.filter(kind="created").count() == 10


def test_verification_figures():
    t0 = dt.datetime(2026, 1, 1, 8, tzinfo=dt.UTC)
    h = dt.timedelta(hours=1)
    rows = [
        response_stats.SignalTiming(t0, t0 + 24 * h, t0 + 1 * h),
        response_stats.SignalTiming(t0, t0 + 24 * h, t0 + 3 * h),
        response_stats.SignalTiming(t0, t0 + 2 * h, t0 + 5 * h),  # late
        response_stats.SignalTiming(t0, t0 + 2 * h, None),  # overdue
        response_stats.SignalTiming(t0, t0 + 48 * h, None),  # pending, not yet due
    ]
    fig = response_stats.verification_figures(rows, now=t0 + 10 * h)
    assert (fig.signals, fig.concluded, fig.pending, fig.overdue) == (5, 3, 2, 1)
    assert fig.median_hours == 3.0 and fig.p90_hours == pytest.approx(4.6)
    assert fig.share_within_deadline == 0.5  # 2 in time out of 3 concluded + 1 overdue
    empty = response_stats.verification_figures([], now=t0)
    assert empty.median_hours is None and empty.share_within_deadline is None


def test_week_labels():
    assert response_stats.week_label(dt.date(2020, 12, 28)) == "2020-W53"
    assert response_stats.last_full_week_monday(dt.date(2026, 11, 22)) == dt.date(2026, 11, 16)  # Sunday
    assert response_stats.last_full_week_monday(dt.date(2026, 11, 20)) == dt.date(2026, 11, 9)
