"""Case report pages: the intake card, the list with overdue and duplicate marks, the detail with versions."""

import datetime as dt

import pytest
from django.utils import timezone

from countybridge.surveillance.models import CaseReport
from countybridge.surveillance.services_reports import case_report_submit
from tests.support import signed_in


@pytest.fixture
def staff(make_user, clinics):
    return {key: make_user("institution_staff", organisation=org) for key, org in clinics.items()}


def test_intake_page_carries_catalogue_and_queue_script(diseases, staff):
    response = signed_in(staff["jianyang"]).get("/surveillance/reports/new/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="intake-catalogue"' in html and "surveillance/intake.js" in html
    assert "霍乱" in html and "流感样病例" in html  # notifiable diseases and syndromes
    assert "cdn" not in html.lower()
    assert '<option value="farmer"' in html  # the population groups, not the catalogue groups


def test_no_script_post_stores_the_card(diseases, staff, card):
    client = signed_in(staff["jianyang"])
    data = card()
    response = client.post("/surveillance/reports/new/", data)
    assert response.status_code == 302
    report = CaseReport.objects.get()
    assert report.organisation == staff["jianyang"].organisation
    again = client.post("/surveillance/reports/new/", data)  # the same card posted twice
    assert again.status_code == 302 and CaseReport.objects.count() == 1


def test_bad_post_shows_bilingual_errors_and_stores_nothing(diseases, staff, card):
    response = signed_in(staff["jianyang"]).post(
        "/surveillance/reports/new/", card(id_number="12345", onset_date="2099-01-01")
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "身份证号码应为18位" in html and "A resident ID number has 18 characters" in html
    assert CaseReport.objects.count() == 0


@pytest.mark.parametrize(
    "role, extra", [("department_officer", {"domain": "education"}), ("auditor", {}), ("public", {})]
)
def test_pages_refused_to_other_roles(diseases, make_user, role, extra):
    client = signed_in(make_user(role, **extra))
    assert client.get("/surveillance/reports/new/").status_code == 403
    assert client.get("/surveillance/reports/").status_code == 403


def test_list_marks_overdue_and_duplicates_and_is_scoped(diseases, staff, card, make_user):
    late_card = card(
        disease="cholera", diagnosed_at=(timezone.localtime() - dt.timedelta(hours=6)).isoformat()
    )
    late, _ = case_report_submit(actor=staff["jianyang"], data=late_card)
    first, _ = case_report_submit(actor=staff["jianyang"], data=card(id_number=late_card["id_number"]))
    dup, _ = case_report_submit(actor=staff["jianyang2"], data=card(id_number=late_card["id_number"]))
    dayi, _ = case_report_submit(actor=staff["dayi"], data=card())
    officer = signed_in(make_user("county_officer", county="510185"))
    html = officer.get("/surveillance/reports/").content.decode()
    assert html.count('data-testid="report-row"') == 3
    assert 'data-testid="overdue"' in html and 'data-testid="duplicate"' in html
    assert officer.get(f"/surveillance/reports/{dayi.pk}/").status_code == 404
    clinic = signed_in(staff["jianyang2"])
    assert clinic.get("/surveillance/reports/").content.decode().count('data-testid="report-row"') == 1
    assert clinic.get(f"/surveillance/reports/{first.pk}/").status_code == 404
    detail = clinic.get(f"/surveillance/reports/{dup.pk}/").content.decode()
    assert f"#{first.pk}" in detail and "王**" in detail and late_card["id_number"] not in detail
    assert signed_in(staff["dayi"]).get(f"/surveillance/reports/{late.pk}/").status_code == 404


def test_intake_page_is_chinese_by_default_and_english_on_request(diseases, staff):
    client = signed_in(staff["jianyang"])
    assert "新建传染病报告卡" in client.get("/surveillance/reports/new/").content.decode()
    english = client.get("/surveillance/reports/new/", HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "en"
    english = client.get("/surveillance/reports/new/").content.decode()
    assert "New case report" in english and "Record report" in english


def test_correct_and_withdraw_on_the_detail_page(diseases, staff, card):
    report, _ = case_report_submit(actor=staff["jianyang"], data=card(case_classification="suspected"))
    url = f"/surveillance/reports/{report.pk}/"
    other = signed_in(staff["jianyang2"])
    assert other.post(url, {"action": "withdraw", "reason": "不是我的"}).status_code == 404
    client = signed_in(staff["jianyang"])
    page = client.get(url).content.decode()
    # the forms are in the page body once, not also inside <title>
    assert page.count('data-testid="correct-form"') == 1 and page.count('data-testid="withdraw-form"') == 1
    assert "<form" not in page.split("</title>")[0]
    bad = client.post(
        url, {"action": "correct", "onset_date": "2099-01-01", "reason": "订正", "expected_version": 1}
    )
    assert bad.status_code == 422 and "发病日期不能晚于诊断日期" in bad.content.decode()
    ok = client.post(
        url,
        {"action": "correct", "case_classification": "confirmed", "reason": "确诊", "expected_version": 1},
    )
    assert ok.status_code == 302
    stale = client.post(
        url,
        {"action": "correct", "case_classification": "clinical", "reason": "再次订正", "expected_version": 1},
    )
    assert stale.status_code == 409
    assert client.post(url, {"action": "withdraw", "reason": ""}).status_code == 422
    assert client.post(url, {"action": "withdraw", "reason": "误报"}).status_code == 302
    report.refresh_from_db()
    assert report.status == "withdrawn" and report.versions.count() == 3
    assert 'data-testid="correct-form"' not in client.get(url).content.decode()


def test_service_worker_is_served_under_the_reports_path(client):
    response = client.get("/surveillance/reports/intake-sw.js")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/javascript")
    assert "cb-intake" in response.content.decode() and "/api/" not in response.content.decode()
