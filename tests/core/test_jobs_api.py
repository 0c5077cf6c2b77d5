"""Job API: scope (404 outside it, 403 for roles without jobs), start and cancel, bilingual error bodies
for bad input with nothing saved, and a list whose query count does not grow with its rows."""

import json

import pytest
from django.test import Client

from countybridge.core import jobs
from countybridge.core.models import JobRun
from tests.support import assert_error, signed_in

pytestmark = pytest.mark.django_db

JIANYANG, DAYI = "510185", "510129"


def test_api_list_and_detail_follow_scope(officers, jianyang_run):
    body = signed_in(officers["jianyang"]).get("/api/core/jobs").json()
    assert [item["id"] for item in body["items"]] == [str(jianyang_run.pk)]
    item = body["items"][0]
    assert (
        item["status"] == "queued"
        and item["region_code"] == JIANYANG
        and item["params"]["county"] == JIANYANG
    )
    assert signed_in(officers["dayi"]).get("/api/core/jobs").json()["count"] == 0
    assert_error(signed_in(officers["dayi"]).get(f"/api/core/jobs/{jianyang_run.pk}"), 404, "not_found")
    assert signed_in(officers["admin"]).get(f"/api/core/jobs/{jianyang_run.pk}").status_code == 200


@pytest.mark.parametrize("role", ["auditor", "public"])
def test_api_refuses_roles_without_jobs(make_user, role, jianyang_run):
    client = signed_in(make_user(role))
    assert_error(client.get("/api/core/jobs"), 403, "forbidden")
    assert_error(client.get(f"/api/core/jobs/{jianyang_run.pk}"), 403, "forbidden")
    assert_error(
        client.post(
            "/api/core/jobs", json.dumps({"kind": "core.registry_integrity"}), content_type="application/json"
        ),
        403,
        "forbidden",
    )
    assert_error(client.post(f"/api/core/jobs/{jianyang_run.pk}/cancel"), 403, "forbidden")
    assert_error(Client().get("/api/core/jobs"), 401, "unauthenticated")


def test_api_start_and_cancel(officers, django_capture_on_commit_callbacks):
    client = signed_in(officers["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/core/jobs",
            {"kind": "core.worker_check", "params": {"seconds": 30}},
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    job = response.json()
    assert (
        job["status"] == "queued" and job["params"] == {"seconds": 30} and job["created_by"] == "city_admin1"
    )
    response = client.post(f"/api/core/jobs/{job['id']}/cancel")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert_error(client.post(f"/api/core/jobs/{job['id']}/cancel"), 409, "conflict")
    kinds = {k["name"] for k in client.get("/api/core/jobs/kinds").json()}
    assert {"core.registry_integrity", "core.worker_check"} <= kinds


def test_api_bad_input_gives_bilingual_details_and_saves_nothing(officers):
    client = signed_in(officers["admin"])

    def post(body):
        return client.post("/api/core/jobs", json.dumps(body), content_type="application/json")

    error = assert_error(
        post({"kind": "core.registry_integrity", "params": {"county": "000000", "what": 1}}),
        422,
        "validation_failed",
    )
    assert {d["field"] for d in error["details"]} == {"params.county", "params.what"}
    assert all(d["message_zh"] and d["message_en"] for d in error["details"])
    assert_error(post({"kind": "nope.nope"}), 422, "validation_failed")
    assert_error(post({"params": {}}), 422, "invalid_request")  # kind missing
    assert_error(post({"kind": "core.worker_check", "extra": 1}), 422, "invalid_request")
    assert_error(post({"kind": "core.worker_check", "params": {"seconds": -1}}), 422, "validation_failed")
    assert_error(client.get("/api/core/jobs?status=done"), 422, "invalid_request")
    assert_error(client.get("/api/core/jobs?state=queued"), 400, "unknown_parameter")
    assert_error(client.get("/api/core/jobs/not-a-uuid"), 422, "invalid_request")
    assert not JobRun.objects.exists()


def test_api_list_query_count_does_not_grow_with_rows(officers, django_assert_max_num_queries):
    client = signed_in(officers["admin"])
    for _ in range(3):
        jobs.job_start(actor=officers["jianyang"], kind="core.registry_integrity", params={}, enqueue=False)
    client.get("/api/core/jobs")  # warm the session
    with django_assert_max_num_queries(6):
        assert client.get("/api/core/jobs").json()["count"] == 3
    for _ in range(10):
        jobs.job_start(actor=officers["admin"], kind="core.worker_check", params={}, enqueue=False)
    with django_assert_max_num_queries(6):
        assert client.get("/api/core/jobs").json()["count"] == 13
