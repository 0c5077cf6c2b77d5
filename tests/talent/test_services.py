"""Talent services: certification per county with manual review, rule-set editing, scope, quotas."""

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from countybridge.core.models import AuditEvent
from countybridge.core.services.errors import ServiceValidationError
from countybridge.talent import services as s
from countybridge.talent import services_recruitment as r
from countybridge.talent.certification import shipped_ruleset_data
from countybridge.talent.models import (
    Certificate,
    CertificationApplication,
    JobApplication,
    Quota,
    QuotaUse,
    RuleSet,
)

from .conftest import ALL_DOCS, AS_OF, DAYI, JIANYANG, SECOND_PRIZE


def _submit(officer, talent, evidence=SECOND_PRIZE, **kw):
    return s.certification_submit(actor=officer, talent=talent, evidence=evidence, documents=ALL_DOCS, **kw)


def test_same_evidence_certified_in_jianyang_manual_review_in_dayi(officers, make_talent):
    jy = _submit(officers[JIANYANG], make_talent(JIANYANG))
    jy = s.certification_evaluate(actor=officers[JIANYANG], application=jy, as_of=AS_OF)
    assert jy.status == "certified"
    assert jy.decision["rule_id"] == "JY-B-ST-07" and jy.decision["item"]["key"] == "2023-B-sci_tech-07"
    assert [p["outcome"] for p in jy.decision["predicates"]] == ["fail", "pass"]
    cert = Certificate.objects.get(application=jy)
    assert cert.cls == "B" and cert.valid_to > cert.valid_from

    dy = _submit(officers[DAYI], make_talent(DAYI, name="王五"))
    dy = s.certification_evaluate(actor=officers[DAYI], application=dy, as_of=AS_OF)
    assert dy.status == "manual_review" and not Certificate.objects.filter(application=dy).exists()
    with pytest.raises(ServiceValidationError) as err:
        s.certification_decide(actor=officers[DAYI], application=dy, approve=True, cls="B", note="")
    assert err.value.problems[0].message_zh and err.value.problems[0].message_en
    dy = s.certification_decide(actor=officers[DAYI], application=dy, approve=True, cls="B", note="相当于B类")
    assert dy.status == "approved" and Certificate.objects.get(application=dy).cls == "B"
    assert (
        AuditEvent.objects.filter(object_type="talent.CertificationApplication", object_id=str(dy.pk)).count()
        >= 3
    )


def test_officer_cannot_certify_another_countys_applicant(officers, make_talent):
    app = _submit(officers[JIANYANG], make_talent(JIANYANG))
    with pytest.raises(PermissionDenied):
        s.certification_evaluate(actor=officers[DAYI], application=app, as_of=AS_OF)
    with pytest.raises(PermissionDenied):
        s.certification_evaluate(actor=officers["auditor"], application=app, as_of=AS_OF)
    app.refresh_from_db()
    assert app.status == "submitted"


def test_revocation_needs_a_reason(officers, make_talent):
    app = s.certification_evaluate(
        actor=officers[JIANYANG], application=_submit(officers[JIANYANG], make_talent()), as_of=AS_OF
    )
    cert = app.certificate
    with pytest.raises(ServiceValidationError):
        s.certificate_revoke(actor=officers[JIANYANG], certificate=cert, reason=" ")
    s.certificate_revoke(actor=officers[JIANYANG], certificate=cert, reason="材料造假")
    cert.refresh_from_db()
    assert cert.revoked_at is not None


def test_ruleset_saved_as_new_version_and_changes_the_decision(officers, make_talent, region):
    data = next(c for c in shipped_ruleset_data()["counties"] if c["county"] == DAYI)
    # 大邑 decides to recognise the second prize too (edited as data, no code)
    jy_rule = next(c for c in shipped_ruleset_data()["counties"] if c["county"] == JIANYANG)
    rule = next(x for x in jy_rule["rules"] if x["id"] == "JY-B-ST-07") | {"id": "DY-B-ST-07-NEW"}
    data["rules"].append(rule)
    row = s.ruleset_save(actor=officers[DAYI], region=region(DAYI), data=data)
    assert row.version == 1 and row.is_active
    app = s.certification_evaluate(
        actor=officers[DAYI], application=_submit(officers[DAYI], make_talent(DAYI)), as_of=AS_OF
    )
    assert app.status == "certified" and app.decision["rule_id"] == "DY-B-ST-07-NEW" and app.ruleset == row


