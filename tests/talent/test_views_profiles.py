"""Talent profile pages (create through core person services, edit) and the quota allocation page: who may use
them, bad input (bilingual, nothing saved)."""

import datetime as dt

import pytest
from django.test import Client

from countybridge.core.identifiers import make_resident_id
from countybridge.core.models import AuditEvent, Person
from countybridge.talent.models import Quota, TalentProfile

from .conftest import DAYI, JIANYANG


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def rid(county=JIANYANG, order=11):
    return make_resident_id(county, dt.date(1990, 5, 17), order)


PROFILE = {"degree": "master", "title": "intermediate", "major": "软件工程", "years_experience": "4"}


def test_county_officer_creates_in_own_county_only(officers):
    c = client_for(officers[JIANYANG])
    r = c.post("/talent/talents/new/", {"name": "钱七", "id_number": rid(), "county": DAYI, **PROFILE})
    assert r.status_code == 302, r.content.decode()[:2000]
    talent = TalentProfile.objects.get()
    assert talent.region.code == JIANYANG and talent.person.id_number_masked != rid()
    assert AuditEvent.objects.filter(action="create", object_id=str(talent.pk)).exists()
    assert AuditEvent.objects.filter(action="create", object_id=str(talent.person.pk)).exists()
    # other roles refused
    assert client_for(officers["auditor"]).get("/talent/talents/new/").status_code == 403
    assert client_for(officers[DAYI]).get(f"/talent/talents/{talent.pk}/edit/").status_code == 404


def test_bad_input_is_bilingual_and_saves_nothing(officers):
    c = client_for(officers[JIANYANG])
    bad_id = rid()[:-1] + ("0" if rid()[-1] != "0" else "1")
    r = c.post(
        "/talent/talents/new/",
        {"name": "", "id_number": bad_id, **PROFILE, "degree": "wizard", "years_experience": "x"},
    )
    assert r.status_code == 200
    fields = {p.field for p in r.context["errors"]}
    assert {"name", "id_number"} & fields and "years_experience" in fields
    assert all(p.message_zh and p.message_en for p in r.context["errors"])
    r = c.post("/talent/talents/new/", {"name": "孙八", "id_number": rid(), **PROFILE, "degree": "wizard"})
    assert r.status_code == 200 and "degree" in {p.field for p in r.context["errors"]}
    assert not Person.objects.exists() and not TalentProfile.objects.exists()


def test_edit_profile(officers, make_talent):
    talent = make_talent(JIANYANG)
    c = client_for(officers[JIANYANG])
    assert c.get(f"/talent/talents/{talent.pk}/edit/").status_code == 200
    r = c.post(f"/talent/talents/{talent.pk}/edit/", {**PROFILE, "years_experience": "99"})
    assert r.status_code == 200 and r.context["errors"]
    r = c.post(f"/talent/talents/{talent.pk}/edit/", {**PROFILE, "skills_text": "嵌入式 Rust"})
    assert r.status_code == 302
    talent.refresh_from_db()
    assert (talent.degree, talent.years_experience, talent.skills_text) == ("master", 4, "嵌入式 Rust")
    assert AuditEvent.objects.filter(action="update", details__changed__degree__isnull=False).exists()


