"""More talent endpoints: talent profiles, application outcomes (place released), quota allocation, benefits."""

import json

from countybridge.talent.models import Benefit, JobApplication, Quota, QuotaUse, TalentProfile
from countybridge.talent.services_recruitment import job_apply, quota_consume

from .conftest import DAYI, JIANYANG
from .test_api import client_for, post


def test_create_talent_scope_and_bad_input(officers, make_person):
    person = make_person(JIANYANG, name="赵六")
    jy, dy = client_for(officers[JIANYANG]), client_for(officers[DAYI])
    assert post(dy, "/api/talent/talents", {"person": person.pk}).status_code == 404
    r = post(jy, "/api/talent/talents", {"person": person.pk, "degree": "wizard", "years_experience": 99})
    assert r.status_code == 422 and {d["field"] for d in r.json()["error"]["details"]} >= {"degree"}
    assert not TalentProfile.objects.exists()
    assert post(jy, "/api/talent/talents", {"person": person.pk, "degree": "master"}).status_code == 201
    assert (
        post(client_for(officers["auditor"]), "/api/talent/talents", {"person": person.pk}).status_code == 403
    )


def test_application_outcome_releases_the_place(officers, make_talent, make_position):
    position = make_position()
    app = job_apply(actor=officers[JIANYANG], position=position, talent=make_talent())
    quota = Quota.objects.create(
        programme="p", year=2026, region=position.region, employer=position.employer, places=1
    )
    quota_consume(actor=officers[JIANYANG], quota=quota, application=app)
    url = f"/api/talent/applications/{app.pk}"
    assert (
        client_for(officers[DAYI]).patch(url, json.dumps({"status": "hired"}), "application/json").status_code
        == 404
    )
    r = client_for(officers[JIANYANG]).patch(url, json.dumps({"status": "bogus"}), "application/json")
    assert r.status_code == 422
    r = client_for(officers[JIANYANG]).patch(url, json.dumps({"status": "rejected"}), "application/json")
    assert r.status_code == 200 and not QuotaUse.objects.exists()
    assert JobApplication.objects.get().status == "rejected"


def test_allocate_endpoint(officers, make_org):
    e1, e2 = make_org(JIANYANG, kind="employer"), make_org(DAYI, kind="employer")
    body = {
        "programme": "产业建圈强链",
        "year": 2026,
        "places": 5,
        "floor": 1,
        "requests": [
            {"employer_id": str(e1.pk), "county": JIANYANG, "requested": 8},
            {"employer_id": str(e2.pk), "county": DAYI, "requested": 2},
        ],
    }
    assert post(client_for(officers[JIANYANG]), "/api/talent/quotas/allocate", body).status_code == 403
    r = post(client_for(officers["admin"]), "/api/talent/quotas/allocate", body | {"floor": 9, "places": 1})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["message_zh"]
    assert not Quota.objects.exists()
    r = post(client_for(officers["admin"]), "/api/talent/quotas/allocate", body)
    assert r.status_code == 201 and sum(Quota.objects.values_list("places", flat=True)) == 5
    assert r.json()["steps"]


def test_benefits_are_a_separate_table_with_source(officers):
    admin = client_for(officers["admin"])
    good = {
        "cls": "A",
        "kind": "housing",
        "terms": "购房补贴",
        "source_doc": "示例文件",
        "valid_from": "2024-01-01",
    }
    assert post(client_for(officers[JIANYANG]), "/api/talent/benefits", good).status_code == 403
    r = post(admin, "/api/talent/benefits", good | {"valid_to": "2023-01-01"})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["message_en"]
    r = post(admin, "/api/talent/benefits", good | {"cls": "Z", "source_doc": ""})
    assert r.status_code == 422 and not Benefit.objects.exists()
    assert post(admin, "/api/talent/benefits", good).status_code == 201
    assert client_for(officers[JIANYANG]).get("/api/talent/benefits").json()[0]["source_doc"] == "示例文件"
    assert client_for(officers["auditor"]).get("/api/talent/benefits").status_code == 403


def test_talent_submits_service_request_and_signs_up(officers, make_talent, make_user, region):
    import datetime as dt

    from countybridge.talent.models import Event, EventSignup, ServiceRequest, ServiceStation

    talent = make_talent(JIANYANG)
    me = client_for(make_user("public", person=talent.person))
    station = ServiceStation.objects.create(name="简阳人才服务站", region=region(JIANYANG), kinds=["housing"])
    r = post(me, "/api/talent/service-requests", {"kind": "flying", "deadline": "not-a-date"})
    assert r.status_code == 422 and all(
        d["message_zh"] and d["message_en"] for d in r.json()["error"]["details"]
    )
    assert not ServiceRequest.objects.exists()
    r = post(me, "/api/talent/service-requests", {"kind": "housing", "deadline": "2026-12-31"})
    assert r.status_code == 201 and r.json()["station"] == station.pk
    assert (
        post(
            client_for(officers[JIANYANG]),
            "/api/talent/service-requests",
            {"kind": "housing", "deadline": "2026-12-31"},
        ).status_code
        == 403
    )
    mine = me.get("/api/talent/service-requests").json()["requests"]
    assert len(mine) == 1
    assert client_for(officers[DAYI]).get("/api/talent/service-requests").json()["requests"] == []
    event = Event.objects.create(region=region(DAYI), kind="fair", title="招聘会", date=dt.date(2026, 12, 1))
    assert post(me, f"/api/talent/events/{event.pk}/sign-up", {}).status_code == 201
    assert post(me, f"/api/talent/events/{event.pk}/sign-up", {}).status_code == 422
    assert EventSignup.objects.count() == 1
