"""Writes for joint recruitment and programme quotas (same conventions as services.py)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from countybridge.core import access, audit
from countybridge.core.models import AuditEvent, Role
from countybridge.core.services.errors import FieldProblem, ServiceValidationError

from . import quotas as quota_engine
from .models import DEGREES, TITLES, JobApplication, Position, Quota, QuotaUse, TalentProfile
from .services import _choice, problem, require_county_write

A = AuditEvent.Action


# --- positions and applications ------------------------------------------------------------------------------


@transaction.atomic
def position_save(*, actor, data: dict, position: Position | None = None, request=None) -> Position:
    """Create or change a position published by a county employer, jointly with the paired district."""
    from .matching import MatchingInputError
    from .matching import Position as EnginePosition

    employer = data.get("employer") or (position.employer if position else None)
    problems = []
    if employer is None:
        raise ServiceValidationError(
            [problem("employer", "", "请选择用人单位", "Choose the employer", "required")]
        )
    role = access.role_of(actor)
    if role == Role.INSTITUTION_STAFF:
        if actor.organisation_id != employer.pk:
            raise PermissionDenied("staff publish for their own institution only")
    else:
        require_county_write(actor, employer.region)
    if not str(data.get("name", position.name if position else "")).strip():
        problems.append(problem("name", "", "请填写岗位名称", "Give the position's name", "required"))
    pairing = data.get("pairing")
    if pairing is not None and pairing.county_city_id != employer.region_id:
        problems.append(
            problem(
                "pairing",
                pairing.pk,
                "结对须属于用人单位所在县市",
                "The pairing must be the employer's county's",
            )
        )
    fields = {
        k: data[k]
        for k in (
            "name",
            "field",
            "min_degree",
            "majors",
            "min_title",
            "min_years",
            "responsibilities_text",
            "skills_text",
            "salary_min",
            "salary_max",
            "benefits",
            "flexible_hire",
            "is_open",
            "park",
            "pairing",
        )
        if k in data
    }
    fields.setdefault("min_degree", position.min_degree if position else "none")
    fields.setdefault("min_title", position.min_title if position else "none")
    _choice(fields["min_degree"], DEGREES, "min_degree", problems)
    _choice(fields["min_title"], TITLES, "min_title", problems)
    if fields.get("flexible_hire", "") not in Position.FlexibleHire.values:
        problems.append(
            problem(
                "flexible_hire", fields.get("flexible_hire"), "柔性引才类型无效", "Unknown flexible-hire type"
            )
        )
    if not problems:
        try:  # the engine's own checks (salary band, numbers) so the index never meets a bad row
            EnginePosition(
                id=0,
                min_years=fields.get("min_years", 0),
                salary_min=fields.get("salary_min"),
                salary_max=fields.get("salary_max"),
            )
        except MatchingInputError as exc:
            problems.append(problem(exc.field, exc.value, exc.message_zh, exc.message_en, exc.code))
    if problems:
        raise ServiceValidationError(problems)
    if position is None:
        position = Position.objects.create(employer=employer, region=employer.region, **fields)
        action = A.CREATE
    else:
        for k, v in fields.items():
            setattr(position, k, v)
        position.save()
        action = A.UPDATE
    audit.record(actor=actor, action=action, obj=position, request=request)
    return position


@transaction.atomic
def job_apply(
    *, actor, position: Position, talent: TalentProfile | None = None, request=None
) -> JobApplication:
    """A public user applies for themself; an officer of the position's county may recommend a talent."""
    role = access.role_of(actor)
    if role == Role.PUBLIC:
        talent = TalentProfile.objects.filter(person_id=actor.person_id).first() if actor.person_id else None
        if talent is None:
            raise ServiceValidationError(
                [problem("talent", "", "您尚无人才档案", "You have no talent profile yet", "missing")]
            )
        status = JobApplication.Status.APPLIED
    else:
        require_county_write(actor, position.region)
        if talent is None:
            raise ServiceValidationError([problem("talent", "", "请选择人才", "Choose a talent", "required")])
        status = JobApplication.Status.RECOMMENDED
    if not position.is_open:
        raise ServiceValidationError(
            [problem("position", position.pk, "岗位已关闭", "The position is closed", "closed")]
        )
    try:
        with transaction.atomic():
            app = JobApplication.objects.create(
                position=position,
                talent=talent,
                region=position.region,
                status=status,
                applicant=actor if role == Role.PUBLIC else None,
            )
    except IntegrityError:
        raise ServiceValidationError(
            [
                problem(
                    "position", position.pk, "已申请该岗位", "Already applied for this position", "duplicate"
                )
            ]
        ) from None
    audit.record(actor=actor, action=A.CREATE, obj=app, request=request)
    return app


