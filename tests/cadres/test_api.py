"""API: scope and refusal, audited reads, edits re-checked (bilingual 422, nothing saved), approval."""

import pytest

from countybridge.cadres.models import Cadre, PlanStatus, RecruitmentQuota
from countybridge.cadres.services import plan_run
from countybridge.core.models import AuditEvent

from .conftest import AS_OF

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(cadre_round, org_officer):
    return plan_run(actor=org_officer, as_of=AS_OF, time_limit_s=10, workers=2)


def test_api_refuses_outsiders(client, make_user, plan):
    cadre = Cadre.objects.first()
    for user in (make_user("department_officer", domain="health"), make_user("auditor"), make_user("public")):
        client.force_login(user)
        for url in ("/api/cadres/cadres", f"/api/cadres/cadres/{cadre.pk}", "/api/cadres/positions",
                    "/api/cadres/plans", f"/api/cadres/plans/{plan.pk}", "/api/cadres/quotas", "/api/cadres/rules"):  # fmt: skip
            response = client.get(url)
            assert response.status_code == 403, (user.role, url)
            assert response.json()["error"]["message_en"]
        response = client.post(f"/api/cadres/plans/{plan.pk}/approve", content_type="application/json")
        assert response.status_code == 403


def test_api_county_scope_and_audited_read(client, make_user, plan):
    dayi = Cadre.objects.filter(region__code="510129").first()
    client.force_login(make_user("county_officer", county="510185"))
    items = client.get("/api/cadres/cadres?page_size=200").json()["items"]
    assert all(i["region_code"] == "510185" for i in items)
    assert client.get(f"/api/cadres/cadres/{dayi.pk}").status_code == 404
    officer = make_user("county_officer", county="510129")
    client.force_login(officer)
    items = client.get("/api/cadres/cadres?page_size=200").json()["items"]
    assert items and all(i["region_code"] == "510129" for i in items)
    assert client.get(f"/api/cadres/cadres/{dayi.pk}").status_code == 200
    assert AuditEvent.objects.filter(action="read_sensitive", object_id=str(dayi.pk), actor=officer).exists()
    detail = client.get(f"/api/cadres/plans/{plan.pk}").json()
    visible = set(Cadre.objects.filter(region__code="510129").values_list("code", flat=True))
    assert all(m["cadre_id"] in visible for m in detail["unplaced_must_move"])
    response = client.post(f"/api/cadres/plans/{plan.pk}/moves", {"cadre": "x", "position": "y"},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 403


def test_api_edit_recheck_and_approve(client, org_officer, plan):
    from .test_services import _breaking_pair

    client.force_login(org_officer)
    cadre_code, position_code = _breaking_pair(plan)
    before = plan.moves.count()
    url = f"/api/cadres/plans/{plan.pk}/moves"
    response = client.post(
        url, {"cadre": cadre_code, "position": position_code}, content_type="application/json"
    )
    assert response.status_code in (400, 422)
    details = response.json()["error"]["details"]
    assert details and all(d["message_zh"] and d["message_en"] for d in details)
    assert plan.moves.count() == before
    response = client.post(url, {"cadre": cadre_code, "position": position_code, "override_reason": "needed"},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 200 and response.json()["violations"]
    response = client.post(f"/api/cadres/plans/{plan.pk}/remove", {"cadre": cadre_code},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 200 and response.json()["violations"] == []
    response = client.post(f"/api/cadres/plans/{plan.pk}/approve", content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == PlanStatus.APPROVED


def test_api_quota_bad_input(client, make_user):
    client.force_login(make_user("city_admin"))
    response = client.post("/api/cadres/quotas", {"region": "999999", "year": 2025, "kind": "xuandiao",
                                                  "planned": 3}, content_type="application/json")  # fmt: skip
    assert response.status_code in (400, 422) and response.json()["error"]["details"][0]["message_zh"]
    response = client.post("/api/cadres/quotas", {"region": "510185", "year": 2025, "kind": "xuandiao",
                                                  "planned": 3, "filled": 4}, content_type="application/json")  # fmt: skip
    assert response.status_code in (400, 422)
    assert not RecruitmentQuota.objects.exists()
    response = client.post("/api/cadres/quotas", {"region": "510185", "year": 2025, "kind": "xuandiao",
                                                  "planned": 3, "filled": 2}, content_type="application/json")  # fmt: skip
    assert response.status_code == 200 and response.json()["filled"] == 2


def test_api_rules_and_plan_start(client, org_officer, make_user, django_capture_on_commit_callbacks):
    from countybridge.cadres.models import RuleSetVersion

    client.force_login(org_officer)
    bad = client.post(
        "/api/cadres/rules", {"settings": {"age_limit": {"max_age": -3}}}, content_type="application/json"
    )
    assert bad.status_code in (400, 422) and bad.json()["error"]["details"][0]["message_en"]
    unknown = client.post(
        "/api/cadres/rules", {"settings": {"nope": {"x": 1}}}, content_type="application/json"
    )
    assert unknown.status_code in (400, 422)
    assert RuleSetVersion.objects.count() <= 1
    ok = client.post(
        "/api/cadres/rules", {"settings": {"age_limit": {"max_age": 56}}}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["version"] == 2
    assert (
        client.post("/api/cadres/plans", {"time_limit": "x"}, content_type="application/json").status_code
        == 422
    )
    with django_capture_on_commit_callbacks(execute=False):
        started = client.post("/api/cadres/plans", {"time_limit": 5}, content_type="application/json")
    assert started.status_code == 202 and started.json()["job_id"]
    client.force_login(make_user("county_officer", county="510129"))
    assert client.get("/api/cadres/rules").status_code == 200
    assert (
        client.post("/api/cadres/rules", {"settings": {}}, content_type="application/json").status_code == 403
    )
    assert client.post("/api/cadres/plans", {}, content_type="application/json").status_code == 403
