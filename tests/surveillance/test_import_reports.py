"""Bulk import of case report cards through core imports: all-or-nothing, bilingual row messages."""

import datetime as dt

import pytest
from django.utils import timezone

from countybridge.core.identifiers import make_credit_code, make_resident_id
from countybridge.core.imports.services import import_file
from countybridge.surveillance.models import CaseReport
from tests.core.test_imports import csv_bytes, xlsx_bytes
from tests.core.test_imports_views import upload
from tests.support import signed_in

HEADER = [
    "患者姓名",
    "有效证件号",
    "病人属于",
    "现住址",
    "人群分类",
    "病例分类",
    "疾病名称",
    "疾病分型",
    "发病日期",
    "诊断日期",
    "诊断时",
    "填卡医生",
]


def rows(n=3, county="510185"):
    day = timezone.localdate() - dt.timedelta(days=1)
    out = [HEADER]
    for i in range(n):
        number = make_resident_id(county, dt.date(1970, 1, 1) + dt.timedelta(days=i), 21 + 2 * i)
        out.append(
            [
                f"患者{i}",
                number,
                "本县区",
                "某镇某村",
                "农民",
                "临床诊断病例",
                "细菌性和阿米巴性痢疾",
                "细菌性",
                (day - dt.timedelta(days=2)).isoformat(),
                day.isoformat(),
                9,
                "张医生",
            ]
        )
    return out


@pytest.fixture
def staff(make_user, clinics):
    return make_user("institution_staff", organisation=clinics["jianyang"])


def test_staff_import_commits_every_row_once(diseases, staff):
    report = import_file(
        actor=staff, registry="case_reports", content=csv_bytes(rows()), filename="cards.csv", commit=True
    )
    assert report.ok and report.committed, [e.as_dict() for e in report.errors]
    assert CaseReport.objects.filter(organisation=staff.organisation).count() == 3
    stored = CaseReport.objects.first()
    assert stored.disease.code == "dysentery" and stored.disease_subtype == "bacillary"
    assert timezone.localtime(stored.diagnosed_at).hour == 9 and stored.deadline_hours == 24
    again = import_file(
        actor=staff, registry="case_reports", content=csv_bytes(rows()), filename="cards.csv", commit=True
    )
    assert again.already_committed and CaseReport.objects.count() == 3
    # the same rows inside a different file are recognised by their generated ids: still stored once
    extended = rows(4)
    import_file(
        actor=staff, registry="case_reports", content=xlsx_bytes(extended), filename="more.xlsx", commit=True
    )
    assert CaseReport.objects.count() == 4


def test_one_bad_row_rejects_the_whole_file_with_bilingual_messages(diseases, staff):
    data = rows(3)
    data[2][1] = data[2][1][:-1] + ("0" if data[2][1][-1] != "0" else "1")  # wrong check character
    data[3][6] = "不存在的病"
    data[3][10] = 25
    report = import_file(
        actor=staff, registry="case_reports", content=csv_bytes(data), filename="bad.csv", commit=True
    )
    assert not report.ok and not report.committed
    by_row = {(e.row, e.field): e for e in report.errors}
    assert (3, "id_number") in by_row and "*" in by_row[(3, "id_number")].value
    assert (4, "disease") in by_row and (4, "diagnosed_hour") in by_row
    assert all(e.message_zh and e.message_en for e in report.errors)
    assert CaseReport.objects.count() == 0


def test_officer_import_needs_an_institution_in_scope(diseases, make_user, clinics):
    clinics["dayi"].credit_code = make_credit_code("12510129MB0000001")
    clinics["dayi"].save()
    jianyang_officer = make_user("county_officer", county="510185")
    data = [["报告单位信用代码", *rows(1)[0]], [clinics["dayi"].credit_code, *rows(1)[1]]]
    report = import_file(
        actor=jianyang_officer,
        registry="case_reports",
        content=csv_bytes(data),
        filename="x.csv",
        commit=True,
    )
    assert [e.code for e in report.errors] == ["scope"]
    dayi_officer = make_user("county_officer", county="510129")
    report = import_file(
        actor=dayi_officer, registry="case_reports", content=csv_bytes(data), filename="x.csv", commit=True
    )
    assert report.committed and CaseReport.objects.get().region.code == "510129"


def test_import_api_refuses_roles_without_access(diseases, make_user, staff):
    client = signed_in(make_user("department_officer", domain="education"))
    response = client.post("/api/core/imports/case_reports", {"file": upload(csv_bytes(rows()), "c.csv")})
    assert response.status_code == 403
    ok = signed_in(staff).post(
        "/api/core/imports/case_reports?commit=true", {"file": upload(csv_bytes(rows()), "c.csv")}
    )
    assert ok.status_code == 201, ok.content
    assert CaseReport.objects.count() == 3
