"""A run whose worker died (no heartbeat) is marked failed instead of showing 'running' forever."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from countybridge.core.jobs.heartbeat import LOST_WORKER_ERROR, heartbeat, reap_stale
from countybridge.core.models import AuditEvent, JobRun

pytestmark = pytest.mark.django_db


def _running(minutes_ago: float, *, beat: bool = True) -> JobRun:
    seen = timezone.now() - dt.timedelta(minutes=minutes_ago)
    return JobRun.objects.create(
        kind="core.registry_integrity",
        status=JobRun.Status.RUNNING,
        started_at=seen,
        heartbeat_at=seen if beat else None,
    )


def test_silent_run_is_reaped_and_audited_live_one_is_not():
    dead = _running(30)
    dead_never_beat = _running(30, beat=False)
    alive = _running(1)
    assert reap_stale(dt.timedelta(minutes=10)) == 2
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == "failed" and dead.error == LOST_WORKER_ERROR and dead.finished_at
    assert JobRun.objects.get(pk=dead_never_beat.pk).status == "failed"
    assert alive.status == "running"
    assert AuditEvent.objects.filter(object_id=str(dead.pk), details__event="reaped").exists()
    assert reap_stale(dt.timedelta(minutes=10)) == 0  # idempotent


def test_heartbeat_context_updates_the_run():
    run = _running(30)
    with heartbeat(run.pk, interval=60):
        pass
    run.refresh_from_db()
    assert timezone.now() - run.heartbeat_at < dt.timedelta(seconds=30)
    assert reap_stale(dt.timedelta(minutes=10)) == 0


def test_reap_command(capsys):
    _running(60)
    call_command("jobs", "reap", "--minutes", "5")
    assert "1" in capsys.readouterr().out