def test_bad_ruleset_is_refused_bilingually_and_nothing_saved(officers, region):
    data = shipped_ruleset_data()["counties"][0] | {"rules": [{"id": "X", "item": "no-such", "criteria": {}}]}
    with pytest.raises(ServiceValidationError) as err:
        s.ruleset_save(actor=officers[JIANYANG], region=region(JIANYANG), data=data)
    assert all(p.message_zh and p.message_en for p in err.value.problems)
    with pytest.raises(PermissionDenied):
        s.ruleset_save(
            actor=officers[DAYI], region=region(JIANYANG), data=shipped_ruleset_data()["counties"][0]
        )
    assert not RuleSet.objects.exists()


def test_bad_submission_saves_nothing(officers, make_talent):
    talent = make_talent()
    with pytest.raises(ServiceValidationError):
        s.certification_submit(actor=officers[JIANYANG], talent=talent, evidence=[1], documents="x")
    assert not CertificationApplication.objects.exists()


def test_position_salary_band_and_public_application(
    officers, make_position, make_talent, make_user, make_org
):
    with pytest.raises(ServiceValidationError) as err:
        make_position(salary_min=20000, salary_max=10000)
    assert err.value.problems[0].field == "salary_max"
    position = make_position()
    talent = make_talent()
    user = make_user("public", person=talent.person)
    app = r.job_apply(actor=user, position=position)
    assert app.talent == talent and app.applicant == user
    with pytest.raises(ServiceValidationError):
        r.job_apply(actor=user, position=position)
    assert JobApplication.objects.count() == 1


def test_quota_allocation_and_exhaustion(officers, make_position, make_talent, make_org):
    e1, e2 = make_org(JIANYANG, kind="employer"), make_org(DAYI, kind="employer")
    result, rows = r.quota_allocate(
        actor=officers["admin"],
        programme="产业建圈强链",
        year=2026,
        places=3,
        floor=1,
        requests=[
            {"employer_id": str(e1.pk), "county": JIANYANG, "requested": 10},
            {"employer_id": str(e2.pk), "county": DAYI, "requested": 1},
        ],
    )
    assert sum(q.places for q in rows) == 3
    quota = Quota.objects.get(employer=e1)
    position = make_position(employer=e1)
    apps = [
        r.job_apply(actor=officers[JIANYANG], position=position, talent=make_talent(name=f"T{i}"))
        for i in range(3)
    ]
    for app in apps[: quota.places]:
        r.quota_consume(actor=officers[JIANYANG], quota=quota, application=app)
    r.quota_consume(actor=officers[JIANYANG], quota=quota, application=apps[0])  # retried: idempotent
    with pytest.raises(ServiceValidationError) as err:
        r.quota_consume(actor=officers[JIANYANG], quota=quota, application=apps[-1])
    assert err.value.problems[0].code == "quota_exhausted"
    with pytest.raises(PermissionDenied):
        r.quota_allocate(actor=officers[JIANYANG], programme="x", year=2026, places=1, floor=0, requests=[])
    with pytest.raises(ServiceValidationError):
        r.quota_allocate(actor=officers["admin"], programme="x", year=2026, places=-1, floor=0, requests=[])
    assert QuotaUse.objects.count() == quota.places


@pytest.mark.django_db(transaction=True)
def test_concurrent_applications_never_exceed_the_quota(officers, make_position, make_talent, make_org):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    employer = make_org(JIANYANG, kind="employer")
    position = make_position(employer=employer)
    quota = Quota.objects.create(
        programme="p", year=2026, region=employer.region, employer=employer, places=3
    )
    apps = [
        r.job_apply(actor=officers[JIANYANG], position=position, talent=make_talent(name=f"C{i}"))
        for i in range(10)
    ]
    barrier, outcomes = threading.Barrier(10), []

    def go(app):
        try:
            barrier.wait()
            r.quota_consume(actor=officers[JIANYANG], quota=quota, application=app)
            outcomes.append("ok")
        except ServiceValidationError:
            outcomes.append("full")
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=(a,)) for a in apps]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 3 and QuotaUse.objects.filter(quota=quota).count() == 3
