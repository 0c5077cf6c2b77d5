"""Writes of the talent app: certification, rule sets, positions, applications, quotas. One transaction each,
with its audit row inside it; scope is checked here against `core.access` before anything is written."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from countybridge.core import access, audit
from countybridge.core.models import AuditEvent, Role
from countybridge.core.services.errors import FieldProblem, ServiceValidationError

from . import certification as cert
from .models import (
    DEGREES,
    TITLES,
    Certificate,
    CertificationApplication,
    RuleSet,
    TalentProfile,
)

A = AuditEvent.Action
CERTIFICATE_YEARS = 5
OFFICER_ROLES = {Role.CITY_ADMIN, Role.COUNTY_OFFICER}


def problem(field: str, value, zh: str, en: str, code: str = "invalid") -> FieldProblem:
    return FieldProblem(field, str(value)[:200], zh, en, code)


def require_county_write(actor, region) -> None:
    """City administrators write anywhere; county officers only in their own county. `actor` None is the
    operator's shell (`countybridge talent …` without --user), audited as such."""
    role = access.role_of(actor)
    if actor is None or role == Role.CITY_ADMIN:
        return
    if role == Role.COUNTY_OFFICER and actor.region_id == region.pk:
        return
    raise PermissionDenied("outside the actor's county")


def _choice(value, choices, field: str, problems: list) -> str:
    codes = [c for c, _ in choices]
    if value in (None, ""):
        return "none"
    if value not in codes:
        problems.append(
            problem(field, value, f"取值应为 {'、'.join(codes)}", f"Expected one of {', '.join(codes)}")
        )
    return value


# --- talents -------------------------------------------------------------------------------------------------


def require_talent_write(actor, region, employer) -> None:
    """Talent profiles: county writers as above; institution staff only for their own employer's employees."""
    role = access.role_of(actor)
    if role == Role.INSTITUTION_STAFF:
        if employer is None or actor.organisation_id != employer.pk:
            raise PermissionDenied("institution staff write only their own employer's talents")
        return
    require_county_write(actor, region)


def validate_profile(data: dict) -> tuple[list[FieldProblem], dict]:
    """The profile fields (not the person): bilingual problems and the cleaned values."""
    problems: list[FieldProblem] = []
    degree = _choice(data.get("degree"), DEGREES, "degree", problems)
    title = _choice(data.get("title"), TITLES, "title", problems)
    years = data.get("years_experience", 0)
    if not isinstance(years, int) or isinstance(years, bool) or not 0 <= years <= 60:
        problems.append(
            problem("years_experience", years, "工作年限应为0–60的整数", "Years must be a whole number 0–60")
        )
    for name in ("achievements", "awards"):
        if not isinstance(data.get(name, []), list):
            problems.append(problem(name, data.get(name), "应为列表", "Expected a list"))
    cleaned = {
        "employer": data.get("employer"),
        "degree": degree,
        "title": title,
        "major": str(data.get("major", ""))[:64],
        "field": str(data.get("field", ""))[:32],
        "years_experience": years,
        "skills_text": str(data.get("skills_text", "")),
        "achievements": data.get("achievements", []),
        "awards": data.get("awards", []),
    }
    return problems, cleaned


@transaction.atomic
def talent_create(*, actor, person, data: dict, request=None) -> TalentProfile:
    require_talent_write(actor, person.region, data.get("employer"))
    problems, cleaned = validate_profile(data)
    if TalentProfile.objects.filter(person=person).exists():
        problems.append(
            problem(
                "person",
                person.pk,
                "此人已有人才档案",
                "This person already has a talent profile",
                "duplicate",
            )
        )
    if problems:
        raise ServiceValidationError(problems)
    talent = TalentProfile.objects.create(
        person=person, region=person.region, is_synthetic=bool(data.get("is_synthetic")), **cleaned
    )
    audit.record(actor=actor, action=A.CREATE, obj=talent, request=request)
    return talent


# --- rule sets -----------------------------------------------------------------------------------------------


def active_ruleset(region) -> tuple[RuleSet | None, dict | None]:
    """The county's newest active stored rule set, else the shipped demo set for that county, else none."""
    row = RuleSet.objects.filter(region=region, is_active=True).order_by("-version").first()
    if row is not None:
        return row, row.data
    shipped = next((r for r in cert.shipped_ruleset_data()["counties"] if r["county"] == region.code), None)
    return None, shipped


@transaction.atomic
def ruleset_save(*, actor, region, data, request=None) -> RuleSet:
    """Store a new version of a county's rule set after the engine's validation (nothing saved if invalid)."""
    require_county_write(actor, region)
    if not isinstance(data, dict):
        raise ServiceValidationError(
            [problem("data", data, "规则集应为JSON对象", "A rule set is a JSON object")]
        )
    problems = []
    if data.get("scope") != "county":
        problems.append(problem("scope", data.get("scope"), "scope 应为 county", "scope must be 'county'"))
    if str(data.get("county")) != region.code:
        problems.append(
            problem(
                "county", data.get("county"), f"县市代码应为 {region.code}", f"county must be {region.code}"
            )
        )
    problems += [
        FieldProblem(p.field, p.value, p.message_zh, p.message_en, p.code)
        for p in cert.validate_ruleset(data, cert.load_catalogue(data.get("catalogue_version") or "2023"))
    ]
    if problems:
        raise ServiceValidationError(problems)
    last = RuleSet.objects.select_for_update().filter(region=region).order_by("-version").first()
    RuleSet.objects.filter(region=region).update(is_active=False)
    row = RuleSet.objects.create(
        region=region, version=(last.version + 1) if last else 1, data=data, created_by=actor
    )
    audit.record(
        actor=actor, action=A.CREATE, obj=row, request=request, details={"rules": len(data.get("rules", []))}
    )
    return row


