"""Scope is enforced in one place (access.scope_queryset) and every selector goes through it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from countybridge.core import selectors, services
from countybridge.core.models import AuditEvent
from countybridge.core.services.errors import ServiceValidationError

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, make_org, make_person):
    jy_hosp = make_org("510185", name="简阳测试医院")
    dy_hosp = make_org("510129", name="大邑测试医院")
    admin = make_user("city_admin")
    return {
        "jy_hosp": jy_hosp,
        "dy_hosp": dy_hosp,
        "jy_person": make_person("510185", actor=admin, organisation=jy_hosp),
        "dy_person": make_person("510129", actor=admin, organisation=dy_hosp),
        "admin": admin,
        "jy_officer": make_user("county_officer", county="510185"),
        "staff": make_user("institution_staff", organisation=jy_hosp),
        "auditor": make_user("auditor"),
        "public": make_user("public"),
    }


def test_county_officer_sees_only_own_county(world):
    orgs = selectors.organisation_list(user=world["jy_officer"])
    assert world["jy_hosp"] in orgs and world["dy_hosp"] not in orgs
    with pytest.raises(Http404):
        selectors.organisation_get(user=world["jy_officer"], pk=world["dy_hosp"].pk)
    with pytest.raises(Http404):
        selectors.person_get(user=world["jy_officer"], pk=world["dy_person"].pk)


def test_institution_staff_sees_only_own_institution(world):
    assert list(selectors.organisation_list(user=world["staff"])) == [world["jy_hosp"]]
    assert list(selectors.person_list(user=world["staff"])) == [world["jy_person"]]


def test_auditor_and_public_see_no_registry(world):
    for user in (world["auditor"], world["public"]):
        assert not selectors.organisation_list(user=user).exists()
        assert not selectors.person_list(user=user).exists()


def test_person_read_is_audited_and_reveal_needs_reason(world):
    person = selectors.person_get(user=world["jy_officer"], pk=world["jy_person"].pk)
    assert AuditEvent.objects.filter(action="read_sensitive", object_id=str(person.pk)).exists()
    with pytest.raises(ServiceValidationError):
        services.person_reveal_id(actor=world["jy_officer"], person=person, reason="")
    number = services.person_reveal_id(actor=world["jy_officer"], person=person, reason="核对转诊身份")
    assert number.startswith("510185") and len(number) == 18
    row = AuditEvent.objects.get(action="unmask", object_id=str(person.pk))
    assert row.reason == "核对转诊身份" and row.actor == world["jy_officer"]


def test_reveal_refused_outside_scope_and_for_auditor(world):
    with pytest.raises(PermissionDenied):
        services.person_reveal_id(actor=world["jy_officer"], person=world["dy_person"], reason="查看原因")
    with pytest.raises(PermissionDenied):
        services.person_reveal_id(actor=world["auditor"], person=world["jy_person"], reason="查看原因")


def test_identifier_encrypted_at_rest(world):
    person = world["jy_person"]
    assert "510185" not in person.id_number_encrypted
    assert person.id_number_masked.startswith("510185") and "*" in person.id_number_masked
    found = services.people.find_person_by_document(
        id_type="resident_id",
        id_number=services.person_reveal_id(actor=world["admin"], person=person, reason="exact lookup test"),
    )
    assert found == person


def test_duplicate_document_is_refused(world, region):
    from countybridge.core.services.people import person_register

    number = services.person_reveal_id(
        actor=world["admin"], person=world["jy_person"], reason="duplicate test"
    )
    with pytest.raises(ServiceValidationError) as err:
        person_register(
            actor=world["admin"], data={"id_number": number, "name": "重复", "region": region("510185")}
        )
    assert err.value.problems[0].code == "duplicate"


def test_bad_id_number_is_rejected_bilingually_and_nothing_saved(world, region):
    from countybridge.core.models import Person
    from countybridge.core.services.people import person_register

    before = Person.objects.count()
    with pytest.raises(ServiceValidationError) as err:
        person_register(
            actor=world["admin"],
            data={"id_number": "510185199001011234", "name": "王五", "region": region("510185")},
        )
    problem = err.value.problems[0]
    assert (
        problem.field == "id_number"
        and "校验码" in problem.message_zh
        and "check character" in problem.message_en
    )
    assert "1234" in problem.value and "19900101" not in problem.value  # the echoed value is masked
    assert Person.objects.count() == before


def test_county_officer_cannot_create_in_another_county(world, region):
    with pytest.raises(PermissionDenied):
        services.organisation_create(
            actor=world["jy_officer"],
            data={
                "kind": "school",
                "name": "越权学校",
                "region": region("510129"),
                "school_stages": ["primary"],
            },
        )


def test_bad_credit_code_rejected(world, region):
    with pytest.raises(ServiceValidationError) as err:
        services.organisation_create(
            actor=world["admin"],
            data={
                "kind": "employer",
                "name": "测试企业",
                "region": region("510185"),
                "credit_code": "91510185MA6CXXXX00",
            },
        )
    assert err.value.problems[0].field == "credit_code"


def test_pairing_services_enforce_the_editor_rule(world, make_user, region):
    from countybridge.core.models import Pairing

    health = make_user("department_officer", domain="health")
    for user in (world["jy_officer"], health, world["auditor"]):
        with pytest.raises(PermissionDenied):
            services.pairing_set(
                actor=user, county_city=region("510185"), district=region("510104"), status="illustrative"
            )
    editor = make_user("department_officer", domain="organisation")
    pairing = services.pairing_set(
        actor=editor, county_city=region("510185"), district=region("510104"), status="illustrative"
    )
    with pytest.raises(PermissionDenied):
        services.pairing_delete(actor=world["jy_officer"], pairing=pairing)
    assert Pairing.objects.filter(pk=pairing.pk).exists()
