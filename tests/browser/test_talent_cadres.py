"""Talent and cadre pages in a real browser: a 简阳 officer certifies a talent (the decision shows the
catalogue item and rule), sees the ranked candidates of a joint position, a job seeker applies and finds
only their own application, and the officer gives 简阳 its own cadre-exchange rule set."""

import json

import pytest

pytestmark = [pytest.mark.browser]

PASSWORD = "demo-password-123"  # the make_user fixture's password
JIANYANG = "510185"
EVIDENCE = {
    "degree": "博士",
    "awards": [{"code": "natural_science_2nd", "rank": 1, "year": 2021}],
    "annual_income": "约30万",
}
DOCUMENTS = "id_document,degree_certificate,award_certificate,employment_contract,social_insurance_record"


@pytest.fixture
def world(regions_loaded, make_user, make_org, make_person):
    from countybridge.talent.services import talent_create
    from countybridge.talent.services_recruitment import position_save

    admin = make_user("city_admin")
    seeker_person = make_person(JIANYANG, name="王五")
    data = {"major": "计算机科学与技术", "title": "intermediate", "years_experience": 5,
            "skills_text": "机器学习 数据分析 Python"}  # fmt: skip
    doctor = talent_create(
        actor=admin, person=make_person(JIANYANG, name="李四"), data={"degree": "doctor", **data}
    )
    seeker = talent_create(actor=admin, person=seeker_person, data={"degree": "master", **data})
    position = position_save(
        actor=admin,
        data={"employer": make_org(JIANYANG, kind="employer"), "name": "数据工程师", "min_degree": "master",
              "min_years": 2, "skills_text": "机器学习 Python", "responsibilities_text": "数据分析 平台建设",
              "salary_min": 8000, "salary_max": 15000},
    )  # fmt: skip
    return {
        "officer": make_user("county_officer", county=JIANYANG, domain="organisation"),
        "seeker": make_user("public", person=seeker_person),
        "doctor": doctor,
        "other": seeker,
        "position": position,
    }


def _log_in(page, base_url, username):
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def test_talent_and_cadre_pages(page, live_server, world):
    base = live_server.url
    _log_in(page, base, world["officer"].username)

    # certify: submit the evidence, evaluate, read the decision with its catalogue item and rule
    page.goto(f"{base}/talent/talents/{world['doctor'].pk}/certify/")
    page.fill("textarea[name=evidence]", json.dumps(EVIDENCE, ensure_ascii=False))
    page.fill("input[name=documents]", DOCUMENTS)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "/talent/certifications/" in page.url
    with page.expect_navigation():
        page.locator("button[name=action][value=evaluate]").click()
    decision = page.get_by_test_id("decision").inner_text()
    assert decision.strip() and page.get_by_test_id("predicates").locator("tbody tr").count() >= 1

    # the joint position ranks both talents who meet the hard requirements, with an explanation each
    page.goto(f"{base}/talent/positions/{world['position'].pk}/")
    rows = page.get_by_test_id("candidates").locator("tbody tr[data-talent]")
    ranked = {int(rows.nth(i).get_attribute("data-talent")) for i in range(rows.count())}
    assert {world["doctor"].pk, world["other"].pk} <= ranked

    # the county's own cadre-exchange rule set: inherited at first, its own after saving
    page.goto(f"{base}/cadres/rules/")
    assert page.get_by_test_id("rules-inherited").is_visible()
    page.fill("input[name='age_limit.max_age']", "57")
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").click()
    assert page.get_by_test_id("rules-inherited").count() == 0
    assert "v2" in page.locator("h1").inner_text()
    assert page.locator("input[name='age_limit.max_age']").input_value() == "57"

    # a job seeker applies to the position and sees only their own application
    _log_in(page, base, world["seeker"].username)
    page.goto(f"{base}/talent/positions/{world['position'].pk}/")
    with page.expect_navigation():
        page.get_by_test_id("apply").click()
    page.goto(f"{base}/talent/applications/")
    assert page.locator("[data-application]").count() == 1
    assert page.goto(f"{base}/talent/talents/{world['doctor'].pk}/").status == 404
    assert page.errors == []