# --- certification -------------------------------------------------------------------------------------------


@transaction.atomic
def certification_submit(*, actor, talent, evidence, documents, claimed_item="", request=None):
    require_county_write(actor, talent.region)
    problems = []
    if not isinstance(evidence, dict):
        problems.append(problem("evidence", evidence, "证据应为JSON对象", "Evidence must be a JSON object"))
    if not isinstance(documents, list) or not all(isinstance(d, str) for d in documents):
        problems.append(
            problem("documents", documents, "材料应为代码列表", "Documents must be a list of codes")
        )
    if claimed_item and claimed_item not in cert.load_catalogue().items:
        problems.append(problem("claimed_item", claimed_item, "目录中没有该条目", "No such catalogue item"))
    if problems:
        raise ServiceValidationError(problems)
    app = CertificationApplication.objects.create(
        talent=talent,
        region=talent.region,
        evidence=evidence,
        documents=documents,
        claimed_item=claimed_item or "",
    )
    audit.record(actor=actor, action=A.CREATE, obj=app, request=request)
    return app


def _issue(app, cls: str, item: str, actor, request) -> Certificate:
    today = timezone.localdate()
    certificate = Certificate.objects.create(
        application=app,
        talent=app.talent,
        region=app.region,
        cls=cls,
        item=item or "",
        valid_from=today,
        valid_to=today.replace(year=today.year + CERTIFICATE_YEARS),
    )
    audit.record(actor=actor, action=A.CREATE, obj=certificate, request=request)
    return certificate


@transaction.atomic
def certification_evaluate(*, actor, application, as_of: dt.date | None = None, request=None):
    """Run the county's rule set; 'certified' issues a certificate, 'manual_review' waits for an officer."""
    app = CertificationApplication.objects.select_for_update().get(pk=application.pk)
    require_county_write(actor, app.region)
    if app.status not in (app.Status.SUBMITTED, app.Status.INCOMPLETE, app.Status.NOT_ELIGIBLE):
        raise ServiceValidationError(
            [
                problem(
                    "status",
                    app.status,
                    "该申请已有结论",
                    "This application has already been decided",
                    "state",
                )
            ]
        )
    row, data = active_ruleset(app.region)
    if data is None:
        raise ServiceValidationError(
            [
                problem(
                    "ruleset",
                    app.region.code,
                    "本县市尚无认定规则集",
                    "This county has no rule set yet",
                    "missing",
                )
            ]
        )
    catalogue = cert.load_catalogue(data.get("catalogue_version") or "2023")
    payload = {
        "county": app.region.code,
        "evidence": app.evidence,
        "documents": app.documents,
        "claimed_item": app.claimed_item or None,
        "as_of": as_of or timezone.localdate(),
    }
    try:
        decision = cert.evaluate(payload, data, catalogue)
    except (cert.ApplicationError, cert.RuleSetError) as exc:
        raise ServiceValidationError(
            [FieldProblem(p.field, p.value, p.message_zh, p.message_en, p.code) for p in exc.problems]
        ) from None
    app.decision = decision.to_dict()
    app.status = decision.decision
    app.ruleset = row
    app.decided_at = timezone.now()
    app.decided_by = actor
    app.save()
    if decision.decision == cert.CERTIFIED:
        _issue(app, decision.certified_class, decision.item.key if decision.item else "", actor, request)
    audit.record(
        actor=actor,
        action=A.UPDATE,
        obj=app,
        request=request,
        details={"event": "evaluate", "decision": decision.decision, "rule": decision.rule_id},
    )
    return app


@transaction.atomic
def certification_decide(*, actor, application, approve: bool, cls: str = "", note: str = "", request=None):
    """An officer's decision on an application the engine sent to manual review."""
    app = CertificationApplication.objects.select_for_update().get(pk=application.pk)
    require_county_write(actor, app.region)
    problems = []
    if app.status != app.Status.MANUAL_REVIEW:
        problems.append(
            problem(
                "status",
                app.status,
                "只有待人工审核的申请可由干部决定",
                "Only applications awaiting review can be decided",
                "state",
            )
        )
    if approve and cls not in set(cert.CLASSES):
        problems.append(problem("cls", cls, "请选择认定类别A–F", "Choose the class to certify (A–F)"))
    if not note.strip():
        problems.append(problem("note", note, "请写明理由", "Give the reason", "required"))
    if problems:
        raise ServiceValidationError(problems)
    app.status = app.Status.APPROVED if approve else app.Status.REJECTED
    app.officer_note = note.strip()[:300]
    app.decided_by, app.decided_at = actor, timezone.now()
    app.save()
    if approve:
        _issue(app, cls, (app.decision.get("item") or {}).get("key", ""), actor, request)
    audit.record(
        actor=actor,
        action=A.UPDATE,
        obj=app,
        request=request,
        details={"event": "officer_decision", "approve": approve},
    )
    return app


@transaction.atomic
def certificate_revoke(*, actor, certificate, reason: str, request=None) -> Certificate:
    require_county_write(actor, certificate.region)
    if not reason.strip():
        raise ServiceValidationError(
            [problem("reason", reason, "请写明撤销理由", "Give the reason for revocation", "required")]
        )
    if certificate.revoked_at:
        raise ServiceValidationError(
            [problem("certificate", certificate.pk, "证书已撤销", "Already revoked", "state")]
        )
    certificate.revoked_at, certificate.revoked_reason = timezone.now(), reason.strip()[:300]
    certificate.save()
    audit.record(
        actor=actor,
        action=A.UPDATE,
        obj=certificate,
        request=request,
        reason=reason,
        details={"event": "revoke"},
    )
    return certificate
