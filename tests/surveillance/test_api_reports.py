"""The case report API: token bound to an institution, idempotent POST, corrections, withdrawal, scope."""

import json
import threading

import pytest
from django.db import connection
from django.test import Client

from countybridge.core.models import AuditEvent
from countybridge.core.services.tokens import api_token_issue
from countybridge.surveillance.models import CaseReport, CaseReportVersion
from tests.support import assert_error, signed_in

URL = "/api/surveillance/reports"


def post(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def world(diseases, clinics, make_user):
    admin = make_user("city_admin")
    token, secret = api_token_issue(actor=admin, organisation=clinics["jianyang"], name="诊所HIS")
    _, dayi_secret = api_token_issue(actor=admin, organisation=clinics["dayi"], name="大邑HIS")
    return {
        "admin": admin,
        "clinics": clinics,
        "auth": {"HTTP_AUTHORIZATION": f"Bearer {secret}"},
        "dayi_auth": {"HTTP_AUTHORIZATION": f"Bearer {dayi_secret}"},
        "token": token,
    }


def test_token_posts_a_report_for_its_institution_and_retry_is_stored_once(world, card):
    client = Client()
    body = card()
    first = post(client, URL, body, **world["auth"])
    assert first.status_code == 201, first.content
    out = first.json()
    assert out["organisation_id"] == world["clinics"]["jianyang"].pk and out["county"] == "510185"
    assert out["deadline_hours"] == 24 and out["is_late"] is False and out["is_counted"] is True
    assert body["id_number"] not in first.content.decode() and "王小明" not in first.content.decode()
    again = post(client, URL, body, **world["auth"])
    assert again.status_code == 200 and again.json()["id"] == out["id"]
    assert CaseReport.objects.count() == 1
    version = CaseReportVersion.objects.get()
    assert version.api_token == world["token"] and version.actor_username.startswith("token:")
    assert AuditEvent.objects.filter(object_type="surveillance.CaseReport", api_token=world["token"]).exists()


@pytest.mark.django_db(transaction=True)
def test_parallel_submissions_of_one_card_store_one_report(
    regions_loaded, diseases, clinics, make_user, card
):
    if connection.vendor == "sqlite":
        pytest.skip("parallel writers need PostgreSQL (SQLite serialises the whole database)")
    admin = make_user("city_admin")
    _, secret = api_token_issue(actor=admin, organisation=clinics["jianyang"], name="x")
    body = card()
    statuses = []

    def send():
        statuses.append(post(Client(), URL, body, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code)
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses).count(201) == 1 and set(statuses) <= {200, 201}
    assert CaseReport.objects.count() == 1


def test_malformed_card_422_bilingual_and_nothing_stored(world, card):
    body = card(diagnosed_at="2026-02-30T10:00", id_number="123", disease="")
    response = post(Client(), URL, body, **world["auth"])
    error = assert_error(response, 422, "validation_failed")
    fields = {d["field"] for d in error["details"]}
    assert {"diagnosed_at", "id_number", "disease"} <= fields
    assert all(d["message_zh"] and d["message_en"] for d in error["details"])
    unknown = post(Client(), URL, {**card(), "blood_type": "A"}, **world["auth"])
    assert_error(unknown, 422)
    assert CaseReport.objects.count() == 0


def test_token_cannot_report_for_another_institution(world, card):
    body = card(organisation_id=world["clinics"]["dayi"].pk)
    assert_error(post(Client(), URL, body, **world["auth"]), 403)
    assert CaseReport.objects.count() == 0


def test_list_and_detail_are_scoped_and_masked(world, card, make_user):
    client = Client()
    mine = post(client, URL, card(), **world["auth"]).json()
    theirs = post(client, URL, card(), **world["dayi_auth"]).json()
    listed = client.get(URL, **world["auth"]).json()
    assert [r["id"] for r in listed["items"]] == [mine["id"]]
    assert_error(client.get(f"{URL}/{theirs['id']}", **world["auth"]), 404)
    detail = client.get(f"{URL}/{mine['id']}", **world["auth"])
    assert detail.status_code == 200 and detail["Cache-Control"] == "no-store"
    assert detail.json()["versions"][0]["kind"] == "initial"
    assert "*" in detail.json()["id_number_masked"]
    assert AuditEvent.objects.filter(action="read_sensitive", object_id=str(mine["id"])).exists()
    dayi_officer = signed_in(make_user("county_officer", county="510129"))
    assert [r["id"] for r in dayi_officer.get(URL).json()["items"]] == [theirs["id"]]
    assert_error(dayi_officer.get(f"{URL}/{mine['id']}"), 404)
    cdc = signed_in(make_user("department_officer", domain="cdc"))
    assert cdc.get(URL).json()["count"] == 2
    for user in (
        make_user("department_officer", domain="education"),
        make_user("auditor"),
        make_user("public"),
    ):
        assert_error(signed_in(user).get(URL), 403)
    assert_error(Client().get(URL), 401)
    assert_error(client.get(URL + "?regoin=510185", **world["auth"]), 400)


def test_correction_and_withdrawal_over_the_api(world, card):
    client = Client()
    report = post(client, URL, card(case_classification="suspected"), **world["auth"]).json()
    url = f"{URL}/{report['id']}"
    corrected = post(
        client,
        f"{url}/corrections",
        {"changes": {"case_classification": "confirmed"}, "reason": "实验室确诊", "expected_version": 1},
        **world["auth"],
    )
    assert corrected.status_code == 201, corrected.content
    assert [v["kind"] for v in corrected.json()["versions"]] == ["initial", "correction"]
    stale = post(
        client,
        f"{url}/corrections",
        {"changes": {"remarks": "x"}, "reason": "再订正", "expected_version": 1},
        **world["auth"],
    )
    assert_error(stale, 409, "version_conflict")
    bad = post(
        client,
        f"{url}/corrections",
        {"changes": {"onset_date": "2099-01-01"}, "reason": "错误"},
        **world["auth"],
    )
    assert_error(bad, 422)
    assert CaseReportVersion.objects.count() == 2
    assert_error(post(client, f"{url}/withdrawal", {"reason": "x"}, **world["dayi_auth"]), 404)
    withdrawn = post(client, f"{url}/withdrawal", {"reason": "误报"}, **world["auth"])
    assert withdrawn.status_code == 201 and withdrawn.json()["status"] == "withdrawn"
    assert withdrawn.json()["is_counted"] is False
    assert_error(post(client, f"{url}/withdrawal", {"reason": "again"}, **world["auth"]), 409, "withdrawn")


def test_client_report_id_of_another_institution_is_409(world, card):
    body = card()
    post(Client(), URL, body, **world["auth"])
    assert_error(post(Client(), URL, body, **world["dayi_auth"]), 409, "client_report_id_taken")


def test_diseases_endpoint_and_cdc_patch(world, make_user):
    client = signed_in(world["admin"])
    rows = client.get("/api/surveillance/diseases?kind=notifiable&on=2026-01-01").json()
    assert len(rows) == 40
    old = client.get("/api/surveillance/diseases?kind=notifiable&on=2021-06-01").json()
    covid = next(r for r in old if r["code"] == "covid19")
    assert covid["managed_as_a"] is True and covid["name_zh"] == "新型冠状病毒感染的肺炎"
    cdc = signed_in(make_user("department_officer", domain="cdc"))
    ok = cdc.patch(
        "/api/surveillance/diseases/mumps",
        json.dumps({"detection_params": {"percentile": 90}}),
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["detection_params"] == {"percentile": 90}
    bad = cdc.patch(
        "/api/surveillance/diseases/mumps",
        json.dumps({"detection_params": {"percentile": 101}}),
        content_type="application/json",
    )
    assert_error(bad, 422)
    health = signed_in(make_user("department_officer", domain="health"))
    refused = health.patch(
        "/api/surveillance/diseases/mumps",
        json.dumps({"detection_method": "fixed"}),
        content_type="application/json",
    )
    assert_error(refused, 403)


def test_uuid_is_required(world, card):
    body = card()
    del body["client_report_id"]
    error = assert_error(post(Client(), URL, body, **world["auth"]), 422)
    assert "client_report_id" in {d["field"] for d in error["details"]}


def test_list_read_is_audited_and_its_queries_do_not_grow_with_rows(
    world, card, django_assert_max_num_queries
):
    client = Client()
    for _ in range(3):
        post(client, URL, card(), **world["auth"])
    before = AuditEvent.objects.filter(action="read_sensitive").count()
    with django_assert_max_num_queries(8):
        few = client.get(URL, **world["auth"])
    for _ in range(12):
        post(client, URL, card(), **world["auth"])
    with django_assert_max_num_queries(8):
        many = client.get(URL, **world["auth"])
    assert few.json()["count"] == 3 and many.json()["count"] == 15
    events = AuditEvent.objects.filter(action="read_sensitive").order_by("pk")[before:]
    assert [e.details["shown"] for e in events] == [3, 15]
