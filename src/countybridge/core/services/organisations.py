"""Creating and editing organisations, with per-kind validation and the credit-code check."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from .. import access, audit
from ..identifiers import IdentifierError, validate_credit_code
from ..models import AuditEvent, Organisation, OrganisationKind, Region, RegionLevel
from ..models.organisations import SCHOOL_STAGES, HospitalGrade, PrimaryCareType
from .errors import FieldProblem, ServiceValidationError

EDITABLE_FIELDS = {
    "kind",
    "name",
    "credit_code",
    "region",
    "township",
    "parent",
    "address",
    "lon",
    "lat",
    "ownership",
    "hospital_level",
    "hospital_grade",
    "beds",
    "departments",
    "has_emergency_department",
    "primary_care_type",
    "school_stages",
    "school_tier",
    "seats",
    "industry",
    "domain",
    "is_synthetic",
}


def validate_organisation(data: dict[str, Any]) -> list[FieldProblem]:
    """Check one organisation's fields; returns every problem found (empty list when valid)."""
    problems: list[FieldProblem] = []

    def bad(field: str, zh: str, en: str, code: str = "invalid") -> None:
        problems.append(FieldProblem(field, str(data.get(field, "")), zh, en, code))

    kind = data.get("kind")
    if kind not in OrganisationKind.values:
        bad("kind", "机构类型无效", "Unknown organisation kind")
    if not (data.get("name") or "").strip():
        bad("name", "名称不能为空", "Name is required", "required")
    if data.get("credit_code"):
        try:
            data["credit_code"] = validate_credit_code(data["credit_code"])
        except IdentifierError as exc:
            bad("credit_code", exc.message_zh, exc.message_en, exc.code)
    region = data.get("region")
    # municipal departments sit at the city level; everything else in a current county-level division
    allowed_levels = (
        {RegionLevel.COUNTY, RegionLevel.CITY}
        if kind == OrganisationKind.DEPARTMENT
        else {RegionLevel.COUNTY}
    )
    if not isinstance(region, Region) or region.level not in allowed_levels or not region.is_current():
        bad("region", "所属区(市)县无效", "Region must be a current county-level division", "region")
    township = data.get("township")
    if township is not None and (
        township.level != RegionLevel.TOWNSHIP or township.parent_id != getattr(region, "pk", None)
    ):
        bad(
            "township", "乡镇(街道)不属于所选区(市)县", "The township is not in the chosen county", "township"
        )
    for field, low, high in (("lon", 97.0, 109.0), ("lat", 26.0, 35.0)):
        value = data.get(field)
        if value is not None and not (low <= float(value) <= high):
            bad(field, "坐标超出四川省范围", "Coordinate lies outside Sichuan", "coordinate")
    if kind == OrganisationKind.HOSPITAL:
        if data.get("hospital_level") not in (1, 2, 3):
            bad("hospital_level", "医院等级应为一级、二级或三级", "Hospital level must be 1, 2 or 3")
        if data.get("hospital_grade", "") not in HospitalGrade.values:
            bad("hospital_grade", "医院等次应为甲、乙、丙或空", "Hospital grade must be 甲, 乙, 丙 or empty")
    if kind == OrganisationKind.PRIMARY_CARE and data.get("primary_care_type") not in PrimaryCareType.values:
        bad("primary_care_type", "基层医疗机构类型无效", "Unknown primary-care type")
    if kind == OrganisationKind.SCHOOL:
        stages = data.get("school_stages") or []
        if not stages or any(s not in SCHOOL_STAGES for s in stages):
            bad("school_stages", "学段无效", f"School stages must be among {', '.join(SCHOOL_STAGES)}")
    for field in ("beds", "seats"):
        value = data.get(field)
        if value is not None and int(value) < 0:
            bad(field, "数量不能为负数", "Must not be negative")
    return problems


def _check_scope(actor, region: Region | None) -> None:
    if access.role_of(actor) == "county_officer" and region is not None and region.pk != actor.region_id:
        raise PermissionDenied("county officers write only their own county's registry")
    if access.role_of(actor) not in access.REGISTRY_ROLES - {"institution_staff"}:
        raise PermissionDenied("this role cannot create organisations")


@transaction.atomic
def organisation_create(*, actor, data: dict[str, Any], request=None, audit_row: bool = True) -> Organisation:
    """Register an organisation after validating it; the creator must have the county in scope."""
    data = {k: v for k, v in data.items() if k in EDITABLE_FIELDS}
    problems = validate_organisation(data)
    if problems:
        raise ServiceValidationError(problems)
    _check_scope(actor, data["region"])
    try:
        with transaction.atomic():
            org = Organisation.objects.create(**data)
    except IntegrityError:
        raise ServiceValidationError(
            [
                FieldProblem(
                    "name",
                    data.get("name", ""),
                    "同一区(市)县内已有同类同名机构或信用代码重复",
                    "An organisation of this kind and name, or this credit code, already exists",
                    "duplicate",
                )
            ]
        ) from None
    if audit_row:
        audit.record(actor=actor, action=AuditEvent.Action.CREATE, obj=org, request=request)
    return org


@transaction.atomic
def organisation_update(
    *, actor, organisation: Organisation, data: dict[str, Any], request=None
) -> Organisation:
    """Edit an organisation in the actor's scope; the audit row lists the changed fields."""
    if not access.can_write_object(actor, organisation):
        raise PermissionDenied("organisation is outside the actor's scope")
    merged = {f: getattr(organisation, f) for f in EDITABLE_FIELDS}
    merged.update({k: v for k, v in data.items() if k in EDITABLE_FIELDS})
    problems = validate_organisation(merged)
    if problems:
        raise ServiceValidationError(problems)
    if access.role_of(actor) != "institution_staff":
        _check_scope(actor, merged["region"])
    changed = {}
    for field, value in merged.items():
        if getattr(organisation, field) != value:
            changed[field] = [str(getattr(organisation, field)), str(value)]
            setattr(organisation, field, value)
    organisation.save()
    audit.record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=organisation,
        request=request,
        details={"changed": changed},
    )
    return organisation
