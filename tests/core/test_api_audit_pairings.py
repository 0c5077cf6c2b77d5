"""The audit log and the pairings over the API: the same readers, filters and editors as their pages."""

import datetime as dt
import json
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from countybridge.core import audit
from countybridge.core.models import AuditEvent, Pairing
from tests.support import assert_error, signed_in

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
JIANYANG, DAYI = "510185", "510129"


def post(client, path, body):
    return client.post(path, data=json.dumps(body), content_type="application/json")


def event_at(when: dt.datetime, **fields) -> AuditEvent:
    with mock.patch("django.utils.timezone.now", return_value=when):
        return audit.record(actor=fields.pop("actor", None), action=fields.pop("action", "create"), **fields)


@pytest.fixture
def users(make_user, make_org):
    hosp = make_org(JIANYANG)
    return {
        "admin": make_user("city_admin"),
        "auditor": make_user("auditor"),
        "org_dept": make_user("department_officer", domain="organisation"),
        "health": make_user("department_officer", domain="health"),
        "jy_officer": make_user("county_officer", county=JIANYANG),
        "staff": make_user("institution_staff", organisation=hosp),
        "public": make_user("public"),
    }


# ---------------------------------------------------------------- audit log: who


@pytest.mark.parametrize("role", ["admin", "auditor"])
def test_auditor_and_city_admin_read_the_log(users, role):
    page = signed_in(users[role]).get("/api/core/audit-events").json()
    assert page["count"] >= 1 and {"at", "actor_username", "action", "object_type"} <= set(page["items"][0])


@pytest.mark.parametrize("role", ["org_dept", "health", "jy_officer", "staff", "public"])
def test_other_roles_are_refused_and_the_refusal_is_logged(users, role):
    assert_error(signed_in(users[role]).get("/api/core/audit-events"), 403, "forbidden")
    denied = AuditEvent.objects.get(action="denied", actor=users[role])
    assert denied.object_type == "core.AuditEvent"


# ---------------------------------------------------------------- audit log: filters


def test_day_filters_use_shanghai_days(users):
    late = event_at(
        dt.datetime(2025, 3, 1, 23, 30, tzinfo=SHANGHAI),
        object_type="core.Organisation",
        object_id="1",
        region_code=JIANYANG,
    )  # 15:30 UTC, still 1 March in Chengdu
    event_at(dt.datetime(2025, 3, 2, 0, 30, tzinfo=SHANGHAI), object_type="core.Organisation", object_id="2")
    client = signed_in(users["auditor"])
    page = client.get("/api/core/audit-events", {"date_from": "2025-03-01", "date_to": "2025-03-01"}).json()
    assert [e["id"] for e in page["items"]] == [late.pk]
    assert page["items"][0]["at"] == "2025-03-01T23:30:00+08:00"


def test_other_filters(users):
    event_at(
        dt.datetime(2025, 3, 1, 9, tzinfo=SHANGHAI),
        actor=users["jy_officer"],
        action="update",
        object_type="core.Organisation",
        object_id="7",
        region_code="510185001",
    )
    event_at(
        dt.datetime(2025, 3, 1, 9, tzinfo=SHANGHAI),
        actor=users["admin"],
        action="export",
        object_type="core.AuditEvent",
        region_code=DAYI,
    )
    client = signed_in(users["admin"])

    def ids(**params):
        return [e["object_id"] for e in client.get("/api/core/audit-events", params).json()["items"]]

    assert ids(actor=users["jy_officer"].username, action="update") == ["7"]
    assert ids(object_type="core.Organisation", region=JIANYANG) == [
        "7"
    ]  # a county finds its townships' rows
    assert ids(role="county_officer", date_to="2025-03-01") == ["7"]
    assert ids(region=DAYI, action="export") == [""]


@pytest.mark.parametrize(
    "params,field",
    [
        ({"date_from": "2025-13-01"}, "date_from"),
        ({"date_from": "2025-03-02", "date_to": "2025-03-01"}, "date_to"),
        ({"action": "hack"}, "action"),
        ({"role": "king"}, "role"),
        ({"region": "51x"}, "region"),
        ({"object_type": "core.Person;drop"}, "object_type"),
    ],
)
def test_bad_filters_are_422_bilingual(users, params, field):
    error = assert_error(signed_in(users["auditor"]).get("/api/core/audit-events", params), 422)
    detail = error["details"][0]
    assert detail["field"] == field and detail["message_zh"] and detail["message_en"]


def test_unsupported_filter_is_400_not_every_row(users):
    error = assert_error(signed_in(users["auditor"]).get("/api/core/audit-events", {"user": "x"}), 400)
    assert error["code"] == "unknown_parameter"


# ---------------------------------------------------------------- audit log: reading it is itself logged when it shows people


def test_reading_rows_about_people_is_a_sensitive_read(users, make_person):
    person = make_person(JIANYANG, actor=users["admin"], name="赵六")
    client = signed_in(users["auditor"])
    page = client.get("/api/core/audit-events", {"object_type": "core.Person"}).json()
    assert any("赵六" in e["object_repr"] for e in page["items"])
    read = AuditEvent.objects.get(action="read_sensitive", actor=users["auditor"])
    assert read.details["purpose"] == "audit_log" and read.details["person_ids"] == [str(person.pk)]
    assert read.details["filters"] == {"object_type": "core.Person"}


