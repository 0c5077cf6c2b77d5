"""Exports: UTF-8 with BOM and .xlsx, scoped like the lists, masked people, audited, re-importable."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from countybridge.core import exports
from countybridge.core.identifiers import make_credit_code
from countybridge.core.imports import services as imports
from countybridge.core.models import AuditEvent, Organisation
from tests.support import signed_in

from .test_imports import PEOPLE_HEADER, RARE_TOWN, csv_bytes, org_rows, rid, with_column

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def csv_rows(response) -> list[list[str]]:
    raw = body(response)
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(body(response)), read_only=True).worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_url_names():
    assert reverse("core:organisation_export") == "/core/organisations/export/"
    assert reverse("core:person_export") == "/core/people/export/"


def test_rare_character_survives_import_database_and_export(make_user):
    admin = make_user("city_admin")
    rows = with_column(org_rows(), "基层机构类型", ["", "", "乡镇卫生院"])
    report = imports.import_file(
        actor=admin, registry="organisations", content=csv_bytes(rows, "gb18030"), commit=True
    )
    assert report.committed
    client = signed_in(admin)
    response = client.get("/core/organisations/export/", {"format": "csv", "region": "510129"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    table = csv_rows(response)
    assert table[0][:3] == ["名称", "类型", "统一社会信用代码"]
    assert table[1][0] == f"大邑县{RARE_TOWN}卫生院" and RARE_TOWN in table[1]
    sheet = xlsx_rows(client.get("/core/organisations/export/", {"format": "xlsx", "region": "510129"}))
    assert sheet[1][0] == f"大邑县{RARE_TOWN}卫生院" and RARE_TOWN in sheet[1]


def test_export_imports_again_unchanged(make_user):
    admin = make_user("city_admin")
    rows = with_column(org_rows(), "基层机构类型", ["", "", "乡镇卫生院"])
    imports.import_file(actor=admin, registry="organisations", content=csv_bytes(rows), commit=True)
    exported = body(signed_in(admin).get("/core/organisations/export/", {"format": "xlsx"}))
    before = {
        o.credit_code: (o.name, o.kind, o.hospital_level, o.beds, o.school_stages, o.township_id)
        for o in Organisation.objects.all()
    }
    Organisation.objects.all().delete()
    report = imports.import_file(
        actor=admin, registry="organisations", content=exported, filename="x.xlsx", commit=True
    )
    assert report.committed, [e.as_dict() for e in report.errors]
    after = {
        o.credit_code: (o.name, o.kind, o.hospital_level, o.beds, o.school_stages, o.township_id)
        for o in Organisation.objects.all()
    }
    assert after == before


def test_county_officer_exports_own_county_only(make_user, make_org):
    make_org("510185", "hospital", name="简阳医院")
    make_org("510129", "hospital", name="大邑医院")
    client = signed_in(make_user("county_officer", county="510185"))
    names = [r[0] for r in csv_rows(client.get("/core/organisations/export/"))[1:]]
    assert names == ["简阳医院"]
    other = csv_rows(client.get("/core/organisations/export/", {"region": "510129"}))
    assert other == [other[0]]  # asking for another county gives the header and nothing else
    event = AuditEvent.objects.filter(action="export").order_by("-id").first()
    assert event.details["count"] == 0 and event.details["filters"] == {"region": "510129"}
    assert event.region_code == "510185"


def test_people_export_masks_numbers_and_is_audited(make_user):
    admin = make_user("city_admin")
    numbers = [rid(day=30), rid("510129", 31, 13)]
    rows = [
        PEOPLE_HEADER,
        ["居民身份证", numbers[0], "甲", "", "", "510185", ""],
        ["居民身份证", numbers[1], "乙", "", "", "510129", "510129106"],
    ]
    assert imports.import_file(actor=admin, registry="people", content=csv_bytes(rows), commit=True).committed
    officer = signed_in(make_user("county_officer", county="510129"))
    before = AuditEvent.objects.filter(action="export").count()
    for fmt in ("csv", "xlsx"):
        response = officer.get("/core/people/export/", {"format": fmt})
        assert response.status_code == 200 and response["Cache-Control"] == "no-store"
        table = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
        assert [r[0] for r in table[1:]] == ["乙"]
        flat = " ".join(str(v) for row in table for v in row)
        assert numbers[1] not in flat and numbers[0] not in flat
        assert "510129********" in flat and RARE_TOWN in flat
    events = AuditEvent.objects.filter(action="export").order_by("id")[before:]
    assert [(e.object_type, e.details["format"], e.details["count"]) for e in events] == [
        ("core.Person", "csv", 1),
        ("core.Person", "xlsx", 1),
    ]


@pytest.mark.parametrize("role", ["auditor", "public"])
def test_auditor_and_public_are_refused(make_user, role):
    client = signed_in(make_user(role))
    assert client.get("/core/organisations/export/").status_code == 403
    assert client.get("/core/people/export/").status_code == 403
    assert not AuditEvent.objects.filter(action="export").exists()


def test_anonymous_is_sent_to_login():
    response = Client().get("/core/people/export/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_unknown_format_is_a_bilingual_400(make_user):
    response = signed_in(make_user("city_admin")).get("/core/organisations/export/", {"format": "pdf"})
    assert response.status_code == 400
    assert "导出格式" in response.content.decode() and "csv or xlsx" in response.content.decode()
    assert not AuditEvent.objects.filter(action="export").exists()


def test_list_pages_link_the_exports(make_user):
    client = signed_in(make_user("city_admin"))
    html = client.get("/core/organisations/", {"kind": "school"}).content.decode()
    assert "/core/organisations/export/?kind=school&amp;format=xlsx" in html
    assert "/core/people/export/?format=csv" in client.get("/core/people/").content.decode()


def test_formula_injection_is_neutralised(make_user, make_org):
    make_org(
        "510185", "employer", name='=HYPERLINK("http://x")', credit_code=make_credit_code("91510185MA0000001")
    )
    table = csv_rows(signed_in(make_user("city_admin")).get("/core/organisations/export/"))
    assert table[1][0].startswith("'=")
    assert exports.safe_text(-3) == -3 and exports.safe_text("-3") == "'-3"
