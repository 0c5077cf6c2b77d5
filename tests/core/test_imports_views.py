"""The import page, the import API endpoint and the `import_registry` command."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from countybridge.core.identifiers import make_credit_code
from countybridge.core.models import AuditEvent, ImportBatch, Organisation
from tests.support import signed_in

from .test_imports import csv_bytes, org_rows

pytestmark = pytest.mark.django_db


def code(n: int) -> str:
    return make_credit_code(f"12510185MC{n:07d}")


def upload(content: bytes, name: str = "orgs.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


# ---------------------------------------------------------------- page


def test_page_url_name_and_form(make_user):
    assert reverse("core:import_start") == "/core/imports/"
    response = signed_in(make_user("county_officer", county="510185")).get("/core/imports/")
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        'data-testid="import-form"' in html
        and 'value="organisations"' in html
        and 'value="pairings"' not in html
    )


@pytest.mark.parametrize("role", ["auditor", "public"])
def test_page_refuses_auditor_and_public(make_user, role):
    client = signed_in(make_user(role))
    assert client.get("/core/imports/").status_code == 403
    response = client.post(
        "/core/imports/", {"registry": "organisations", "file": upload(csv_bytes(org_rows()))}
    )
    assert response.status_code == 403
    assert ImportBatch.objects.count() == 0


def test_page_needs_login():
    response = Client().get("/core/imports/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_page_dry_run_then_commit(make_user):
    client = signed_in(make_user("county_officer", county="510185"))
    response = client.post(
        "/core/imports/", {"registry": "organisations", "file": upload(csv_bytes(org_rows()[:3]))}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="import-commit"' in html and Organisation.objects.count() == 0
    batch = ImportBatch.objects.get()
    response = client.post(reverse("core:import_commit", args=[batch.pk]))
    assert response.status_code == 200 and 'data-testid="import-done"' in response.content.decode()
    assert Organisation.objects.count() == 2
    again = client.post(reverse("core:import_commit", args=[batch.pk]))  # a double click writes nothing more
    assert again.status_code == 200 and Organisation.objects.count() == 2


def test_page_shows_row_errors_bilingually_and_no_commit_button(make_user):
    client = signed_in(make_user("county_officer", county="510185"))
    rows = org_rows()  # row 4 is a 大邑 organisation: out of this officer's scope
    response = client.post("/core/imports/", {"registry": "organisations", "file": upload(csv_bytes(rows))})
    html = response.content.decode()
    assert 'data-testid="import-errors"' in html and 'data-testid="import-commit"' not in html
    assert "超出管辖范围" in html and "Outside your scope" in html
    assert Organisation.objects.count() == 0


@pytest.mark.parametrize("content, name", [(b"PK\x03\x04broken", "a.xlsx"), (b"", "empty.csv")])
def test_page_unreadable_file_is_a_clear_error(make_user, content, name):
    client = signed_in(make_user("city_admin"))
    response = client.post("/core/imports/", {"registry": "organisations", "file": upload(content, name)})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="import-file-error"' in html and "Traceback" not in html
    assert ImportBatch.objects.count() == 0


def test_other_users_batch_is_404(make_user):
    owner = signed_in(make_user("city_admin"))
    owner.post("/core/imports/", {"registry": "organisations", "file": upload(csv_bytes(org_rows()[:2]))})
    batch = ImportBatch.objects.get()
    response = signed_in(make_user("city_admin")).post(reverse("core:import_commit", args=[batch.pk]))
    assert response.status_code == 404 and Organisation.objects.count() == 0


def test_institution_staff_sees_people_only(make_user, make_org):
    staff = make_user("institution_staff", organisation=make_org("510185", "primary_care"))
    client = signed_in(staff)
    html = client.get("/core/imports/").content.decode()
    assert 'value="people"' in html and 'value="organisations"' not in html
    response = client.post(
        "/core/imports/", {"registry": "organisations", "file": upload(csv_bytes(org_rows()))}
    )
    assert response.status_code == 400  # not a choice offered to this role: nothing checked, nothing saved
    assert client.get("/core/imports/template/organisations.csv").status_code == 403


def test_template_download_is_utf8_with_bom(make_user):
    response = signed_in(make_user("city_admin")).get("/core/imports/template/people.csv")
    assert response.status_code == 200 and response.content.startswith(b"\xef\xbb\xbf")
    assert response.content.decode("utf-8-sig").splitlines()[0].startswith("证件类型,证件号码,姓名")


# ---------------------------------------------------------------- command line


def run(*args):
    out = io.StringIO()
    try:
        call_command("import_registry", *args, stdout=out)
    except SystemExit as exc:
        return exc.code, out.getvalue()
    return 0, out.getvalue()


def test_cli_dry_run_prints_error_table(tmp_path):
    rows = org_rows()
    rows[1][3] = "519999"
    path = tmp_path / "orgs.csv"
    path.write_bytes(csv_bytes(rows, "gb18030"))
    status, output = run("organisations", str(path))
    assert status == 1
    assert "519999" in output and "未知的区(市)县代码" in output and "Unknown county code" in output
    assert Organisation.objects.count() == 0


def test_cli_commit_needs_user_and_imports(tmp_path, make_user):
    path = tmp_path / "orgs.csv"
    path.write_bytes(csv_bytes(org_rows()[:3]))
    with pytest.raises(CommandError, match="--user"):
        run("organisations", str(path), "--commit")
    status, output = run("organisations", str(path))
    assert status == 0 and "--commit" in output and Organisation.objects.count() == 0
    admin = make_user("city_admin")
    status, output = run("organisations", str(path), "--commit", "--user", admin.username)
    assert status == 0 and Organisation.objects.count() == 2
    assert AuditEvent.objects.get(action="import", object_type="core.ImportBatch").actor == admin
    status, output = run("organisations", str(path), "--commit", "--user", admin.username, "--json")
    assert json.loads(output)["already_committed"] is True and Organisation.objects.count() == 2


def test_cli_refuses_unreadable_file_and_unscoped_user(tmp_path, make_user):
    broken = tmp_path / "x.xlsx"
    broken.write_bytes(b"PK\x03\x04broken")
    with pytest.raises(CommandError, match="xlsx"):
        run("organisations", str(broken))
    good = tmp_path / "orgs.csv"
    good.write_bytes(csv_bytes(org_rows()))
    auditor = make_user("auditor")
    with pytest.raises(CommandError, match="may not import"):
        run("organisations", str(good), "--commit", "--user", auditor.username)
