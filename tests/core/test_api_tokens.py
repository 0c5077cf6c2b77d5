"""API tokens: issued once and stored hashed, managed by the right people, a token client confined to its
institution and audited as the token, revocation answering 401 at once; the command-line tool."""

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from countybridge.core.identifiers import make_resident_id
from countybridge.core.models import APIToken, AuditEvent, Organisation, Person
from countybridge.core.services.tokens import api_token_issue, api_token_revoke
from tests.support import assert_error, signed_in

pytestmark = pytest.mark.django_db

JIANYANG, DAYI = "510185", "510129"


def bearer(secret):
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def post(client, path, body=None):
    return client.post(path, data=json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def world(make_user, make_org, make_person):
    admin = make_user("city_admin")
    jy_hosp, dy_hosp = make_org(JIANYANG, name="简阳测试医院"), make_org(DAYI, name="大邑测试医院")
    token, secret = api_token_issue(actor=admin, organisation=jy_hosp, name="简阳医院 LIS")
    return {
        "admin": admin,
        "jy_hosp": jy_hosp,
        "dy_hosp": dy_hosp,
        "token": token,
        "secret": secret,
        "jy_person": make_person(JIANYANG, actor=admin, organisation=jy_hosp),
        "dy_person": make_person(DAYI, actor=admin, organisation=dy_hosp),
        "staff": make_user("institution_staff", organisation=jy_hosp),
        "jy_officer": make_user("county_officer", county=JIANYANG),
        "auditor": make_user("auditor"),
        "health": make_user("department_officer", domain="health"),
    }


# ---------------------------------------------------------------- service


def test_secret_is_returned_once_and_stored_only_as_sha256(world):
    token, secret = world["token"], world["secret"]
    assert secret.startswith(f"cb_{token.prefix}_") and len(secret) > 40
    row = APIToken.objects.filter(pk=token.pk).values().get()
    assert secret not in json.dumps(row, default=str)
    assert row["secret_hash"] == APIToken.hash_secret(secret)
    event = AuditEvent.objects.get(action="create", object_type="core.APIToken", object_id=str(token.pk))
    assert (
        event.actor == world["admin"]
        and event.region_code == JIANYANG
        and secret not in json.dumps(event.details)
    )


@pytest.mark.parametrize("role", ["jy_officer", "auditor", "health"])
def test_only_city_admin_or_own_staff_may_issue(world, role):
    with pytest.raises(PermissionDenied):
        api_token_issue(actor=world[role], organisation=world["jy_hosp"], name="x")
    with pytest.raises(PermissionDenied):  # staff: only for their own institution
        api_token_issue(actor=world["staff"], organisation=world["dy_hosp"], name="x")
    token, _secret = api_token_issue(actor=world["staff"], organisation=world["jy_hosp"], name="自己的")
    assert token.organisation == world["jy_hosp"] and token.created_by == world["staff"]


def test_a_token_client_cannot_mint_or_revoke_tokens(world):
    client = bearer(world["secret"])
    assert_error(
        post(client, "/api/core/api-tokens", {"organisation_id": world["jy_hosp"].pk, "name": "more"}), 403
    )
    assert_error(post(client, f"/api/core/api-tokens/{world['token'].prefix}/revoke"), 403)
    assert_error(client.get("/api/core/api-tokens"), 403)
    assert APIToken.objects.count() == 1


# ---------------------------------------------------------------- token scope


def test_token_client_sees_only_its_institution(world):
    client = bearer(world["secret"])
    orgs = client.get("/api/core/organisations").json()["items"]
    assert [o["id"] for o in orgs] == [world["jy_hosp"].pk]
    people = client.get("/api/core/people").json()["items"]
    assert [p["id"] for p in people] == [world["jy_person"].pk]
    assert_error(client.get(f"/api/core/organisations/{world['dy_hosp'].pk}"), 404)
    assert_error(client.get(f"/api/core/people/{world['dy_person'].pk}"), 404)
    assert_error(
        client.patch(
            f"/api/core/organisations/{world['dy_hosp'].pk}",
            data='{"beds": 1}',
            content_type="application/json",
        ),
        404,
    )
    assert client.get("/api/core/regions/510185").status_code == 200  # reference data


def test_token_client_refused_audit_log_and_pairing_edits(world):
    client = bearer(world["secret"])
    assert_error(client.get("/api/core/audit-events"), 403)
    assert_error(
        post(
            client,
            "/api/core/pairings",
            {"county_city": JIANYANG, "district": "510104", "status": "illustrative"},
        ),
        403,
    )
    assert_error(
        post(
            client,
            "/api/core/organisations",
            {"kind": "school", "name": "令牌学校", "region": JIANYANG, "school_stages": ["primary"]},
        ),
        403,
    )


def test_token_writes_are_audited_with_the_token(world):
    token = world["token"]
    number = make_resident_id(JIANYANG, dt.date(1975, 3, 3), 42)
    response = post(
        bearer(world["secret"]),
        "/api/core/people",
        {"id_number": number, "name": "令牌登记", "region": JIANYANG},
    )
    assert response.status_code == 201, response.content
    person = Person.objects.get(pk=response.json()["id"])
    assert person.organisation == world["jy_hosp"]  # always the token's institution
    event = AuditEvent.objects.get(action="create", object_type="core.Person", object_id=str(person.pk))
    assert event.api_token == token and event.actor is None
    assert (event.actor_username, event.actor_role) == (f"token:{token.prefix}", "institution_staff")
    response = post(
        bearer(world["secret"]), f"/api/core/people/{person.pk}/reveal", {"reason": "检验结果回传核对"}
    )
    assert response.json()["id_number"] == number
    assert AuditEvent.objects.get(action="unmask", object_id=str(person.pk)).api_token == token


def test_token_client_needs_no_csrf(world):
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {world['secret']}")
    response = client.patch(
        f"/api/core/organisations/{world['jy_hosp'].pk}",
        data='{"beds": 310}',
        content_type="application/json",
    )
    assert response.status_code == 200, response.content


def test_last_used_is_recorded(world):
    assert world["token"].last_used_at is None
    bearer(world["secret"]).get("/api/core/regions/510185")
    world["token"].refresh_from_db()
    assert world["token"].last_used_at is not None


def test_token_request_query_count(world, django_assert_max_num_queries):
    client = bearer(world["secret"])
    with django_assert_max_num_queries(4):  # token (with institution), last-used stamp, count, page
        assert client.get("/api/core/organisations").status_code == 200
    with django_assert_max_num_queries(3):  # the stamp is written at most once a minute
        assert client.get("/api/core/organisations").status_code == 200


# ---------------------------------------------------------------- revocation


def test_revoked_token_gets_401_at_once(world):
    client = bearer(world["secret"])
    assert client.get("/api/core/organisations").status_code == 200
    response = post(signed_in(world["staff"]), f"/api/core/api-tokens/{world['token'].prefix}/revoke")
    assert response.status_code == 200 and response.json()["revoked_at"]
    for method, path in (("get", "/api/core/organisations"), ("post", "/api/core/people")):
        refused = getattr(client, method)(path)
        assert "revoked" in assert_error(refused, 401, "unauthenticated")["message_en"]
        assert refused["WWW-Authenticate"].startswith("Bearer")
    event = AuditEvent.objects.get(action="update", object_type="core.APIToken")
    assert event.actor == world["staff"] and event.details["change"] == "revoked"


def test_revoke_twice_is_harmless(world):
    api_token_revoke(actor=world["admin"], token=world["token"])
    first = APIToken.objects.get().revoked_at
    api_token_revoke(actor=world["admin"], token=world["token"])
    assert APIToken.objects.get().revoked_at == first
    assert AuditEvent.objects.filter(action="update", object_type="core.APIToken").count() == 1


def test_revoke_refused_outside_scope(world, make_user):
    other_staff = make_user("institution_staff", organisation=world["dy_hosp"])
    assert_error(post(signed_in(other_staff), f"/api/core/api-tokens/{world['token'].prefix}/revoke"), 404)
    assert_error(
        post(signed_in(world["jy_officer"]), f"/api/core/api-tokens/{world['token'].prefix}/revoke"), 403
    )
    assert APIToken.objects.get().revoked_at is None


# ---------------------------------------------------------------- token endpoints


def test_issue_over_the_api(world):
    response = post(
        signed_in(world["staff"]),
        "/api/core/api-tokens",
        {"organisation_id": world["jy_hosp"].pk, "name": "PACS"},
    )
    assert response.status_code == 201 and response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["secret"].startswith("cb_") and body["notice_en"]
    assert bearer(body["secret"]).get("/api/core/organisations").status_code == 200
    listed = signed_in(world["staff"]).get("/api/core/api-tokens").json()["items"]
    assert {t["name"] for t in listed} == {"简阳医院 LIS", "PACS"} and all("secret" not in t for t in listed)


def test_issue_bad_input_and_scope(world):
    staff = signed_in(world["staff"])
    assert_error(
        post(staff, "/api/core/api-tokens", {"organisation_id": world["dy_hosp"].pk, "name": "x"}), 422
    )
    assert_error(
        post(staff, "/api/core/api-tokens", {"organisation_id": world["jy_hosp"].pk, "name": ""}), 422
    )
    assert_error(
        post(
            signed_in(world["jy_officer"]),
            "/api/core/api-tokens",
            {"organisation_id": world["jy_hosp"].pk, "name": "x"},
        ),
        403,
    )
    assert APIToken.objects.count() == 1


# ---------------------------------------------------------------- command line


def test_cli_issue_and_revoke(world):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "api_token",
        "issue",
        "--organisation",
        str(world["dy_hosp"].pk),
        "--name",
        "大邑 HIS",
        stdout=out,
        stderr=err,
    )
    secret = out.getvalue().strip()
    assert secret.startswith("cb_") and "只显示这一次" in err.getvalue()
    token = APIToken.objects.get(name="大邑 HIS")
    assert token.secret_hash == APIToken.hash_secret(secret) and token.created_by is None
    event = AuditEvent.objects.get(action="create", object_type="core.APIToken", object_id=str(token.pk))
    assert event.details["via"] == "command line"
    assert [o["id"] for o in bearer(secret).get("/api/core/organisations").json()["items"]] == [
        world["dy_hosp"].pk
    ]

    listing = io.StringIO()
    call_command("api_token", "list", stdout=listing)
    assert token.prefix in listing.getvalue() and secret not in listing.getvalue()

    call_command("api_token", "revoke", token.prefix, stdout=io.StringIO())
    assert_error(bearer(secret).get("/api/core/organisations"), 401)


def test_cli_checks_the_named_user_and_the_input(world):
    with pytest.raises(CommandError):
        call_command(
            "api_token",
            "--user",
            world["jy_officer"].username,
            "issue",
            "--organisation",
            str(world["jy_hosp"].pk),
            "--name",
            "x",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    with pytest.raises(CommandError):
        call_command("api_token", "issue", "--organisation", "999999", "--name", "x", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("api_token", "revoke", "nosuch", stdout=io.StringIO())
    assert APIToken.objects.count() == 1 and Organisation.objects.count() == 2
