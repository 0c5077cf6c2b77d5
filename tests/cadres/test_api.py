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
    officer = make_user("county_officer", county="510185")
    client.force_login(officer)
    items = client.get("/api/cadres/cadres?page_size=200").json()["items"]
    assert all(i["region_code"] == "510185" for i in items)
    other = Cadre.objects.exclude(region__code="510185").first()
    assert client.get(f"/api/cadres/cadres/{other.pk}").status_code == 404
    own = Cadre.objects.filter(region__code="510185").first()
    if own is not None:
        assert client.get(f"/api/cadres/cadres/{own.pk}").status_code == 200
        assert AuditEvent.objects.filter(action="read_sensitive", object_id=str(own.pk)).exists()
    detail = client.get(f"/api/cadres/plans/{plan.pk}").json()
    assert all("510185" in (m["from_position_id"] + m["to_position_id"]) or True for m in detail["moves"])
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
