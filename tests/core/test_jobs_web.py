"""Job pages: who may see what (404 outside scope, 403 for roles without jobs), the start form with bad
input, the HTMX progress partial and cancellation. The API is in test_jobs_api.py."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from countybridge.core.jobs.runner import execute
from countybridge.core.models import AuditEvent, JobRun
from tests.support import signed_in

pytestmark = pytest.mark.django_db

JIANYANG, DAYI = "510185", "510129"


# ---------------------------------------------------------------- pages


def test_list_shows_runs_in_scope_and_the_start_form(officers, jianyang_run):
    response = signed_in(officers["jianyang"]).get(reverse("core:job_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert str(jianyang_run.pk) in html and 'data-testid="start-core.registry_integrity"' in html
    assert "core.worker_check" not in html  # city administrators only
    # the county select offers only the officer's own county
    assert f'value="{JIANYANG}"' in html and f'value="{DAYI}"' not in html
    assert (
        str(jianyang_run.pk) not in signed_in(officers["dayi"]).get(reverse("core:job_list")).content.decode()
    )


@pytest.mark.parametrize("role", ["auditor", "public"])
def test_roles_without_jobs_are_refused(make_user, role, jianyang_run):
    client = signed_in(make_user(role))
    for url in (
        reverse("core:job_list"),
        reverse("core:job_detail", args=[jianyang_run.pk]),
        reverse("core:job_progress", args=[jianyang_run.pk]),
    ):
        assert client.get(url).status_code == 403
    assert client.post(reverse("core:job_start"), {"kind": "core.registry_integrity"}).status_code == 403
    assert client.post(reverse("core:job_cancel", args=[jianyang_run.pk])).status_code == 403
    assert Client().get(reverse("core:job_list")).status_code == 302  # anonymous: to the login page


def test_another_countys_officer_gets_404(officers, jianyang_run):
    client = signed_in(officers["dayi"])
    for name in ("core:job_detail", "core:job_progress"):
        assert client.get(reverse(name, args=[jianyang_run.pk])).status_code == 404
    assert client.post(reverse("core:job_cancel", args=[jianyang_run.pk])).status_code == 404
    jianyang_run.refresh_from_db()
    assert jianyang_run.status == JobRun.Status.QUEUED
    assert client.get(reverse("core:job_detail", args=[uuid.uuid4()])).status_code == 404


def test_start_form_queues_a_run(officers, django_capture_on_commit_callbacks):
    client = signed_in(officers["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("core:job_start"),
            {"kind": "core.registry_integrity", "p_county": DAYI, "p_include_people": "on"},
        )
    run = JobRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("core:job_detail", args=[run.pk])
    assert run.params == {"county": DAYI, "include_people": True} and run.region.code == DAYI
    assert run.task_result_id  # handed to the queue


def test_start_form_with_bad_input_says_why_in_both_languages_and_saves_nothing(officers):
    client, admin_client = signed_in(officers["jianyang"]), signed_in(officers["admin"])
    audit_rows = AuditEvent.objects.count()
    response = client.post(reverse("core:job_start"), {"kind": "core.registry_integrity", "p_county": DAYI})
    assert response.status_code == 400
    html = response.content.decode()
    assert "区(市)县干部只能对本区(市)县运行此任务" in html and "only for their own county" in html
    response = admin_client.post(reverse("core:job_start"), {"kind": "core.nothing"})
    assert response.status_code == 400 and "Unknown job kind" in response.content.decode()
    response = admin_client.post(
        reverse("core:job_start"), {"kind": "core.worker_check", "p_seconds": "soon"}
    )
    assert response.status_code == 400 and "must be a whole number" in response.content.decode()
    assert list(JobRun.objects.values_list("kind", "params")) == []
    assert AuditEvent.objects.count() == audit_rows
    # a county officer may not start a city administrator's kind at all
    response = client.post(reverse("core:job_start"), {"kind": "core.worker_check"})
    assert response.status_code == 403


def test_detail_polls_its_progress_partial_until_finished(officers, jianyang_run):
    client = signed_in(officers["jianyang"])
    html = client.get(reverse("core:job_detail", args=[jianyang_run.pk])).content.decode()
    partial_url = reverse("core:job_progress", args=[jianyang_run.pk])
    assert f'hx-get="{partial_url}"' in html and 'hx-trigger="every 2s"' in html
    assert "<script>" not in html  # the CSP forbids inline scripts
    assert 'data-testid="job-cancel"' in html
    execute(jianyang_run.pk)
    partial = client.get(partial_url, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-status="succeeded"' in partial and "hx-trigger" not in partial  # polling stops
    assert 'data-testid="integrity-result"' in partial and 'data-testid="job-cancel"' not in partial


def test_cancel_button(officers, jianyang_run):
    client = signed_in(officers["admin"])
    response = client.post(reverse("core:job_cancel", args=[jianyang_run.pk]), follow=True)
    assert response.status_code == 200
    jianyang_run.refresh_from_db()
    assert jianyang_run.status == JobRun.Status.CANCELLED
    response = client.post(reverse("core:job_cancel", args=[jianyang_run.pk]), follow=True)
    assert "任务已结束" in response.content.decode() and "already finished" in response.content.decode()
    assert client.get(reverse("core:job_cancel", args=[jianyang_run.pk])).status_code == 405


def test_failed_run_shows_its_error(officers):
    run = JobRun.objects.create(
        kind="core.registry_integrity",
        status="failed",
        error="ValueError: broken",
        created_by=officers["admin"],
    )
    html = signed_in(officers["admin"]).get(reverse("core:job_detail", args=[run.pk])).content.decode()
    assert "ValueError: broken" in html