def test_institution_staff_only_own_employees(officers, make_org, make_user, make_talent):
    mine, theirs = make_org(JIANYANG, kind="employer"), make_org(JIANYANG, kind="employer")
    staff = make_user("institution_staff", county=JIANYANG, organisation=mine)
    c = client_for(staff)
    r = c.post(
        "/talent/talents/new/", {"name": "周九", "id_number": rid(order=23), "county": DAYI, **PROFILE}
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    created = TalentProfile.objects.get()
    assert created.employer == mine
    other = make_talent(JIANYANG, name="吴十", employer=theirs)
    assert c.get(f"/talent/talents/{other.pk}/edit/").status_code == 404
    assert c.post(f"/talent/talents/{other.pk}/edit/", PROFILE).status_code == 404
    assert (
        c.post(f"/talent/talents/{created.pk}/edit/", {**PROFILE, "employer": theirs.pk}).status_code == 302
    )
    created.refresh_from_db()
    assert created.employer == mine  # staff cannot move a talent to another employer


@pytest.fixture
def employers(make_org):
    return make_org(JIANYANG, kind="employer"), make_org(DAYI, kind="employer")


def test_quota_allocation_page_roles(officers, make_user, employers):
    a, b = employers
    form = {
        "programme": "蓉漂计划",
        "year": "2026",
        "places": "10",
        "floor": "1",
        f"req_{a.pk}": "6",
        f"req_{b.pk}": "4",
    }
    for user in (
        officers[JIANYANG],
        officers["auditor"],
        make_user("department_officer", domain="health"),
        make_user("institution_staff", county=JIANYANG, organisation=a),
    ):
        assert client_for(user).get("/talent/quotas/allocate/").status_code == 403
        assert client_for(user).post("/talent/quotas/allocate/", form).status_code == 403
    assert not Quota.objects.exists()
    hr = client_for(make_user("department_officer", domain="hr"))
    assert hr.get("/talent/quotas/allocate/").status_code == 200
    r = hr.post("/talent/quotas/allocate/", form)
    assert r.status_code == 302
    assert sum(Quota.objects.values_list("places", flat=True)) == 10
    org_dept = client_for(make_user("department_officer", domain="organisation"))
    assert org_dept.get("/talent/quotas/allocate/").status_code == 200
    assert client_for(officers["admin"]).get("/talent/quotas/allocate/").status_code == 200


def test_quota_allocation_bad_input(officers, employers):
    a, _b = employers
    c = client_for(officers["admin"])
    r = c.post(
        "/talent/quotas/allocate/", {"programme": "p", "year": "2026", "places": "x", f"req_{a.pk}": "y"}
    )
    assert r.status_code == 200
    assert {"places", f"req_{a.pk}"} <= {p.field for p in r.context["errors"]}
    r = c.post(
        "/talent/quotas/allocate/", {"programme": "", "year": "2026", "places": "5", f"req_{a.pk}": "2"}
    )
    assert r.status_code == 200 and r.context["errors"][0].message_zh and r.context["errors"][0].message_en
    assert not Quota.objects.exists()


def test_links_shown_to_writers(officers, make_talent, make_user):
    talent = make_talent(JIANYANG)
    c = client_for(officers[JIANYANG])
    assert b"/talent/talents/new/" in c.get("/talent/talents/").content
    assert f"/talent/talents/{talent.pk}/edit/".encode() in c.get(f"/talent/talents/{talent.pk}/").content
    assert b"/talent/quotas/allocate/" not in c.get("/talent/quotas/").content
    hr = client_for(make_user("department_officer", domain="hr"))
    assert b"/talent/quotas/allocate/" in hr.get("/talent/quotas/").content


def test_api_staff_create_only_for_own_employer(make_org, make_user, make_person):
    import json

    mine, theirs = make_org(JIANYANG, kind="employer"), make_org(JIANYANG, kind="employer")
    staff = make_user("institution_staff", county=JIANYANG, organisation=mine)
    person = make_person(JIANYANG, name="郑一", organisation=mine)
    c = client_for(staff)

    def post(body):
        return c.post("/api/talent/talents", json.dumps(body), content_type="application/json")

    assert post({"person": person.pk, "employer": theirs.pk}).status_code == 403
    assert post({"person": person.pk}).status_code == 403  # no employer: not theirs to write
    r = post({"person": person.pk, "employer": mine.pk, "degree": "wizard"})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["message_en"]
    assert not TalentProfile.objects.exists()
    assert post({"person": person.pk, "employer": mine.pk, "degree": "master"}).status_code == 201
