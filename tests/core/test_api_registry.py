"""Regions and organisations over the API: same scope as the pages, writes audited, bad input 422, and
pinned query counts so an N+1 in a list shows up as a failing test."""

import json

import pytest

from countybridge.core.models import AuditEvent, Organisation
from tests.support import assert_error, signed_in

pytestmark = pytest.mark.django_db

JIANYANG, DAYI = "510185", "510129"


def send(client, method, path, body):
    return getattr(client, method)(path, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def world(make_user, make_org):
    jy_hosp = make_org(JIANYANG, name="简阳测试医院")
    dy_hosp = make_org(DAYI, name="大邑测试医院")
    return {
        "jy_hosp": jy_hosp,
        "dy_hosp": dy_hosp,
        "admin": make_user("city_admin"),
        "health": make_user("department_officer", domain="health"),
        "jy_officer": make_user("county_officer", county=JIANYANG),
        "dy_officer": make_user("county_officer", county=DAYI),
        "staff": make_user("institution_staff", organisation=jy_hosp),
        "auditor": make_user("auditor"),
        "public": make_user("public"),
    }


SCHOOL = {"kind": "school", "name": "新建小学", "school_stages": ["primary"], "seats": 600}


# ---------------------------------------------------------------- regions


@pytest.mark.parametrize("role", ["admin", "health", "jy_officer", "staff"])
def test_registry_roles_read_regions(world, role):
    client = signed_in(world[role])
    assert client.get("/api/core/regions").json()["count"] == 146  # city, 20 divisions, 125 townships
    assert (
        client.get("/api/core/regions", {"level": "county"}).json()["count"] == 20
    )  # former codes on request
    region = client.get("/api/core/regions/510129").json()
    assert region["name_zh"] == "大邑县" and len(region["children"]) > 0
    assert {"code", "name_zh", "name_en"} == set(region["children"][0])


def test_former_codes_and_successors(world):
    client = signed_in(world["admin"])
    page = client.get("/api/core/regions", {"include_former": "true", "page_size": 200}).json()
    old = next(r for r in page["items"] if r["code"] == "512081")
    assert old["successor_code"] == "510185"
    jianyang = client.get("/api/core/regions/510185").json()
    assert "512081" in {p["code"] for p in jianyang["predecessors"]}


@pytest.mark.parametrize("role", ["auditor", "public"])
@pytest.mark.parametrize(
    "path",
    [
        "/api/core/regions",
        "/api/core/regions/510185",
        "/api/core/organisations",
        "/api/core/organisations/{pk}",
        "/api/core/people",
    ],
)
def test_auditor_and_public_refused_registry_reads(world, role, path):
    response = signed_in(world[role]).get(path.format(pk=world["jy_hosp"].pk))
    assert_error(response, 403, "forbidden")


@pytest.mark.parametrize("role", ["auditor", "public"])
def test_auditor_and_public_refused_registry_writes(world, role):
    client = signed_in(world[role])
    assert_error(send(client, "post", "/api/core/organisations", {**SCHOOL, "region": JIANYANG}), 403)
    assert_error(send(client, "patch", f"/api/core/organisations/{world['jy_hosp'].pk}", {"beds": 1}), 403)
    assert not Organisation.objects.filter(name=SCHOOL["name"]).exists()


def test_region_filter_value_is_typed(world):
    error = assert_error(signed_in(world["admin"]).get("/api/core/regions", {"level": "province"}), 422)
    assert error["details"][0]["field"] == "level" and error["details"][0]["code"] == "enum"


# ---------------------------------------------------------------- organisations: scope


def test_county_officer_lists_only_own_county(world):
    page = signed_in(world["jy_officer"]).get("/api/core/organisations").json()
    assert [o["id"] for o in page["items"]] == [world["jy_hosp"].pk]
    assert page["items"][0]["region_code"] == JIANYANG
    # filtering for another county does not widen the scope
    assert (
        signed_in(world["jy_officer"]).get("/api/core/organisations", {"region": DAYI}).json()["count"] == 0
    )


def test_county_officer_cannot_read_or_write_other_county(world):
    client = signed_in(world["jy_officer"])
    dayi = world["dy_hosp"]
    assert_error(client.get(f"/api/core/organisations/{dayi.pk}"), 404, "not_found")
    assert_error(send(client, "patch", f"/api/core/organisations/{dayi.pk}", {"beds": 1}), 404)
    assert_error(
        send(client, "post", "/api/core/organisations", {**SCHOOL, "region": DAYI}), 403, "forbidden"
    )
    dayi.refresh_from_db()
    assert dayi.beds == 300 and not Organisation.objects.filter(name=SCHOOL["name"]).exists()


def test_institution_staff_sees_and_edits_only_own_institution(world):
    client = signed_in(world["staff"])
    assert [o["id"] for o in client.get("/api/core/organisations").json()["items"]] == [world["jy_hosp"].pk]
    assert_error(client.get(f"/api/core/organisations/{world['dy_hosp'].pk}"), 404)
    assert (
        send(client, "patch", f"/api/core/organisations/{world['jy_hosp'].pk}", {"beds": 320}).status_code
        == 200
    )
    assert_error(send(client, "post", "/api/core/organisations", {**SCHOOL, "region": JIANYANG}), 403)


def test_filters(world, make_org):
    make_org(JIANYANG, kind="school", name="简阳实验小学")
    client = signed_in(world["admin"])
    assert client.get("/api/core/organisations", {"kind": "school"}).json()["count"] == 1
    assert client.get("/api/core/organisations", {"region": JIANYANG}).json()["count"] == 2
    assert client.get("/api/core/organisations", {"q": "实验"}).json()["items"][0]["name"] == "简阳实验小学"
    assert_error(client.get("/api/core/organisations", {"kind": "hospitalx"}), 422)
    assert_error(client.get("/api/core/organisations", {"region": "5101"}), 422)


# ---------------------------------------------------------------- organisations: writes


def test_create_is_audited_and_returns_201(world):
    client = signed_in(world["jy_officer"])
    response = send(
        client, "post", "/api/core/organisations", {**SCHOOL, "region": JIANYANG, "township": "510185001"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["region_code"], body["township_code"], body["school_stages"]) == (
        JIANYANG,
        "510185001",
        ["primary"],
    )
    event = AuditEvent.objects.get(
        action="create", object_type="core.Organisation", object_id=str(body["id"])
    )
    assert event.actor == world["jy_officer"] and event.region_code == JIANYANG


def test_create_with_bad_input_is_422_bilingual_and_saves_nothing(world):
    client = signed_in(world["admin"])
    before = Organisation.objects.count()
    # typed input: wrong types and values are refused before any service runs
    error = assert_error(
        send(
            client,
            "post",
            "/api/core/organisations",
            {"kind": "castle", "name": "", "region": "5101", "seats": "many"},
        ),
        422,
        "invalid_request",
    )
    fields = {d["field"] for d in error["details"]}
    assert {"kind", "name", "region", "seats"} <= fields
    assert all(d["message_zh"] and d["message_en"] for d in error["details"])
    # service rules: a hospital without a level, a bad credit code, a township of another county
    error = assert_error(
        send(
            client,
            "post",
            "/api/core/organisations",
            {
                "kind": "hospital",
                "name": "无等级医院",
                "region": JIANYANG,
                "credit_code": "91510100MA61234567",
                "township": "510129106",
            },
        ),
        422,
        "validation_failed",
    )
    assert {"hospital_level", "credit_code", "township"} <= {d["field"] for d in error["details"]}
    zh = {d["field"]: d["message_zh"] for d in error["details"]}
    assert "医院等级" in zh["hospital_level"]
    # unknown references are field errors too
    error = assert_error(
        send(client, "post", "/api/core/organisations", {**SCHOOL, "region": "510999", "parent_id": 999999}),
        422,
    )
    assert {"region", "parent_id"} <= {d["field"] for d in error["details"]}
    assert Organisation.objects.count() == before


def test_create_duplicate_name_is_refused(world):
    client = signed_in(world["admin"])
    assert send(client, "post", "/api/core/organisations", {**SCHOOL, "region": JIANYANG}).status_code == 201
    error = assert_error(send(client, "post", "/api/core/organisations", {**SCHOOL, "region": JIANYANG}), 422)
    assert error["details"][0]["code"] == "duplicate"
    assert Organisation.objects.filter(name=SCHOOL["name"]).count() == 1


def test_patch_changes_only_sent_fields_and_is_audited(world):
    org = world["jy_hosp"]
    response = send(
        signed_in(world["admin"]),
        "patch",
        f"/api/core/organisations/{org.pk}",
        {"beds": 450, "address": "简阳市人民路1号"},
    )
    assert response.status_code == 200, response.content
    org.refresh_from_db()
    assert (org.beds, org.address, org.hospital_level, org.name) == (
        450,
        "简阳市人民路1号",
        2,
        "简阳测试医院",
    )
    event = AuditEvent.objects.filter(action="update", object_id=str(org.pk)).latest("id")
    assert set(event.details["changed"]) == {"beds", "address"}


def test_patch_with_bad_input_changes_nothing(world):
    org = world["jy_hosp"]
    client = signed_in(world["admin"])
    assert_error(
        send(client, "patch", f"/api/core/organisations/{org.pk}", {"name": None, "address": None}), 422
    )
    assert_error(send(client, "patch", f"/api/core/organisations/{org.pk}", {"hospital_level": 5}), 422)
    assert_error(send(client, "patch", f"/api/core/organisations/{org.pk}", {"lat": 60.0}), 422)
    org.refresh_from_db()
    assert (org.name, org.hospital_level, org.lat) == ("简阳测试医院", 2, None)


def test_county_officer_cannot_move_an_organisation_out_of_county(world):
    org = world["jy_hosp"]
    assert_error(
        send(signed_in(world["jy_officer"]), "patch", f"/api/core/organisations/{org.pk}", {"region": DAYI}),
        403,
    )
    org.refresh_from_db()
    assert org.region.code == JIANYANG


# ---------------------------------------------------------------- query counts (N+1 guard)


def _count_queries(client, path, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as ctx:
        response = client.get(path, {"page_size": 200})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_organisation_list_query_count_is_pinned(world, make_org, django_assert_max_num_queries):
    client = signed_in(world["admin"])
    # session + user + count + page (with region, township, parent joined)
    few = _count_queries(client, "/api/core/organisations", django_assert_max_num_queries, 4)
    for i in range(15):
        make_org(JIANYANG if i % 2 else DAYI, kind="school", name=f"学校{i}", parent=world["jy_hosp"])
    many = _count_queries(client, "/api/core/organisations", django_assert_max_num_queries, 4)
    assert few == many


def test_region_list_and_detail_query_counts(world, django_assert_max_num_queries):
    client = signed_in(world["admin"])
    _count_queries(client, "/api/core/regions", django_assert_max_num_queries, 4)
    with django_assert_max_num_queries(5):  # session, user, region, townships, former codes
        assert client.get("/api/core/regions/510185").status_code == 200
