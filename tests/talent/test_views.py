"""Talent pages: every page refuses roles without scope (403/404), bad input shows bilingual errors and saves
nothing, certification shows the deciding item, rule, predicates and missing evidence."""

import json

import pytest
from django.test import Client

from countybridge.talent import services as s
from countybridge.talent.models import Event, RuleSet, ServiceRequest

from .conftest import ALL_DOCS, AS_OF, DAYI, JIANYANG, SECOND_PRIZE


def login(user):
    c = Client()
    c.force_login(user)
    return c


PAGES = [
    "/talent/",
    "/talent/talents/",
    "/talent/certifications/",
    "/talent/positions/",
    "/talent/applications/",
    "/talent/quotas/",
    "/talent/s/service-requests/",
    "/talent/s/events/",
    "/talent/s/training/",
    "/talent/s/expert-groups/",
    "/talent/s/demands/",
    "/talent/s/service-records/",
    "/talent/s/stations/",
    "/talent/s/signups/",
    "/talent/s/enrolments/",
    "/talent/benefits/",
]


@pytest.mark.parametrize("url", PAGES)
def test_pages_open_for_officers_and_refuse_auditors(officers, url):
    assert login(officers[JIANYANG]).get(url).status_code == 200
    assert login(officers["auditor"]).get(url).status_code == 403
    assert Client().get(url).status_code == 302  # sign in first


def test_certification_page_explains_and_is_county_scoped(officers, make_talent):
    talent = make_talent(DAYI)
    app = s.certification_submit(
        actor=officers[DAYI], talent=talent, evidence=SECOND_PRIZE, documents=ALL_DOCS
    )
    url = f"/talent/certifications/{app.pk}/"
    assert login(officers[JIANYANG]).get(url).status_code == 404
    assert login(officers[JIANYANG]).post(url, {"action": "evaluate"}).status_code == 404
    s.certification_evaluate(actor=officers[DAYI], application=app, as_of=AS_OF)
    page = login(officers[DAYI]).get(url).content.decode()
    assert 'data-testid="predicates"' in page and 'data-testid="decide"' in page  # manual review in 大邑
    r = login(officers[DAYI]).post(url, {"action": "approve", "cls": "B", "note": ""})
    assert "请写明理由" in r.content.decode() and "Give the reason" in r.content.decode()
    app.refresh_from_db()
    assert app.status == "manual_review"
    login(officers[DAYI]).post(url, {"action": "approve", "cls": "B", "note": "专家评议"})
    app.refresh_from_db()
    assert app.status == "approved"


def test_ruleset_editor_bilingual_errors_and_scope(officers):
    url = f"/talent/rulesets/{JIANYANG}/"
    c = login(officers[JIANYANG])
    assert c.get(url).status_code == 200
    r = c.post(url, {"data": "{not json"})
    assert "不是有效的JSON" in r.content.decode() and "Not valid JSON" in r.content.decode()
    bad = {
        "scope": "county",
        "county": JIANYANG,
        "catalogue_version": "2023",
        "id": "x",
        "rules": [{"id": "r"}],
    }
    r = c.post(url, {"data": json.dumps(bad)})
    assert 'data-testid="errors"' in r.content.decode()
    assert not RuleSet.objects.exists()
    assert login(officers[DAYI]).get(url).status_code == 403
    assert login(officers["auditor"]).get(url).status_code == 403


def test_position_page_ranks_only_eligible_and_public_applies(
    officers, make_talent, make_position, make_user
):
    position = make_position(min_degree="doctor")
    ok, low = make_talent(name="博士甲", degree="doctor"), make_talent(name="本科乙", degree="bachelor")
    page = login(officers[JIANYANG]).get(f"/talent/positions/{position.pk}/").content.decode()
    assert f'data-talent="{ok.pk}"' in page and f'data-talent="{low.pk}"' not in page
    public = make_user("public", person=low.person)
    assert login(public).post(f"/talent/positions/{position.pk}/").status_code == 302
    other = make_user("public", person=ok.person)
    page = login(other).get("/talent/applications/").content.decode()
    assert "data-application" not in page  # sees only their own (none)
    assert login(other).get(f"/talent/talents/{low.pk}/").status_code == 404
    assert login(officers[DAYI]).get(f"/talent/talents/{ok.pk}/").status_code == 404


def test_service_request_form_bad_input_and_scope(officers, make_talent):
    talent = make_talent(JIANYANG)
    c = login(officers[JIANYANG])
    r = c.post(
        "/talent/s/service-requests/new/", {"talent": talent.pk, "kind": "housing", "deadline": "not-a-date"}
    )
    assert r.status_code == 200 and not ServiceRequest.objects.exists()
    r = c.post(
        "/talent/s/service-requests/new/",
        {
            "talent": talent.pk,
            "kind": "housing",
            "deadline": "2026-12-31",
            "status": "open",
            "satisfaction": 9,
        },
    )
    assert "评分应为1–5" in r.content.decode() and "A rating is 1 to 5" in r.content.decode()
    assert not ServiceRequest.objects.exists()
    r = c.post(
        "/talent/s/service-requests/new/",
        {"talent": talent.pk, "kind": "housing", "deadline": "2026-12-31", "status": "open"},
    )
    assert r.status_code == 302 and ServiceRequest.objects.count() == 1
    sr = ServiceRequest.objects.get()
    assert login(officers[DAYI]).get(f"/talent/s/service-requests/{sr.pk}/").status_code == 404
    # a county officer cannot create an event for another county (the form offers only their own)
    r = c.post(
        "/talent/s/events/new/",
        {"region": officers[DAYI].region_id, "kind": "fair", "title": "x", "date": "2026-12-01"},
    )
    assert r.status_code == 200 and not Event.objects.exists()


def test_benefit_page_and_application_status(officers, make_talent, make_position):
    from countybridge.talent.models import Benefit, JobApplication
    from countybridge.talent.services_recruitment import job_apply

    url = "/talent/benefits/"
    assert login(officers["auditor"]).get(url).status_code == 403
    assert login(officers[JIANYANG]).post(url, {"cls": "A"}).status_code == 403
    r = login(officers["admin"]).post(url, {"cls": "Z", "kind": "", "valid_from": "x"})
    assert "类别应为A–F" in r.content.decode() and "The class is A to F" in r.content.decode()
    assert not Benefit.objects.exists()
    good = {
        "cls": "A",
        "kind": "housing",
        "terms": "购房补贴",
        "source_doc": "示例",
        "valid_from": "2024-01-01",
    }
    assert login(officers["admin"]).post(url, good).status_code == 302 and Benefit.objects.count() == 1
    assert f"/talent/rulesets/{JIANYANG}/" in login(officers[JIANYANG]).get("/talent/").content.decode()

    app = job_apply(actor=officers[JIANYANG], position=make_position(), talent=make_talent())
    r = login(officers[DAYI]).post("/talent/applications/", {"application": app.pk, "status": "hired"})
    assert r.status_code == 404
    r = login(officers[JIANYANG]).post("/talent/applications/", {"application": app.pk, "status": "bogus"})
    assert "状态应为" in r.content.decode()
    login(officers[JIANYANG]).post("/talent/applications/", {"application": app.pk, "status": "hired"})
    assert JobApplication.objects.get().status == "hired"
