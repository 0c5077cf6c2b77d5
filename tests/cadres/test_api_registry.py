"""Registry API: POST/PATCH for cadres, careers, assessments, relatives and positions; 403 outside the
organisation line; 422 with bilingual details and nothing saved on bad input."""

import pytest

from countybridge.cadres import services_registry as registry
from countybridge.cadres.models import Cadre, CareerPost, Position, Relative

from .test_registry import JIANYANG, cadre_data, position_data

pytestmark = pytest.mark.django_db
J = "application/json"


@pytest.fixture
def seeded(org_officer):
    cadre = registry.cadre_create(actor=org_officer, data=cadre_data())
    registry.cadre_create(actor=org_officer, data=cadre_data(code="GB-T2", name="王芳"))
    position = registry.position_create(actor=org_officer, data=position_data())
    return cadre, position


@pytest.mark.parametrize(
    "role,extra",
    [("county_officer", {"county": JIANYANG}), ("department_officer", {"domain": "health"}), ("auditor", {}),
     ("public", {})],
)  # fmt: skip
def test_api_writes_refused(client, make_user, seeded, role, extra):
    cadre, position = seeded
    client.force_login(make_user(role, **extra))
    calls = [
        ("post", "/api/cadres/cadres", cadre_data(code="GB-X")),
        ("patch", f"/api/cadres/cadres/{cadre.pk}", {"name": "x"}),
        (
            "post",
            f"/api/cadres/cadres/{cadre.pk}/career",
            {"title": "x", "level": "处级副职", "start": "2020-01-01"},
        ),
        ("post", f"/api/cadres/cadres/{cadre.pk}/assessments", {"year": 2024, "grade": "优秀"}),
        ("post", f"/api/cadres/cadres/{cadre.pk}/relatives", {"relative": "GB-T2", "kinship": "spouse"}),
        ("post", "/api/cadres/positions", position_data(code="P-X")),
        ("patch", f"/api/cadres/positions/{position.pk}", {"title": "x"}),
    ]
    for method, url, body in calls:
        response = getattr(client, method)(url, body, content_type=J)
        assert response.status_code in (403, 404), (role, url, response.content)
    assert Cadre.objects.count() == 2 and not CareerPost.objects.exists() and not Relative.objects.exists()
    assert Position.objects.get(pk=position.pk).title == "副县长"


def test_api_create_and_patch(client, org_officer, seeded):
    cadre, position = seeded
    client.force_login(org_officer)
    response = client.post(
        "/api/cadres/cadres", cadre_data(code="GB-API", fields=["industry"]), content_type=J
    )
    assert response.status_code == 201, response.content
    assert response.json()["code"] == "GB-API" and response.json()["fields"] == ["industry"]
    response = client.patch(f"/api/cadres/cadres/{cadre.pk}", {"grassroots_years": 8}, content_type=J)
    assert response.status_code == 200 and response.json()["grassroots_years"] == 8
    assert response.json()["name"] == "李明"
    body = {"position": "P-T1", "level": "处级副职", "start": "2021-03-01"}
    response = client.post(f"/api/cadres/cadres/{cadre.pk}/career", body, content_type=J)
    assert response.status_code == 201 and response.json()["career"][0]["end"] is None
    post = CareerPost.objects.get(cadre=cadre)
    response = client.patch(
        f"/api/cadres/cadres/{cadre.pk}/career/{post.pk}", {"end": "2024-03-01"}, content_type=J
    )
    assert response.status_code == 200 and response.json()["career"][0]["end"] == "2024-03-01"
    response = client.post(f"/api/cadres/cadres/{cadre.pk}/assessments", {"year": 2024, "grade": "称职"},
                           content_type=J)  # fmt: skip
    assert response.status_code == 201 and response.json()["assessments"] == [{"year": 2024, "grade": "称职"}]
    response = client.post(f"/api/cadres/cadres/{cadre.pk}/relatives", {"relative": "GB-T2", "kinship": "spouse"},
                           content_type=J)  # fmt: skip
    assert response.status_code == 201 and response.json()["relatives"] == [
        {"code": "GB-T2", "kinship": "spouse"}
    ]
    rel = Relative.objects.get()
    assert client.delete(f"/api/cadres/cadres/{cadre.pk}/relatives/{rel.pk}").status_code == 200
    response = client.post(
        "/api/cadres/positions", position_data(code="P-API", reports_to="P-T1"), content_type=J
    )
    assert response.status_code == 201 and response.json()["code"] == "P-API"
    response = client.patch(f"/api/cadres/positions/{position.pk}", {"is_open": False}, content_type=J)
    assert response.status_code == 200 and response.json()["is_open"] is False
    assert Position.objects.get(pk=position.pk).team == "JY-gov"


def test_api_bad_input_is_bilingual_and_saves_nothing(client, org_officer, seeded):
    cadre, position = seeded
    client.force_login(org_officer)
    response = client.post(f"/api/cadres/cadres/{cadre.pk}/relatives", {"relative": "GB-T2", "kinship": "bff"},
                           content_type=J)  # fmt: skip
    assert response.status_code == 422 and not Relative.objects.exists()
    detail = response.json()["error"]["details"][0]
    assert detail["message_zh"] and detail["message_en"] and detail["code"] == "unknown"
    body = {"title": "x", "level": "处级副职", "start": "2020-01-01", "end": "2019-12-31"}
    response = client.post(f"/api/cadres/cadres/{cadre.pk}/career", body, content_type=J)
    assert response.status_code == 422 and not CareerPost.objects.exists()
    client.post(f"/api/cadres/cadres/{cadre.pk}/career", dict(body, end=None), content_type=J)
    response = client.post(f"/api/cadres/cadres/{cadre.pk}/career", dict(body, end=None, start="2022-01-01"),
                           content_type=J)  # fmt: skip
    assert response.status_code == 422 and CareerPost.objects.count() == 1
    assert response.json()["error"]["details"][0]["code"] == "two_current"
    response = client.patch(f"/api/cadres/cadres/{cadre.pk}", {"level": "部长"}, content_type=J)
    assert response.status_code == 422 and Cadre.objects.get(pk=cadre.pk).level == "处级副职"
    response = client.patch(f"/api/cadres/positions/{position.pk}", {"reports_to": "P-T1"}, content_type=J)
    assert response.status_code == 422 and Position.objects.get(pk=position.pk).reports_to_id is None


def test_api_registers_the_person_with_the_cadre(client, org_officer, db):
    import datetime as dt

    from countybridge.core.identifiers import make_resident_id
    from countybridge.core.models import Person

    client.force_login(org_officer)
    number = make_resident_id(JIANYANG, dt.date(1980, 5, 1), 21)
    body = cadre_data(code="GB-PER", person={"id_number": number})
    response = client.post("/api/cadres/cadres", body, content_type=J)
    assert response.status_code == 201, response.content
    cadre = Cadre.objects.get(code="GB-PER")
    assert cadre.person.name == "李明" and cadre.person.id_number_masked != number
    before = Person.objects.count()
    response = client.post("/api/cadres/cadres", cadre_data(code="GB-PER2", person={"id_number": "12345678"}),
                           content_type=J)  # fmt: skip
    assert response.status_code == 422 and response.json()["error"]["details"][0]["message_en"]
    assert Person.objects.count() == before and not Cadre.objects.filter(code="GB-PER2").exists()
