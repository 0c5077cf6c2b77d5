"""Writes for expert circuits, the service alliance, skills training and events: one generic create/update
with scope, model validation in both languages and an audit row, plus the few rules specific to each."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from countybridge.core import audit
from countybridge.core.models import AuditEvent
from countybridge.core.services.errors import FieldProblem, ServiceValidationError

from .models import Enrolment, EventSignup, ServiceRecord, ServiceRequest
from .services import problem, require_county_write

A = AuditEvent.Action


def _bilingual(exc: ValidationError) -> list[FieldProblem]:
    out = []
    for field, errors in (
        exc.error_dict.items() if hasattr(exc, "error_dict") else [("__all__", exc.error_list)]
    ):
        for error in errors:
            with translation.override("zh-hans"):
                zh = " ".join(str(m) for m in ValidationError([error]).messages)
            with translation.override("en"):
                en = " ".join(str(m) for m in ValidationError([error]).messages)
            out.append(FieldProblem(field, "", zh, en, error.code or "invalid"))
    return out


def _extra_checks(obj) -> list[FieldProblem]:
    problems = []
    for name in ("satisfaction", "rating"):
        value = getattr(obj, name, None)
        if value is not None and not 1 <= value <= 5:
            problems.append(problem(name, value, "评分应为1–5", "A rating is 1 to 5"))
    start, end = getattr(obj, "start", None), getattr(obj, "end", None)
    if start and end and end < start:
        problems.append(problem("end", end, "结束日期早于开始日期", "The end is before the start"))
    station = getattr(obj, "station", None)
    if station is not None and station.region_id != obj.region_id:
        problems.append(
            problem("station", station.pk, "服务站须属于本县市", "The station must be in the same county")
        )
    return problems


@transaction.atomic
def scoped_save(*, actor, obj, data: dict | None = None, request=None):
    """Create (obj unsaved) or update `obj` with `data`; the county is the row's own and must be the actor's."""
    created = obj.pk is None
    if not created:
        require_county_write(actor, obj.region)  # the county before the change
    for key, value in (data or {}).items():
        setattr(obj, key, value)
    talent = getattr(obj, "talent", None) if hasattr(obj, "talent_id") and obj.talent_id else None
    if talent is not None:
        obj.region = talent.region
    if getattr(obj, "region_id", None) is None:
        raise ServiceValidationError([problem("region", "", "请选择县市", "Choose the county", "required")])
    require_county_write(actor, obj.region)
    problems = _extra_checks(obj)
    try:
        obj.full_clean(validate_constraints=False)
    except ValidationError as exc:
        problems += _bilingual(exc)
    if problems:
        raise ServiceValidationError(problems)
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise ServiceValidationError(
            [problem("__all__", "", "记录重复", "This record already exists", "duplicate")]
        ) from None
    audit.record(
        actor=actor,
        action=A.CREATE if created else A.UPDATE,
        obj=obj,
        request=request,
        details={"fields": sorted((data or {}).keys())},
    )
    return obj


def service_request_update(
    *, actor, service_request: ServiceRequest, data: dict, request=None
) -> ServiceRequest:
    allowed = {"status", "station", "deadline", "satisfaction", "note"}
    unknown = set(data) - allowed
    if unknown:
        raise ServiceValidationError(
            [problem(f, "", "不能修改此字段", "This field cannot be changed", "read_only") for f in unknown]
        )
    return scoped_save(actor=actor, obj=service_request, data=data, request=request)


def enrolment_complete(*, actor, enrolment: Enrolment, request=None) -> Enrolment:
    return scoped_save(actor=actor, obj=enrolment, data={"completed": True}, request=request)


def signup_outcome(*, actor, signup: EventSignup, outcome: str, request=None) -> EventSignup:
    if not outcome.strip():
        raise ServiceValidationError(
            [problem("outcome", outcome, "请填写结果", "Give the outcome", "required")]
        )
    return scoped_save(actor=actor, obj=signup, data={"outcome": outcome.strip()}, request=request)


def record_feedback(
    *, actor, record: ServiceRecord, rating: int, feedback: str, request=None
) -> ServiceRecord:
    return scoped_save(
        actor=actor, obj=record, data={"done": True, "rating": rating, "feedback": feedback}, request=request
    )


def satisfaction_by_county(queryset) -> list[dict]:
    """Average satisfaction and counts per county over a (scoped) ServiceRequest queryset."""
    from django.db.models import Avg, Count, Q

    return list(
        queryset.values("region__code", "region__name_zh")
        .annotate(
            requests=Count("pk"),
            done=Count("pk", filter=Q(status=ServiceRequest.Status.DONE)),
            rated=Count("satisfaction"),
            satisfaction=Avg("satisfaction"),
        )
        .order_by("region__code")
    )


@transaction.atomic
def benefit_save(*, actor, data: dict, benefit=None, request=None):
    """Benefits per class come from their own source document (never derived from the catalogue); city-wide,
    so only city administrators and departments write them."""
    from countybridge.core import access
    from countybridge.core.models import Role

    from .models import Benefit

    access.require_role(actor, Role.CITY_ADMIN, Role.DEPARTMENT_OFFICER)
    obj = benefit or Benefit()
    created = obj.pk is None
    for key, value in data.items():
        setattr(obj, key, value)
    problems = []
    if obj.cls not in ("A", "B", "C", "D", "E", "F"):
        problems.append(problem("cls", obj.cls, "类别应为A–F", "The class is A to F"))
    try:
        obj.full_clean()  # also turns ISO date strings into dates
    except ValidationError as exc:
        problems += _bilingual(exc)
    else:
        if obj.valid_to and obj.valid_to < obj.valid_from:
            problems.append(
                problem("valid_to", obj.valid_to, "失效日期早于生效日期", "valid_to is before valid_from")
            )
    if problems:
        raise ServiceValidationError(problems)
    obj.save()
    audit.record(actor=actor, action=A.CREATE if created else A.UPDATE, obj=obj, request=request)
    return obj


def _own_talent(actor):
    from .models import TalentProfile

    talent = TalentProfile.objects.filter(person_id=actor.person_id).first() if actor.person_id else None
    if talent is None:
        raise ServiceValidationError(
            [problem("talent", "", "您尚无人才档案", "You have no talent profile yet", "missing")]
        )
    return talent


@transaction.atomic
def service_request_submit(*, actor, kind: str, deadline, note: str = "", request=None) -> ServiceRequest:
    """A talent (public user) asks the alliance for a service; it is routed to a station of their county
    offering that kind (the first by name), or left for the county to route."""
    from countybridge.core import access
    from countybridge.core.models import Role

    from .models import ServiceStation

    access.require_role(actor, Role.PUBLIC)
    talent = _own_talent(actor)
    stations = ServiceStation.objects.filter(region=talent.region).order_by("name")
    station = next((s for s in stations if kind in (s.kinds or [])), None)
    obj = ServiceRequest(
        talent=talent, region=talent.region, kind=kind, deadline=deadline, note=note, station=station
    )
    problems = _extra_checks(obj)
    try:
        obj.full_clean(validate_constraints=False)
    except ValidationError as exc:
        problems += _bilingual(exc)
    if problems:
        raise ServiceValidationError(problems)
    obj.save()
    audit.record(actor=actor, action=A.CREATE, obj=obj, request=request)
    return obj


@transaction.atomic
def event_sign_up(*, actor, event, request=None) -> EventSignup:
    from countybridge.core import access
    from countybridge.core.models import Role

    access.require_role(actor, Role.PUBLIC)
    talent = _own_talent(actor)
    try:
        with transaction.atomic():
            signup = EventSignup.objects.create(event=event, talent=talent, region=talent.region)
    except IntegrityError:
        raise ServiceValidationError(
            [problem("event", event.pk, "已报名", "Already signed up", "duplicate")]
        ) from None
    audit.record(actor=actor, action=A.CREATE, obj=signup, request=request)
    return signup