# --- quotas --------------------------------------------------------------------------------------------------


def _quota_problems(exc) -> list[FieldProblem]:
    return [FieldProblem(p.field, str(p.value), p.message_zh, p.message_en, p.code) for p in exc.problems]


@transaction.atomic
def quota_allocate(
    *, actor, programme: str, year: int, places: int, floor: int, requests: list[dict], request=None
):
    """Allocate municipal places among county employers by the engine's rule and store one Quota per employer."""
    if actor is not None:  # None: the operator's shell
        access.require_role(actor, Role.CITY_ADMIN, Role.DEPARTMENT_OFFICER)
        if access.role_of(actor) == Role.DEPARTMENT_OFFICER and actor.domain not in ("hr", "organisation"):
            raise PermissionDenied("only the HR and organisation departments allocate programme places")
    from countybridge.core.models import Organisation

    if not programme.strip():
        raise ServiceValidationError(
            [problem("programme", programme, "请填写计划名称", "Name the programme", "required")]
        )
    try:
        result = quota_engine.allocate(places, requests, floor_per_county=floor)
    except quota_engine.QuotaError as exc:
        raise ServiceValidationError(_quota_problems(exc)) from None
    employers = {
        str(o.pk): o for o in Organisation.objects.filter(pk__in=[r["employer_id"] for r in requests])
    }
    rows = []
    for share in result.employers:
        org = employers[str(share.id)]
        quota, _created = Quota.objects.update_or_create(
            programme=programme.strip(),
            year=year,
            region=org.region,
            employer=org,
            defaults={"places": share.allocated, "arithmetic": share.to_dict()},
        )
        rows.append(quota)
    audit.record(
        actor=actor,
        action=A.CREATE,
        object_type="talent.Quota",
        object_id=f"{programme}/{year}",
        object_repr=programme,
        request=request,
        details=result.to_dict() | {"steps": len(result.steps)},
    )
    return result, rows


def quota_consume(*, actor, quota: Quota, application: JobApplication, request=None) -> QuotaUse:
    """Use a place for an application. The quota row is locked (select_for_update) and (quota, application) is
    unique, so concurrent requests can never take more places than allocated."""
    with transaction.atomic():
        locked = Quota.objects.select_for_update().get(pk=quota.pk)
        require_county_write(actor, locked.region)
        used = set(QuotaUse.objects.filter(quota=locked).values_list("application_id", flat=True))
        state = quota_engine.QuotaState(
            str(locked.pk),
            locked.region.code,
            locked.places,
            frozenset(str(u) for u in used),
            str(locked.employer_id) if locked.employer_id else None,
        )
        try:
            quota_engine.consume(
                state,
                {
                    "id": str(application.pk),
                    "county": application.region.code,
                    "employer_id": str(application.position.employer_id),
                },
            )
        except quota_engine.QuotaError as exc:
            raise ServiceValidationError(_quota_problems(exc)) from None
        use, created = QuotaUse.objects.get_or_create(quota=locked, application=application)
        if created:
            audit.record(
                actor=actor,
                action=A.CREATE,
                obj=locked,
                request=request,
                details={"event": "consume", "application": application.pk},
            )
        return use


@transaction.atomic
def job_application_set_status(
    *, actor, application: JobApplication, status: str, note: str = "", request=None
):
    """An officer of the position's county (or its employer's staff) records the outcome; a withdrawn or
    refused application gives back any programme place it held."""
    app = JobApplication.objects.select_for_update().get(pk=application.pk)
    if access.role_of(actor) == Role.INSTITUTION_STAFF:
        if actor.organisation_id != app.position.employer_id:
            raise PermissionDenied("another employer's application")
    elif access.role_of(actor) == Role.PUBLIC and app.applicant_id == actor.pk and status == "withdrawn":
        pass
    else:
        require_county_write(actor, app.region)
    if status not in JobApplication.Status.values:
        raise ServiceValidationError(
            [
                problem(
                    "status",
                    status,
                    f"状态应为 {'、'.join(JobApplication.Status.values)}",
                    f"status must be one of {', '.join(JobApplication.Status.values)}",
                )
            ]
        )
    app.status, app.note = status, note[:300]
    app.save()
    if status in (JobApplication.Status.WITHDRAWN, JobApplication.Status.REJECTED):
        QuotaUse.objects.filter(application=app).delete()  # quotas.release: the place goes back
    audit.record(actor=actor, action=A.UPDATE, obj=app, request=request, details={"status": status})
    return app
