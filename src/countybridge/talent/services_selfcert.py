"""Delegated self-certification: a county's rule set may grant an employer or a park a class-C quota
(`delegations` in the rule set data). Institution staff of that holder then certify class C for their own
employees, within the quota, without a county officer. The engine decides the class and reports whether a
delegation applies; this module checks who may use it, counts the places used and records the certificate.

Places used are the applications certified through the delegation (their stored decision carries
`self_certified.delegation_id`). A revoked certificate keeps its place: the quota counts certificates
granted, and a holder must not be able to revoke and re-issue to exceed it. The holder organisation's row is locked with select_for_update before
counting, so two staff certifying at the same time cannot both take the last place."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from countybridge.core import access, audit
from countybridge.core.models import AuditEvent, Organisation, Role
from countybridge.core.services.errors import FieldProblem, ServiceValidationError

from . import certification as cert
from .models import CertificationApplication, TalentProfile
from .services import _issue, active_ruleset, problem

A = AuditEvent.Action
DELEGATED_CLASS = "C"


def holder_ids(org: Organisation) -> set[str]:
    """A delegation names its holder by the organisation's registry id or its unified social credit code."""
    return {str(org.pk)} | ({org.credit_code} if org.credit_code else set())


def _holder_key(org: Organisation | None, data: dict, kind: str) -> str | None:
    """The id under which the rule set's delegations know `org` (None if no delegation names it)."""
    if org is None:
        return None
    ids = holder_ids(org)
    for d in data.get("delegations") or []:
        if isinstance(d, dict) and d.get("holder_kind") == kind and d.get("holder_id") in ids:
            return d["holder_id"]
    return str(org.pk)


def holders_of(talent: TalentProfile, data: dict) -> dict:
    """employer_id / park_id of a talent for the engine: the employer, and its park (the employer's parent)."""
    employer = talent.employer
    park = employer.parent if employer is not None and employer.parent_id else None
    if park is not None and park.kind != "park":
        park = None
    return {
        "employer_id": _holder_key(employer, data, "employer"),
        "park_id": _holder_key(park, data, "park"),
    }


def places_used(region, delegation_id: str) -> int:
    return CertificationApplication.objects.filter(
        region=region, decision__self_certified__delegation_id=delegation_id
    ).count()


def quota_status(talent: TalentProfile, as_of: dt.date | None = None) -> list[dict]:
    """The delegations of the talent's county that name the talent's employer or park, with places used
    (what the certification pages show)."""
    _row, data = active_ruleset(talent.region)
    if not data:
        return []
    held = {(k.removesuffix("_id"), v) for k, v in holders_of(talent, data).items() if v}
    today = as_of or timezone.localdate()
    out = []
    for d in data.get("delegations") or []:
        if not isinstance(d, dict) or (d.get("holder_kind"), d.get("holder_id")) not in held:
            continue
        start, end = d.get("valid_from"), d.get("valid_to")
        active = (not start or str(start) <= today.isoformat()) and (not end or today.isoformat() < str(end))
        used = places_used(talent.region, d.get("id"))
        out.append(d | {"used": used, "left": max(int(d.get("quota") or 0) - used, 0), "active": active})
    return out


def _staff_holder(actor, talent: TalentProfile) -> Organisation:
    """Only institution staff of the talent's employer (or of the park the employer sits in)."""
    if access.role_of(actor) != Role.INSTITUTION_STAFF or not actor.organisation_id:
        raise PermissionDenied("self-certification is for staff of a delegated employer or park")
    employer = talent.employer
    if employer is None:
        raise PermissionDenied("the talent has no employer")
    if actor.organisation_id not in (employer.pk, employer.parent_id):
        raise PermissionDenied("not an employee of the actor's organisation")
    return actor.organisation


def _refuse(field, value, zh, en, code):
    raise ServiceValidationError([problem(field, value, zh, en, code)])


@transaction.atomic
def self_certify(
    *, actor, talent, evidence, documents, claimed_item="", as_of: dt.date | None = None, request=None
) -> CertificationApplication:
    """Submit and decide in one step under the holder's delegation. Anything but a class-C certification
    covered by a delegation of the actor's organisation, with a place left, is refused and nothing is saved."""
    talent = TalentProfile.objects.select_related("employer__parent", "region").get(pk=talent.pk)
    holder = _staff_holder(actor, talent)
    # Lock the holder first: concurrent self-certifications by the same holder queue here.
    Organisation.objects.select_for_update().get(pk=holder.pk)
    if not isinstance(evidence, dict):
        _refuse("evidence", evidence, "证据应为JSON对象", "Evidence must be a JSON object", "invalid")
    if not isinstance(documents, list) or not all(isinstance(d, str) for d in documents):
        _refuse("documents", documents, "材料应为代码列表", "Documents must be a list of codes", "invalid")
    row, data = active_ruleset(talent.region)
    if data is None:
        _refuse(
            "ruleset",
            talent.region.code,
            "本县市尚无认定规则集",
            "This county has no rule set yet",
            "missing",
        )
    payload = {
        "county": talent.region.code,
        "evidence": evidence,
        "documents": documents,
        "claimed_item": claimed_item or None,
        "as_of": as_of or timezone.localdate(),
        **holders_of(talent, data),
    }
    try:
        decision = cert.evaluate(payload, data, cert.load_catalogue(data.get("catalogue_version") or "2023"))
    except (cert.ApplicationError, cert.RuleSetError) as exc:
        raise ServiceValidationError(
            [FieldProblem(p.field, p.value, p.message_zh, p.message_en, p.code) for p in exc.problems]
        ) from None
    q = decision.quota
    if decision.decision != cert.CERTIFIED or decision.certified_class != DELEGATED_CLASS:
        _refuse(
            "evidence",
            decision.decision,
            "按规则不能直接认定为C类人才，请提交县市人才办认定",
            "The rules do not certify this talent as class C outright; submit it to the county office",
            "not_self_certifiable",
        )
    if q is None or q.holder_id not in holder_ids(holder):
        _refuse(
            "delegation",
            holder.pk,
            "本单位没有适用的C类自主认定授权",
            "Your organisation holds no applicable class-C self-certification delegation",
            "no_delegation",
        )
    used = places_used(talent.region, q.delegation_id)
    if used >= q.quota:
        _refuse(
            "quota",
            f"{used}/{q.quota}",
            f"自主认定名额已用完（{used}/{q.quota}）",
            f"The self-certification quota is used up ({used}/{q.quota})",
            "quota_exhausted",
        )
    stored = decision.to_dict() | {
        "self_certified": {"delegation_id": q.delegation_id, "holder": holder.pk, "place": used + 1}
    }
    app = CertificationApplication.objects.create(
        talent=talent,
        region=talent.region,
        evidence=evidence,
        documents=documents,
        claimed_item=claimed_item or "",
        status=CertificationApplication.Status.CERTIFIED,
        decision=stored,
        ruleset=row,
        decided_by=actor,
        decided_at=timezone.now(),
    )
    _issue(app, DELEGATED_CLASS, decision.item.key if decision.item else "", actor, request)
    audit.record(
        actor=actor,
        action=A.CREATE,
        obj=app,
        request=request,
        details={
            "event": "self_certify",
            "delegation": q.delegation_id,
            "place": used + 1,
            "quota": q.quota,
            "rule": decision.rule_id,
        },
    )
    return app
