"""People over the API: masked lists, audited reads, retry-safe registration, audited reveal with a reason."""

import datetime as dt
import json
import threading

import pytest
from django.db import connection, connections

from countybridge.core.identifiers import make_resident_id
from countybridge.core.models import AuditEvent, Person, Region, User
from countybridge.core.services import person_register, regions_load
from countybridge.core.services.errors import ServiceValidationError
from tests.support import assert_error, signed_in

pytestmark = pytest.mark.django_db

JIANYANG, DAYI = "510185", "510129"
NEW_ID = make_resident_id(JIANYANG, dt.date(1990, 5, 17), 123)


def post(client, path, body):
    return client.post(path, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def world(make_user, make_org, make_person):
    admin = make_user("city_admin")
    jy_hosp, dy_hosp = make_org(JIANYANG, name="简阳测试医院"), make_org(DAYI, name="大邑测试医院")
    return {
        "admin": admin,
        "jy_hosp": jy_hosp,
        "jy_person": make_person(JIANYANG, actor=admin, organisation=jy_hosp, name="李四"),
        "dy_person": make_person(DAYI, actor=admin, organisation=dy_hosp, name="王五"),
        "jy_officer": make_user("county_officer", county=JIANYANG),
        "staff": make_user("institution_staff", organisation=jy_hosp),
        "auditor": make_user("auditor"),
        "public": make_user("public"),
    }


def full_number(person) -> str:
    from countybridge.core import crypto

    return crypto.decrypt(person.id_number_encrypted)


# ---------------------------------------------------------------- reads


def test_list_shows_masked_numbers_only(world):
    response = signed_in(world["admin"]).get("/api/core/people")
    assert response["Cache-Control"] == "no-store"
    items = response.json()["items"]
    assert len(items) == 2 and all("*" in p["id_number_masked"] for p in items)
    assert "birth_date" not in items[0] and "id_number" not in items[0]
    for person in (world["jy_person"], world["dy_person"]):
        assert full_number(person).encode() not in response.content


def test_detail_is_masked_and_the_read_is_audited(world):
    person = world["jy_person"]
    response = signed_in(world["jy_officer"]).get(f"/api/core/people/{person.pk}")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert response.json()["id_number_masked"] == person.id_number_masked
    assert full_number(person).encode() not in response.content
    event = AuditEvent.objects.get(action="read_sensitive", object_id=str(person.pk))
    assert event.actor == world["jy_officer"] and event.details["purpose"] == "api"


def test_out_of_scope_person_is_404_and_not_listed(world):
    dayi = world["dy_person"]
    for role in ("jy_officer", "staff"):
        client = signed_in(world[role])
        assert [p["id"] for p in client.get("/api/core/people").json()["items"]] == [world["jy_person"].pk]
        assert_error(client.get(f"/api/core/people/{dayi.pk}"), 404, "not_found")
        assert_error(post(client, f"/api/core/people/{dayi.pk}/reveal", {"reason": "核对身份"}), 404)
    assert (
        not AuditEvent.objects.filter(object_type="core.Person", object_id=str(dayi.pk))
        .exclude(action="create")
        .exists()
    )


@pytest.mark.parametrize("role", ["auditor", "public"])
def test_auditor_and_public_refused(world, role):
    client = signed_in(world[role])
    person = world["jy_person"]
    assert_error(client.get("/api/core/people"), 403, "forbidden")
    assert_error(client.get(f"/api/core/people/{person.pk}"), 403)
    assert_error(
        post(client, "/api/core/people", {"id_number": NEW_ID, "name": "赵六", "region": JIANYANG}), 403
    )
    assert_error(post(client, f"/api/core/people/{person.pk}/reveal", {"reason": "核对身份"}), 403)
    assert not Person.objects.filter(name="赵六").exists()


def test_filters_and_query_count(world, make_person, django_assert_max_num_queries):
    client = signed_in(world["admin"])
    assert client.get("/api/core/people", {"region": DAYI}).json()["count"] == 1
    assert client.get("/api/core/people", {"q": "李"}).json()["items"][0]["name"] == "李四"
    with django_assert_max_num_queries(4) as few:  # session, user, count, page with region joined
        client.get("/api/core/people", {"page_size": 200})
    for _ in range(12):
        make_person(JIANYANG, actor=world["admin"], organisation=world["jy_hosp"])
    with django_assert_max_num_queries(4) as many:
        assert client.get("/api/core/people", {"page_size": 200}).json()["count"] == 14
    assert len(few.captured_queries) == len(many.captured_queries)


# ---------------------------------------------------------------- create


def test_create_fills_birth_date_and_sex_from_the_id(world):
    response = post(
        signed_in(world["jy_officer"]),
        "/api/core/people",
        {"id_number": NEW_ID, "name": "赵六", "region": JIANYANG, "township": "510185001"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["birth_date"], body["sex"], body["township_code"]) == ("1990-05-17", "M", "510185001")
    assert NEW_ID.encode() not in response.content
    assert AuditEvent.objects.filter(
        action="create", object_id=str(body["id"]), actor=world["jy_officer"]
    ).exists()


def test_retry_answers_409_with_the_existing_record_and_creates_nothing(world):
    client = signed_in(world["jy_officer"])
    first = post(client, "/api/core/people", {"id_number": NEW_ID, "name": "赵六", "region": JIANYANG})
    again = post(
        client, "/api/core/people", {"id_number": NEW_ID.lower(), "name": "赵六", "region": JIANYANG}
    )
    error = assert_error(again, 409, "duplicate")
    assert error["details"][0]["existing_id"] == first.json()["id"]
    assert error["details"][0]["existing_url"] == f"/api/core/people/{first.json()['id']}"
    assert Person.objects.filter(name="赵六").count() == 1


def test_duplicate_outside_scope_does_not_reveal_the_record(world):
    number = full_number(world["dy_person"])
    error = assert_error(
        post(
            signed_in(world["jy_officer"]),
            "/api/core/people",
            {"id_number": number, "name": "冒名", "region": JIANYANG},
        ),
        409,
        "duplicate",
    )
    assert "existing_id" not in error["details"][0]
    assert number not in json.dumps(error, ensure_ascii=False)


def test_county_officer_cannot_register_in_another_county(world):
    assert_error(
        post(
            signed_in(world["jy_officer"]),
            "/api/core/people",
            {"id_number": NEW_ID, "name": "赵六", "region": DAYI},
        ),
        403,
    )
    assert not Person.objects.filter(name="赵六").exists()


@pytest.mark.parametrize(
    "body,field,code",
    [
        ({"id_number": NEW_ID[:-1] + ("0" if NEW_ID[-1] != "0" else "1")}, "id_number", "id_checksum"),
        ({"id_number": "51018519900517"}, "id_number", "id_length"),
        ({"birth_date": "1991-01-01"}, "birth_date", "invalid"),
        ({"id_type": "passport", "id_number": "E12345678"}, "", "value_error"),  # the body as a whole
        ({"region": "510999"}, "region", "unknown"),
        ({"township": "510129106"}, "township", "township"),
        ({"name": ""}, "name", "string_too_short"),
        ({"birth_date": "17/05/1990"}, "birth_date", "date_from_datetime_parsing"),
        ({"organisation_id": 999999}, "organisation_id", "unknown"),
    ],
)
def test_bad_input_is_422_bilingual_and_saves_nothing(world, body, field, code):
    before = Person.objects.count()
    payload = {"id_number": NEW_ID, "name": "赵六", "region": JIANYANG, **body}
    error = assert_error(post(signed_in(world["admin"]), "/api/core/people", payload), 422)
    detail = next(d for d in error["details"] if d["field"] == field)
    assert detail["code"] == code and detail["message_zh"] and detail["message_en"]
    assert Person.objects.count() == before
    assert NEW_ID not in json.dumps(error)  # a refused number is not echoed in full


def test_institution_staff_registers_for_own_institution_only(world, make_org):
    other = make_org(JIANYANG, name="别的医院")
    client = signed_in(world["staff"])
    assert_error(
        post(
            client,
            "/api/core/people",
            {"id_number": NEW_ID, "name": "赵六", "region": JIANYANG, "organisation_id": other.pk},
        ),
        422,
    )
    response = post(client, "/api/core/people", {"id_number": NEW_ID, "name": "赵六", "region": JIANYANG})
    assert response.status_code == 201 and response.json()["organisation_id"] == world["jy_hosp"].pk


# ---------------------------------------------------------------- reveal


def test_reveal_needs_a_reason_and_is_audited(world):
    person = world["jy_person"]
    client = signed_in(world["jy_officer"])
    error = assert_error(post(client, f"/api/core/people/{person.pk}/reveal", {"reason": "x"}), 422)
    assert error["details"][0]["field"] == "reason"
    assert_error(post(client, f"/api/core/people/{person.pk}/reveal", {}), 422)
    assert not AuditEvent.objects.filter(action="unmask").exists()
    response = post(client, f"/api/core/people/{person.pk}/reveal", {"reason": "办理转诊核对身份"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert response.json()["id_number"] == full_number(person)
    event = AuditEvent.objects.get(action="unmask", object_id=str(person.pk))
    assert event.reason == "办理转诊核对身份" and event.actor == world["jy_officer"]


# ---------------------------------------------------------------- parallel creates (BRIEF § 10, HAPI 8 of 8)


@pytest.mark.django_db(transaction=True)
def test_eight_parallel_creates_store_one_person():
    if connection.vendor != "postgresql":
        pytest.skip("parallel writers need PostgreSQL (SQLite serialises them)")
    if not Region.objects.filter(code=JIANYANG).exists():  # an earlier transactional test flushed the regions
        regions_load()
    admin = User.objects.create_user(username="parallel-admin", password="x" * 12, role="city_admin")
    region = Region.objects.get(code=JIANYANG)
    barrier, outcomes = threading.Barrier(8), []

    def register():
        try:
            barrier.wait()
            person_register(actor=admin, data={"id_number": NEW_ID, "name": "并发", "region": region})
            outcomes.append("created")
        except ServiceValidationError as exc:
            outcomes.append(exc.problems[0].code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["created"] + ["duplicate"] * 7
    assert Person.objects.filter(name="并发").count() == 1
    assert AuditEvent.objects.filter(action="create", object_type="core.Person").count() == 1