def test_reading_rows_without_people_is_not_logged(users):
    client = signed_in(users["auditor"])
    client.get("/api/core/audit-events", {"object_type": "core.User"})
    assert not AuditEvent.objects.filter(action="read_sensitive").exists()


def test_audit_list_query_count(users, django_assert_max_num_queries):
    client = signed_in(users["auditor"])
    with django_assert_max_num_queries(4) as few:  # session, user, count, page (token joined)
        client.get("/api/core/audit-events", {"object_type": "core.Organisation", "page_size": 200})
    for i in range(20):
        event_at(
            dt.datetime(2025, 3, 1, 9, tzinfo=SHANGHAI), object_type="core.Organisation", object_id=str(i)
        )
    with django_assert_max_num_queries(4) as many:
        client.get("/api/core/audit-events", {"object_type": "core.Organisation", "page_size": 200})
    assert len(few.captured_queries) == len(many.captured_queries)


# ---------------------------------------------------------------- pairings


PAIR = {"county_city": DAYI, "district": "510104", "status": "illustrative", "description": "演示"}


@pytest.mark.parametrize("role", ["admin", "org_dept"])
def test_editors_list_all_pairings(users, role):
    page = signed_in(users[role]).get("/api/core/pairings", {"page_size": 200}).json()
    assert page["count"] == Pairing.objects.count() > 0
    assert {"county_city", "district", "status", "source"} <= set(page["items"][0])


def test_county_officer_lists_only_own_county(users):
    page = signed_in(users["jy_officer"]).get("/api/core/pairings").json()
    assert page["count"] >= 1
    assert all(JIANYANG in (p["county_city"]["code"], p["district"]["code"]) for p in page["items"])


@pytest.mark.parametrize("role", ["health", "staff", "auditor", "public"])
def test_others_cannot_read_or_set_pairings(users, role):
    client = signed_in(users[role])
    assert_error(client.get("/api/core/pairings"), 403)
    assert_error(post(client, "/api/core/pairings", PAIR), 403)


def test_county_officer_cannot_set_or_delete(users):
    client = signed_in(users["jy_officer"])
    before = Pairing.objects.count()
    assert_error(post(client, "/api/core/pairings", {**PAIR, "county_city": JIANYANG}), 403)
    own = Pairing.objects.filter(county_city__code=JIANYANG).first()
    assert_error(client.delete(f"/api/core/pairings/{own.pk}"), 403)
    other = Pairing.objects.exclude(county_city__code=JIANYANG).exclude(district__code=JIANYANG).first()
    assert_error(client.delete(f"/api/core/pairings/{other.pk}"), 404)
    assert Pairing.objects.count() == before


def test_set_is_idempotent_and_audited(users):
    client = signed_in(users["org_dept"])
    Pairing.objects.filter(county_city__code=DAYI, district__code="510104").delete()
    first = post(client, "/api/core/pairings", PAIR)
    assert first.status_code == 201, first.content
    again = post(client, "/api/core/pairings", {**PAIR, "description": "演示(更新)"})
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Pairing.objects.filter(county_city__code=DAYI, district__code="510104").count() == 1
    actions = list(
        AuditEvent.objects.filter(object_type="core.Pairing", object_id=str(first.json()["id"]))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update"]


@pytest.mark.parametrize(
    "body,field",
    [
        ({"county_city": "510104"}, "district"),  # a central district is not a county city
        ({"district": DAYI}, "district"),  # not with itself
        ({"district": "510999"}, "district"),  # no such division
        ({"status": "known", "source": ""}, "source"),
        ({"status": "rumoured"}, "status"),
        ({"county_city": "5101"}, "county_city"),
    ],
)
def test_bad_pairing_input_is_422_and_saves_nothing(users, body, field):
    before = Pairing.objects.count()
    error = assert_error(post(signed_in(users["admin"]), "/api/core/pairings", {**PAIR, **body}), 422)
    assert field in {d["field"] for d in error["details"]}
    assert all(d["message_zh"] and d["message_en"] for d in error["details"])
    assert Pairing.objects.count() == before


def test_delete_is_audited(users):
    pairing = Pairing.objects.first()
    response = signed_in(users["admin"]).delete(f"/api/core/pairings/{pairing.pk}")
    assert response.status_code == 204
    assert not Pairing.objects.filter(pk=pairing.pk).exists()
    assert AuditEvent.objects.filter(
        action="delete", object_type="core.Pairing", object_id=str(pairing.pk)
    ).exists()


def test_pairing_list_query_count(users, django_assert_max_num_queries):
    client, total = signed_in(users["admin"]), Pairing.objects.count()
    with django_assert_max_num_queries(4):  # session, user, count, page with both regions joined
        response = client.get("/api/core/pairings", {"page_size": 200})
    assert response.json()["count"] == total
