"""Pairing pages: who reads, who edits, bad input, and every write audited."""

import pytest
from django.urls import reverse

from countybridge.core.models import AuditEvent, Pairing


@pytest.fixture
def editor_client(client, make_user):
    client.force_login(make_user("department_officer", domain="organisation"))
    return client


def _pairing(county_city: str) -> Pairing:
    return Pairing.objects.filter(county_city__code=county_city).first()


def test_list_shows_known_and_illustrative_labels(editor_client):
    body = editor_client.get(reverse("core:pairing_list")).content.decode()
    assert "青羊区" in body and "崇州市" in body
    pairing_statuses = set(Pairing.objects.values_list("status", flat=True))
    assert pairing_statuses == {"known", "illustrative"}
    assert 'class="badge known"' in body and 'class="synthetic"' in body


@pytest.mark.parametrize(
    "role, kwargs", [("city_admin", {}), ("department_officer", {"domain": "organisation"})]
)
def test_editors_add_edit_delete_with_audit(client, make_user, role, kwargs):
    user = make_user(role, **kwargs)
    client.force_login(user)
    response = client.post(
        reverse("core:pairing_create"),
        {
            "county_city": "510185",
            "district": "510104",
            "status": "known",
            "description": "锦简合作",
            "source": "成都日报 2025-11-27",
        },
    )
    assert response.status_code == 302
    pairing = Pairing.objects.get(county_city__code="510185", district__code="510104")
    assert AuditEvent.objects.filter(
        action="create",
        object_type="core.Pairing",
        object_id=str(pairing.pk),
        actor=user,
        region_code="510185",
    ).exists()

    response = client.post(
        reverse("core:pairing_edit", args=[pairing.pk]),
        {
            "status": "illustrative",
            "description": "演示",
            "source": "",
        },
    )
    assert response.status_code == 302
    pairing.refresh_from_db()
    assert pairing.status == "illustrative" and pairing.description == "演示"
    assert AuditEvent.objects.filter(action="update", object_id=str(pairing.pk), actor=user).exists()

    response = client.post(reverse("core:pairing_delete", args=[pairing.pk]))
    assert response.status_code == 302
    assert not Pairing.objects.filter(pk=pairing.pk).exists()
    assert AuditEvent.objects.filter(action="delete", object_id=str(pairing.pk), actor=user).exists()


@pytest.mark.parametrize(
    "data, field, fragment",
    [
        ({"county_city": "510104", "district": "510185"}, "county_city", "Not a valid division"),
        ({"county_city": "510185", "district": "510185"}, "district", "cannot be paired with itself"),
        ({"county_city": "510185", "district": "999999"}, "district", "Not a valid division"),
        ({"county_city": "510185", "district": "510104", "source": ""}, "source", "needs a source"),
        ({"county_city": "510184", "district": "510105"}, "district", "exists already"),
        (
            {"county_city": "510185", "district": "510104", "status": "rumoured"},
            "status",
            "must be known or illustrative",
        ),
        ({"county_city": "", "district": "510104"}, "county_city", "This field is required"),
        (
            {"county_city": "510185", "district": "510104", "description": "x" * 201},
            "description",
            "Too long",
        ),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(editor_client, data, field, fragment):
    before_pairings = Pairing.objects.count()
    before_audit = AuditEvent.objects.filter(object_type="core.Pairing").count()
    payload = {"status": "known", "description": "", "source": "某来源", **data}
    response = editor_client.post(reverse("core:pairing_create"), payload)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert fragment in " ".join(response.context["form"].errors[field])
    assert Pairing.objects.count() == before_pairings
    assert AuditEvent.objects.filter(object_type="core.Pairing").count() == before_audit


def test_bad_edit_is_refused(editor_client):
    pairing = _pairing("510184")
    response = editor_client.post(
        reverse("core:pairing_edit", args=[pairing.pk]), {"status": "known", "description": "", "source": ""}
    )
    assert response.status_code == 400
    assert "已核实的结对须注明来源" in response.content.decode()
    pairing.refresh_from_db()
    assert pairing.source


def test_county_officer_reads_own_county_only(client, make_user):
    client.force_login(make_user("county_officer", county="510184"))  # 崇州
    response = client.get(reverse("core:pairing_list"))
    assert response.status_code == 200
    pairings = list(response.context["pairings"])
    assert pairings and all("510184" in (p.county_city.code, p.district.code) for p in pairings)
    assert not response.context["can_edit"]
    own = _pairing("510184")
    other = _pairing("510131")
    assert client.get(reverse("core:pairing_edit", args=[own.pk])).status_code == 403
    assert (
        client.post(reverse("core:pairing_edit", args=[own.pk]), {"status": "illustrative"}).status_code
        == 403
    )
    assert client.post(reverse("core:pairing_delete", args=[own.pk])).status_code == 403
    assert client.get(reverse("core:pairing_edit", args=[other.pk])).status_code == 404
    assert client.post(reverse("core:pairing_delete", args=[other.pk])).status_code == 404
    assert client.get(reverse("core:pairing_create")).status_code == 403
    assert Pairing.objects.filter(pk=own.pk).exists()


@pytest.mark.parametrize(
    "role, kwargs",
    [("auditor", {}), ("public", {}), ("department_officer", {"domain": "health"})],
)
def test_other_roles_refused(client, make_user, role, kwargs):
    client.force_login(make_user(role, **kwargs))
    pairing = _pairing("510184")
    assert client.get(reverse("core:pairing_list")).status_code == 403
    assert client.get(reverse("core:pairing_create")).status_code == 403
    assert client.post(reverse("core:pairing_delete", args=[pairing.pk])).status_code == 403
    assert Pairing.objects.filter(pk=pairing.pk).exists()


def test_institution_staff_refused(client, make_user, make_org):
    client.force_login(make_user("institution_staff", organisation=make_org("510185")))
    assert client.get(reverse("core:pairing_list")).status_code == 403


def test_delete_needs_post(editor_client):
    pairing = _pairing("510184")
    assert editor_client.get(reverse("core:pairing_delete", args=[pairing.pk])).status_code == 405


def test_pairing_list_query_count(editor_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = editor_client.get(reverse("core:pairing_list"))
    assert len(response.context["pairings"]) >= 8
