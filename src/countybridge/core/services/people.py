"""Registering people and revealing their identifiers (each reveal needs a reason and is audited)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from .. import access, audit, crypto
from ..identifiers import ID_TYPES, IdentifierError, mask_id, parse_resident_id
from ..models import AuditEvent, Organisation, Person, Region, RegionLevel
from .errors import FieldProblem, ServiceValidationError

RESIDENT_ID_TYPES = {"resident_id", "hk_mo_residence", "tw_residence"}


def resolve_region_code(code: str, on: dt.date | None = None) -> Region | None:
    """Today's region for a code, following successors (简阳 512081 → 510185)."""
    region = Region.objects.filter(code=code).first()
    seen = set()
    while region is not None and region.successor_id and region.pk not in seen:
        seen.add(region.pk)
        region = region.successor
    return region


def validate_person(data: dict) -> tuple[list[FieldProblem], dict]:
    """Validate identity fields; fills birth date and sex from a resident ID when missing."""
    problems: list[FieldProblem] = []
    id_type = data.get("id_type") or "resident_id"
    number = (data.get("id_number") or "").strip().upper()
    if id_type not in ID_TYPES:
        problems.append(FieldProblem("id_type", id_type, "证件类型无效", "Unknown document type"))
    elif id_type in RESIDENT_ID_TYPES:
        try:
            parsed = parse_resident_id(number)
            number = parsed.number
            data.setdefault("birth_date", parsed.birth_date)
            data.setdefault("sex", parsed.sex)
            if data.get("birth_date") != parsed.birth_date:
                problems.append(
                    FieldProblem(
                        "birth_date",
                        str(data.get("birth_date")),
                        "出生日期与身份证号码不符",
                        "Birth date does not match the ID number",
                    )
                )
        except IdentifierError as exc:
            problems.append(
                FieldProblem("id_number", mask_id(number), exc.message_zh, exc.message_en, exc.code)
            )
    elif not 6 <= len(number) <= 20:
        problems.append(
            FieldProblem(
                "id_number", mask_id(number), "证件号码长度无效", "Document number length is invalid"
            )
        )
    if not (data.get("name") or "").strip():
        problems.append(FieldProblem("name", "", "姓名不能为空", "Name is required", "required"))
    region = data.get("region")
    if not isinstance(region, Region) or region.level != RegionLevel.COUNTY:
        problems.append(
            FieldProblem("region", str(region or ""), "所属区(市)县无效", "County is invalid", "region")
        )
    township = data.get("township")
    if township is not None and township.parent_id != getattr(region, "pk", None):
        problems.append(
            FieldProblem(
                "township",
                township.code,
                "乡镇(街道)不属于所选区(市)县",
                "The township is not in the chosen county",
                "township",
            )
        )
    data["id_type"], data["id_number"] = id_type, number
    return problems, data


@transaction.atomic
def person_register(*, actor, data: dict, request=None, audit_row: bool = True) -> Person:
    """Register a person: the number is encrypted, hashed for lookup and stored masked for display.
    A second registration of the same document is refused by the database, not only by this check."""
    problems, data = validate_person(dict(data))
    if problems:
        raise ServiceValidationError(problems)
    role = access.role_of(actor)
    if role not in access.REGISTRY_ROLES or (
        role == "county_officer" and data["region"].pk != actor.region_id
    ):
        raise PermissionDenied("person is outside the actor's scope")
    organisation: Organisation | None = data.get("organisation")
    if role == "institution_staff":
        organisation = actor.organisation
    number = data["id_number"]
    document_hash = crypto.keyed_hash(f"{data['id_type']}:{number}")
    try:
        with transaction.atomic():
            person = Person.objects.create(
                id_type=data["id_type"],
                id_number_encrypted=crypto.encrypt(number),
                id_number_hash=document_hash,
                id_number_masked=mask_id(number),
                name=data["name"].strip(),
                sex=data["sex"],
                birth_date=data["birth_date"],
                region=data["region"],
                township=data.get("township"),
                organisation=organisation,
                legal_basis=data.get("legal_basis") or "PIPL 13(3)",
                is_synthetic=bool(data.get("is_synthetic")),
            )
    except IntegrityError:
        # only the document's unique constraint means "already registered"; anything else is a real error
        if not Person.objects.filter(id_type=data["id_type"], id_number_hash=document_hash).exists():
            raise
        raise ServiceValidationError(
            [
                FieldProblem(
                    "id_number",
                    mask_id(number),
                    "该证件号码已登记",
                    "This document number is already registered",
                    "duplicate",
                )
            ]
        ) from None
    if audit_row:
        audit.record(actor=actor, action=AuditEvent.Action.CREATE, obj=person, request=request)
    return person


def find_person_by_document(*, id_type: str, id_number: str):
    """Exact lookup through the keyed hash (the plaintext is never queried)."""
    return Person.objects.filter(
        id_type=id_type, id_number_hash=crypto.keyed_hash(f"{id_type}:{id_number.upper()}")
    ).first()


@transaction.atomic
def person_reveal_id(*, actor, person: Person, reason: str, request=None) -> str:
    """Return the full document number to a role allowed to see it, with a stated reason; audited."""
    if access.role_of(actor) not in access.UNMASK_ROLES:
        raise PermissionDenied("this role may not see identifiers unmasked")
    if not access.scope_queryset(Person.objects.filter(pk=person.pk), actor).exists():
        raise PermissionDenied("person is outside the actor's scope")
    if len((reason or "").strip()) < 4:
        raise ServiceValidationError(
            [
                FieldProblem(
                    "reason",
                    reason or "",
                    "查看完整证件号码须说明理由",
                    "A reason is required to see the full number",
                    "required",
                )
            ]
        )
    audit.record(
        actor=actor, action=AuditEvent.Action.UNMASK, obj=person, request=request, reason=reason.strip()
    )
    return crypto.decrypt(person.id_number_encrypted)
