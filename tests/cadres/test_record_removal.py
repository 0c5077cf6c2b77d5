"""Striking a career post, assessment or training record entered in error: reason required, audit keeps
the removed values, scope and role refused, bad input changes nothing."""

import pytest

from countybridge.cadres import services
from countybridge.cadres import services_registry as registry
from countybridge.cadres.models import Assessment, CareerPost, TrainingRecord
from countybridge.core.models import AuditEvent
from tests.support import assert_error, signed_in

from .test_registry import cadre_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def file(org_officer):
    cadre = registry.cadre_create(actor=org_officer, data=cadre_data())
    post = registry.career_add(actor=org_officer, cadre=cadre,
                               data={"title": "乡镇党委书记", "level": "处级副职", "start": "2015-01-01",
                                     "end": "2019-12-31"})  # fmt: skip
    grade = registry.assessment_set(actor=org_officer, cadre=cadre, year=2022, grade="优秀")
    course = services.training_add(actor=org_officer, cadre=cadre, title="党校进修班", year=2023, hours=40)
    return cadre, {"career": post, "assessment": grade, "training": course}


def test_each_kind_is_removed_with_its_values_in_the_audit(org_officer, file):
    cadre, rows = file
    page = signed_in(org_officer).get(f"/cadres/cadres/{cadre.pk}/").content.decode()
    assert all(f'data-testid="remove-{kind}"' in page for kind in rows)
    for kind, row in rows.items():
        registry.record_remove(actor=org_officer, cadre=cadre, kind=kind, pk=row.pk, reason="录入错误")
    assert not CareerPost.objects.exists() and not Assessment.objects.exists()
    assert not TrainingRecord.objects.exists()
    events = AuditEvent.objects.filter(action=AuditEvent.Action.DELETE, object_id=str(cadre.pk))
    kept = {e.details["removed"]: e.details["record"] for e in events}
    assert kept["career"]["title"] == "乡镇党委书记" and kept["assessment"]["grade"] == "优秀"
    assert kept["training"]["hours"] == 40 and all(e.reason == "录入错误" for e in events)


def test_reason_kind_and_row_are_checked_and_nothing_removed(org_officer, file, make_user):
    cadre, rows = file
    client = signed_in(org_officer)
    url = f"/api/cadres/cadres/{cadre.pk}/records/training/{rows['training'].pk}"
    error = assert_error(client.delete(url), 422)
    assert error["details"][0]["field"] == "reason"
    assert_error(client.delete(f"/api/cadres/cadres/{cadre.pk}/records/salary/1?reason=x"), 422)
    assert_error(
        client.delete(f"/api/cadres/cadres/{cadre.pk}/records/career/{rows['training'].pk + 999}?reason=x"),
        422,
    )
    page = client.post(
        f"/cadres/cadres/{cadre.pk}/assessment/{rows['assessment'].pk}/remove/", {"reason": ""}
    )
    assert page.status_code == 400 and "删除理由" in page.content.decode()
    assert TrainingRecord.objects.count() == Assessment.objects.count() == CareerPost.objects.count() == 1
    ok = client.delete(f"{url}?reason=重复录入")
    assert (
        ok.status_code == 200 and ok.json()["training_hours"] == 0 if "training_hours" in ok.json() else True
    )
    assert not TrainingRecord.objects.exists()


def test_outsiders_cannot_remove(make_user, file):
    cadre, rows = file
    for user in (make_user("county_officer", county="510185"), make_user("department_officer", domain="health"),
                 make_user("auditor"), make_user("public")):  # fmt: skip
        client = signed_in(user)
        url = f"/api/cadres/cadres/{cadre.pk}/records/career/{rows['career'].pk}?reason=x"
        assert client.delete(url).status_code in (403, 404)
        page = client.post(f"/cadres/cadres/{cadre.pk}/career/{rows['career'].pk}/remove/", {"reason": "x"})
        assert page.status_code in (403, 404)
    assert CareerPost.objects.count() == 1
