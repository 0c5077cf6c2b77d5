"""Ranking inside the user's scope (the engine gets `within=`), and institution staff limited to their own
employer's positions and applications on pages and API."""

import pytest

from countybridge.talent import match
from countybridge.talent.services_recruitment import job_apply

from .conftest import DAYI, JIANYANG
from .test_api import client_for

STRONG = "机器学习 数据分析 Python 平台建设 深度学习 数据挖掘"


def test_county_officer_gets_k_own_county_candidates_below_many_others(officers, make_talent, make_position):
    position = make_position(JIANYANG, skills_text=STRONG, responsibilities_text="数据分析 平台建设")
    # Sixty better-fitting talents of another county crowd the top of the city-wide ranking ...
    for i in range(60):
        make_talent(DAYI, name=f"大邑{i}", skills_text=STRONG + " 数据分析 机器学习")
    # ... and the officer's own county has more than k weaker ones further down.
    own = {make_talent(JIANYANG, name=f"简阳{i}", skills_text="Python").pk for i in range(5)}
    k = 3
    city_wide, _ = match.rank_talents_for(position, officers["admin"], 60)
    assert not own & set(city_wide.ids[:60]), "the set-up must put own-county talents below the others"
    result, rows = match.rank_talents_for(position, officers[JIANYANG], k)
    assert len(rows) == k and {t.pk for t, _ in rows} <= own
    r = client_for(officers[JIANYANG]).get(f"/api/talent/positions/{position.pk}/candidates?k={k}")
    assert r.status_code == 200, r.content
    ids = [x["talent"] for x in r.json()["matches"]]
    assert len(ids) == k and set(ids) <= own


def test_bad_k_is_refused(officers, make_position):
    position = make_position(JIANYANG)
    r = client_for(officers[JIANYANG]).get(f"/api/talent/positions/{position.pk}/candidates?k=-1")
    assert r.status_code == 422


@pytest.fixture
def staff_world(make_user, make_org, make_talent, make_position, officers):
    mine, theirs = make_org(JIANYANG, kind="employer"), make_org(JIANYANG, kind="employer")
    staff = make_user("institution_staff", county=JIANYANG, organisation=mine)
    p_mine, p_theirs = make_position(JIANYANG, employer=mine), make_position(JIANYANG, employer=theirs)
    talent = make_talent(JIANYANG)
    a_mine = job_apply(actor=officers[JIANYANG], position=p_mine, talent=talent)
    a_theirs = job_apply(actor=officers[JIANYANG], position=p_theirs, talent=talent)
    return staff, p_mine, p_theirs, a_mine, a_theirs


def test_institution_staff_api_sees_only_own_employer(staff_world):
    staff, p_mine, p_theirs, a_mine, a_theirs = staff_world
    c = client_for(staff)
    r = c.get("/api/talent/positions")
    assert r.status_code == 200
    body = r.json()
    items = body["items"] if isinstance(body, dict) and "items" in body else body
    ids = {x["id"] for x in items}
    assert p_mine.pk in ids and p_theirs.pk not in ids
    r = c.get("/api/talent/applications")
    assert r.status_code == 200
    body = r.json()
    items = body["items"] if isinstance(body, dict) and "items" in body else body
    ids = {x["id"] for x in items}
    assert a_mine.pk in ids and a_theirs.pk not in ids
    assert c.get(f"/api/talent/positions/{p_theirs.pk}/candidates").status_code == 404
    assert c.get(f"/api/talent/positions/{p_mine.pk}/candidates").status_code == 200


def test_institution_staff_pages_show_only_own_employer(staff_world):
    staff, p_mine, p_theirs, a_mine, a_theirs = staff_world
    c = client_for(staff)
    page = c.get("/talent/positions/")
    assert page.status_code == 200
    assert p_mine in page.context["positions"] and p_theirs not in page.context["positions"]
    assert c.get(f"/talent/positions/{p_theirs.pk}/").status_code == 404
    assert c.get(f"/talent/positions/{p_mine.pk}/").status_code == 200
    page = c.get("/talent/applications/")
    assert page.status_code == 200
    rows = list(page.context["applications"] if "applications" in page.context else page.context["rows"])
    assert a_mine in rows and a_theirs not in rows
