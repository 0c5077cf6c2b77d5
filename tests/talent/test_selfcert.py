"""Delegated class-C self-certification by institution staff: within quota, beyond quota (bilingual refusal,
nothing saved), other employer's staff refused, and the quota shown on the certification page."""

import copy

import pytest
from django.core.exceptions import PermissionDenied

from countybridge.core.models import AuditEvent
from countybridge.core.services.errors import ServiceValidationError
from countybridge.talent import certification as cert
from countybridge.talent.models import Certificate, CertificationApplication, RuleSet
from countybridge.talent.services_selfcert import quota_status, self_certify

from .conftest import ALL_DOCS, JIANYANG
from .test_api import client_for, post

C_EVIDENCE = {"awards": ["provincial_outstanding_talent"]}


@pytest.fixture
def delegated(make_org, make_user, make_talent, region):
    employer, other = make_org(JIANYANG, kind="employer"), make_org(JIANYANG, kind="employer")
    data = copy.deepcopy(next(r for r in cert.shipped_ruleset_data()["counties"] if r["county"] == JIANYANG))
    data["delegations"] = [
        {
            "id": "JY-TEST-01",
            "holder_kind": "employer",
            "holder_id": str(employer.pk),
            "holder_name": employer.name,
            "class": "C",
            "quota": 1,
            "valid_from": "2024-01-01",
            "valid_to": None,
        }
    ]
    RuleSet.objects.create(region=region(JIANYANG), version=1, data=data)
    staff = make_user("institution_staff", county=JIANYANG, organisation=employer)
    other_staff = make_user("institution_staff", county=JIANYANG, organisation=other)
    t1 = make_talent(JIANYANG, name="甲", employer=employer)
    t2 = make_talent(JIANYANG, name="乙", employer=employer)
    t_other = make_talent(JIANYANG, name="丙", employer=other)
    return staff, other_staff, t1, t2, t_other


def test_within_quota_then_beyond_is_refused(delegated):
    staff, _other, t1, t2, _t = delegated
    app = self_certify(actor=staff, talent=t1, evidence=C_EVIDENCE, documents=ALL_DOCS)
    assert app.status == "certified" and app.decision["self_certified"]["delegation_id"] == "JY-TEST-01"
    assert Certificate.objects.get(application=app).cls == "C"
    assert AuditEvent.objects.filter(details__event="self_certify").count() == 1
    [q] = quota_status(t1)
    assert (q["used"], q["left"]) == (1, 0)
    with pytest.raises(ServiceValidationError) as exc:
        self_certify(actor=staff, talent=t2, evidence=C_EVIDENCE, documents=ALL_DOCS)
    [p] = exc.value.problems
    assert p.code == "quota_exhausted" and p.message_zh and p.message_en
    assert CertificationApplication.objects.count() == 1 and Certificate.objects.count() == 1


def test_other_employers_staff_and_officers_refused(delegated, officers):
    staff, other_staff, t1, _t2, t_other = delegated
    with pytest.raises(PermissionDenied):
        self_certify(actor=other_staff, talent=t1, evidence=C_EVIDENCE, documents=ALL_DOCS)
    with pytest.raises(PermissionDenied):
        self_certify(actor=staff, talent=t_other, evidence=C_EVIDENCE, documents=ALL_DOCS)
    with pytest.raises(PermissionDenied):
        self_certify(actor=officers[JIANYANG], talent=t1, evidence=C_EVIDENCE, documents=ALL_DOCS)
    # The other employer holds no delegation even for its own employee.
    with pytest.raises(ServiceValidationError) as exc:
        self_certify(actor=other_staff, talent=t_other, evidence=C_EVIDENCE, documents=ALL_DOCS)
    assert exc.value.problems[0].code == "no_delegation"
    assert not CertificationApplication.objects.exists()


def test_bad_input_and_non_c_refused(delegated):
    staff, _o, t1, _t2, _t = delegated
    with pytest.raises(ServiceValidationError):
        self_certify(actor=staff, talent=t1, evidence="x", documents=ALL_DOCS)
    with pytest.raises(ServiceValidationError) as exc:
        self_certify(actor=staff, talent=t1, evidence={"degree": "本科"}, documents=ALL_DOCS)
    assert exc.value.problems[0].code == "not_self_certifiable"
    assert not CertificationApplication.objects.exists()


def test_api_and_page(delegated):
    staff, other_staff, t1, t2, _t = delegated
    c = client_for(staff)
    body = {"talent": t1.pk, "evidence": C_EVIDENCE, "documents": ALL_DOCS}
    assert post(client_for(other_staff), "/api/talent/self-certifications", body).status_code == 404
    r = post(c, "/api/talent/self-certifications", body)
    assert r.status_code == 201, r.content
    r = post(c, "/api/talent/self-certifications", body | {"talent": t2.pk})
    assert r.status_code == 422
    err = r.json()["error"]["details"][0]
    assert err["code"] == "quota_exhausted" and err["message_zh"] and err["message_en"]
    page = c.get(f"/talent/talents/{t2.pk}/self-certify/")
    assert page.status_code == 200 and b"JY-TEST-01" in page.content
    assert client_for(other_staff).get(f"/talent/talents/{t2.pk}/self-certify/").status_code == 404
    r = c.post(
        f"/talent/talents/{t2.pk}/self-certify/",
        {"evidence": '{"awards": ["provincial_outstanding_talent"]}', "documents": ",".join(ALL_DOCS)},
    )
    assert r.status_code == 200 and "The self-certification quota is used up" in r.content.decode()
    assert CertificationApplication.objects.count() == 1
    page = c.get(f"/talent/certifications/{CertificationApplication.objects.get().pk}/")
    assert page.status_code == 200 and b"JY-TEST-01" in page.content


@pytest.mark.django_db(transaction=True)
def test_concurrent_self_certifications_never_exceed_the_quota(delegated, make_talent):
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    staff, _o, t1, t2, _t = delegated
    employer = t1.employer
    talents = [t1, t2] + [make_talent(JIANYANG, name=f"并发{i}", employer=employer) for i in range(4)]
    barrier, outcomes = threading.Barrier(len(talents)), []

    def go(talent):
        try:
            barrier.wait()
            self_certify(actor=staff, talent=talent, evidence=C_EVIDENCE, documents=ALL_DOCS)
            outcomes.append("ok")
        except ServiceValidationError as exc:
            outcomes.append(exc.problems[0].code)
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=(t,)) for t in talents]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1 and outcomes.count("quota_exhausted") == len(talents) - 1
    assert Certificate.objects.count() == 1
