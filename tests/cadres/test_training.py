"""Training records: service, page form and POST /api/cadres/cadres/{id}/training. Only the organisation
department and the city administrator write; bad input is refused in Chinese and English with nothing
saved; a saved course raises the training hours the planner reads."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from countybridge.cadres import convert
from countybridge.cadres.models import Cadre, TrainingRecord
from countybridge.cadres.services import ServiceValidationError, training_add
from countybridge.core.models import AuditEvent

pytestmark = pytest.mark.django_db
JIANYANG = "510185"
J = "application/json"


def _hours(cadre: Cadre) -> float:
    [planned] = convert.engine_cadres(Cadre.objects.filter(pk=cadre.pk))
    return planned.training_hours


@pytest.fixture
def cadre(cadre_round):
    return Cadre.objects.filter(career__end__isnull=True, career__position__isnull=False).first()


@pytest.mark.parametrize("role,extra", [("county_officer", {"county": JIANYANG}), ("auditor", {})])
def test_training_refused_outside_organisation_line(client, make_user, cadre, role, extra):
    user = make_user(role, **extra)
    before = TrainingRecord.objects.count()
    with pytest.raises(PermissionDenied):
        training_add(actor=user, cadre=cadre, title="党校", year=2024, hours=40)
    client.force_login(user)
    body = {"title": "党校", "year": 2024, "hours": 40}
    assert client.post(f"/api/cadres/cadres/{cadre.pk}/training", body, content_type=J).status_code == 403
    assert client.post(reverse("cadres:training_add", args=[cadre.pk]), body).status_code == 403
    assert TrainingRecord.objects.count() == before


@pytest.mark.parametrize(
    "bad,field",
    [({"title": ""}, "title"), ({"hours": "many"}, "hours"), ({"hours": 0}, "hours"), ({"hours": 5000}, "hours"),
     ({"hours": "nan"}, "hours"), ({"year": 1800}, "year"), ({"year": "x"}, "year"), ({"title": "x" * 161}, "title")],
)  # fmt: skip
def test_training_bad_input_bilingual_nothing_saved(client, org_officer, cadre, bad, field):
    body = {"title": "党校主体班", "year": 2024, "hours": 40} | bad
    before = TrainingRecord.objects.count()
    with pytest.raises(ServiceValidationError) as err:
        training_add(actor=org_officer, cadre=cadre, **body)
    problem = err.value.problems[0]
    assert problem.field == field and problem.message_zh and problem.message_en
    client.force_login(org_officer)
    response = client.post(f"/api/cadres/cadres/{cadre.pk}/training", body, content_type=J)
    assert response.status_code == 422
    detail = response.json()["error"]["details"][0]
    assert detail["field"] == field and detail["message_zh"] and detail["message_en"]
    page = client.post(reverse("cadres:training_add", args=[cadre.pk]), body)
    assert page.status_code == 400 and problem.message_en in page.content.decode()
    assert TrainingRecord.objects.count() == before


def test_training_all_problems_reported_at_once(org_officer, cadre):
    with pytest.raises(ServiceValidationError) as err:
        training_add(actor=org_officer, cadre=cadre, title="", year="x", hours=-1)
    assert {p.field for p in err.value.problems} == {"title", "year", "hours"}


def test_training_success_updates_planner_hours(client, org_officer, make_user, cadre):
    start = _hours(cadre)
    training_add(actor=org_officer, cadre=cadre, title="党校", year=2024, hours=40)
    assert _hours(cadre) == pytest.approx(start + 40)
    assert AuditEvent.objects.filter(object_id=str(cadre.pk), details__hours=40).exists()
    client.force_login(make_user("city_admin"))
    body = {"title": "网络学院", "year": 2025, "hours": "12.5"}
    response = client.post(f"/api/cadres/cadres/{cadre.pk}/training", body, content_type=J)
    assert response.status_code == 201
    assert {"title": "网络学院", "year": 2025, "hours": 12.5} in response.json()["training"]
    page = client.post(
        reverse("cadres:training_add", args=[cadre.pk]), {"title": "专题班", "year": 2025, "hours": 8}
    )
    assert page.status_code == 302
    assert _hours(cadre) == pytest.approx(start + 60.5)
    detail = client.get(reverse("cadres:cadre_detail", args=[cadre.pk])).content.decode()
    assert "专题班" in detail and 'name="hours"' in detail


def test_training_other_county_is_404_for_api(client, org_officer):
    client.force_login(org_officer)
    response = client.post("/api/cadres/cadres/999999/training", {"title": "x", "year": 2024, "hours": 1},
                           content_type=J)  # fmt: skip
    assert response.status_code == 404
