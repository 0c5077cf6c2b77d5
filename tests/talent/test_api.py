"""Talent API: certification per county, scope (other county 404, auditor 403, public only own), hard
requirements filtering candidates, bad input bilingual with nothing saved."""

import json

import pytest
from django.test import Client

from countybridge.talent.models import CertificationApplication, Position, RuleSet

from .conftest import ALL_DOCS, DAYI, JIANYANG, SECOND_PRIZE


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def post(c, url, data, method="post"):
    return getattr(c, method)(url, json.dumps(data), content_type="application/json")


def test_certify_via_api_and_scope(officers, make_talent):
    talent = make_talent(JIANYANG)
    jy, dy = client_for(officers[JIANYANG]), client_for(officers[DAYI])
    assert (
        post(dy, "/api/talent/certifications", {"talent": talent.pk, "evidence": SECOND_PRIZE}).status_code
        == 404
    )
    r = post(
        jy,
        "/api/talent/certifications",
        {"talent": talent.pk, "evidence": SECOND_PRIZE, "documents": ALL_DOCS},
    )
    assert r.status_code == 201
    pk = r.json()["id"]
    assert dy.post(f"/api/talent/certifications/{pk}/evaluate").status_code == 404
    assert client_for(officers["auditor"]).get(f"/api/talent/certifications/{pk}").status_code == 403
    r = jy.post(f"/api/talent/certifications/{pk}/evaluate")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] in ("certified", "manual_review", "incomplete", "not_eligible")
    assert body["decision"]["rules"]


def test_bad_ruleset_via_api_is_bilingual_and_saves_nothing(officers):
    c = client_for(officers[JIANYANG])
    r = post(
        c, f"/api/talent/rulesets/{JIANYANG}", {"scope": "county", "county": JIANYANG, "rules": "x"}, "put"
    )
    assert r.status_code == 422
    details = r.json()["error"]["details"]
    assert details and all(d["message_zh"] and d["message_en"] for d in details)
    assert post(c, f"/api/talent/rulesets/{DAYI}", {"scope": "county"}, "put").status_code == 403
    assert not RuleSet.objects.exists()


def test_candidates_respect_hard_requirements(officers, make_talent, make_position):
    position = make_position(min_degree="doctor")
    ok = make_talent(name="博士甲", degree="doctor")
    low = make_talent(name="硕士乙", degree="master")
    r = client_for(officers[JIANYANG]).get(f"/api/talent/positions/{position.pk}/candidates?k=10")
    assert r.status_code == 200, r.content
    ids = [x["talent"] for x in r.json()["matches"]]
    assert ok.pk in ids and low.pk not in ids
    assert r.json()["matches"][0]["requirements"]
    assert (
        client_for(officers[DAYI]).get(f"/api/talent/positions/{position.pk}/candidates").status_code == 404
    )
    assert (
        client_for(officers["auditor"]).get(f"/api/talent/positions/{position.pk}/candidates").status_code
        == 403
    )


def test_public_user_sees_only_own_applications(officers, make_talent, make_position, make_user):
    position = make_position()
    me, other = make_talent(name="我"), make_talent(name="他")
    me_user, other_user = make_user("public", person=me.person), make_user("public", person=other.person)
    assert post(client_for(me_user), f"/api/talent/positions/{position.pk}/apply", {}).status_code == 201
    assert post(client_for(other_user), f"/api/talent/positions/{position.pk}/apply", {}).status_code == 201
    mine = client_for(me_user).get("/api/talent/applications").json()
    assert [a["talent"] for a in mine] == [me.pk]
    # a public user cannot apply on someone else's behalf nor read other talents
    assert (
        post(
            client_for(me_user), f"/api/talent/positions/{position.pk}/apply", {"talent": other.pk}
        ).status_code
        == 404
    )
    assert client_for(me_user).get(f"/api/talent/talents/{other.pk}/positions").status_code == 404


def test_bad_position_input_saves_nothing(officers, make_org):
    employer = make_org(JIANYANG, kind="employer")
    c = client_for(officers[JIANYANG])
    r = post(
        c, "/api/talent/positions", {"employer": employer.pk, "name": "x", "salary_min": 9, "salary_max": 1}
    )
    assert r.status_code == 422 and r.json()["error"]["details"][0]["message_en"]
    r = post(c, "/api/talent/positions", {"employer": employer.pk, "name": "x", "min_degree": "wizard"})
    assert r.status_code == 422
    other = make_org(DAYI, kind="employer")
    assert post(c, "/api/talent/positions", {"employer": other.pk, "name": "x"}).status_code == 403
    assert not Position.objects.exists() and not CertificationApplication.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/api/talent/talents",
        "/api/talent/positions",
        "/api/talent/applications",
        "/api/talent/service-requests",
        "/api/talent/events",
    ],
)
def test_auditor_refused_on_lists(officers, url):
    assert client_for(officers["auditor"]).get(url).status_code == 403
