"""POST /api/core/imports/{registry}: dry run, commit, retries, refusals, token clients."""

import pytest
from django.test import Client

from countybridge.core.identifiers import make_credit_code
from countybridge.core.models import APIToken, AuditEvent, Organisation, Person

from .test_imports import PEOPLE_HEADER, csv_bytes, org_rows, rid
from .test_imports_views import signed_in, upload

pytestmark = pytest.mark.django_db


def code(n: int) -> str:
    return make_credit_code(f"12510185MC{n:07d}")


def api_post(client, registry, content, name="f.csv", commit=None, **extra):
    path = f"/api/core/imports/{registry}" + ("" if commit is None else f"?commit={str(commit).lower()}")
    return client.post(path, {"file": upload(content, name)}, **extra)


def test_api_dry_run_and_commit(make_user):
    client = signed_in(make_user("city_admin"))
    dry = api_post(client, "organisations", csv_bytes(org_rows()[:3]))
    assert dry.status_code == 200 and dry.json()["ok"] and not dry.json()["committed"]
    assert Organisation.objects.count() == 0
    done = api_post(client, "organisations", csv_bytes(org_rows()[:3]), commit=True)
    assert done.status_code == 201 and done.json()["created"] == 2
    retry = api_post(client, "organisations", csv_bytes(org_rows()[:3]), commit=True)
    assert (
        retry.status_code == 200 and retry.json()["already_committed"] and Organisation.objects.count() == 2
    )


def test_api_rejected_commit_lists_row_errors(make_user):
    client = signed_in(make_user("city_admin"))
    rows = org_rows()[:3]
    rows[2][2] = "91510185MA0000000X"
    response = api_post(client, "organisations", csv_bytes(rows), commit=True)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "import_rejected" and error["message_zh"] and error["message_en"]
    assert error["details"] == [
        {
            "row": 3,
            "column": "统一社会信用代码",
            "field": "credit_code",
            "value": "91510185MA0000000X",
            "code": "uscc_checksum",
            "message_zh": "统一社会信用代码校验码错误",
            "message_en": "The credit code's check character is wrong",
        }
    ]
    assert Organisation.objects.count() == 0
    dry = api_post(client, "organisations", csv_bytes(rows))
    assert dry.status_code == 200 and dry.json()["errors"] == error["details"]  # the same errors either way


def test_api_unreadable_file_and_unknown_registry(make_user):
    client = signed_in(make_user("city_admin"))
    response = api_post(client, "organisations", b"PK\x03\x04broken", "x.xlsx")
    assert response.status_code == 400 and response.json()["error"]["code"] == "unreadable_file"
    assert api_post(client, "nothing", b"a,b\n1,2\n").status_code == 404
    assert client.post("/api/core/imports/organisations").status_code == 422  # no file part at all


@pytest.mark.parametrize("role", ["auditor", "public"])
def test_api_refuses_auditor_and_public(make_user, role):
    response = api_post(signed_in(make_user(role)), "organisations", csv_bytes(org_rows()))
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    assert api_post(Client(), "people", b"x").status_code == 401


def test_api_token_registers_people_for_its_institution(make_user, make_org):
    clinic = make_org("510185", "primary_care", credit_code=code(1))
    prefix, secret = APIToken.new_secret()
    APIToken.objects.create(
        name="HIS", organisation=clinic, prefix=prefix, secret_hash=APIToken.hash_secret(secret)
    )
    rows = [PEOPLE_HEADER, ["居民身份证", rid(day=20), "赵", "", "", "510185", ""]]
    response = api_post(
        Client(), "people", csv_bytes(rows), commit=True, HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert response.status_code == 201, response.content
    assert Person.objects.get(name="赵").organisation == clinic
    event = AuditEvent.objects.get(action="import", object_type="core.ImportBatch")
    assert event.api_token.prefix == prefix
    assert (
        api_post(
            Client(), "organisations", csv_bytes(org_rows()), HTTP_AUTHORIZATION=f"Bearer {secret}"
        ).status_code
        == 403
    )


def test_api_refuses_oversized_files_before_reading_them(make_user, monkeypatch):
    from countybridge.core.api import imports as api_imports

    monkeypatch.setattr(api_imports, "MAX_FILE_BYTES", 10)
    response = api_post(signed_in(make_user("city_admin")), "organisations", csv_bytes(org_rows()))
    assert response.status_code == 413 and response.json()["error"]["code"] == "file_too_large"
    assert response.json()["error"]["message_zh"] and response.json()["error"]["message_en"]


def test_api_refuses_a_registry_the_role_may_not_import(make_user, make_org):
    staff = make_user("institution_staff", organisation=make_org("510185", "primary_care"))
    response = api_post(signed_in(staff), "organisations", csv_bytes(org_rows()))
    assert response.status_code == 403 and Organisation.objects.count() == 1
