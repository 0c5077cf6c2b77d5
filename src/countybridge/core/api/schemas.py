"""Input and output schemas of the core API (separate classes: what a client may send is not what it sees).

Inputs are typed (integers are integers, dates are dates, choices are enumerated) so that a client's "12"
is never compared with "2" as text; references to regions are GB/T 2260 codes, to organisations ids.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

from django.utils import timezone
from ninja import Field, Schema
from pydantic import field_validator, model_validator

from ..identifiers import ID_TYPES
from ..models import AuditEvent, OrganisationKind, Pairing, RegionLevel, Role
from ..models.organisations import SCHOOL_STAGES, HospitalGrade, Ownership, PrimaryCareType


def _enum(name: str, values) -> type[Enum]:
    return Enum(name, {str(v) or "NONE": str(v) for v in values}, type=str)


KindEnum = _enum("OrganisationKind", OrganisationKind.values)
LevelEnum = _enum("RegionLevel", RegionLevel.values)
OwnershipEnum = _enum("Ownership", Ownership.values)
GradeEnum = _enum("HospitalGrade", HospitalGrade.values)
PrimaryCareEnum = _enum("PrimaryCareType", PrimaryCareType.values)
StageEnum = _enum("SchoolStage", SCHOOL_STAGES)
IdTypeEnum = _enum("IdType", ID_TYPES)
SexEnum = _enum("Sex", ["M", "F"])
PairingStatusEnum = _enum("PairingStatus", Pairing.Status.values)
ActionEnum = _enum("AuditAction", AuditEvent.Action.values)
RoleEnum = _enum("Role", Role.values)


def _value(v: Any) -> Any:
    return v.value if isinstance(v, Enum) else v


def plain(data: dict[str, Any]) -> dict[str, Any]:
    """Enum members -> their values (also inside lists), for handing input to services."""
    return {k: [_value(x) for x in v] if isinstance(v, list) else _value(v) for k, v in data.items()}


# ---------------------------------------------------------------- regions


class RegionOut(Schema):
    code: str
    name_zh: str
    name_en: str
    level: str
    kind: str
    parent_code: str | None
    is_county_city: bool
    population_2020: int | None
    population_is_synthetic: bool
    valid_from: dt.date | None
    valid_to: dt.date | None
    successor_code: str | None

    @staticmethod
    def resolve_parent_code(obj) -> str | None:
        return obj.parent.code if obj.parent_id else None

    @staticmethod
    def resolve_successor_code(obj) -> str | None:
        return obj.successor.code if obj.successor_id else None


class RegionRef(Schema):
    code: str
    name_zh: str
    name_en: str


class RegionDetailOut(RegionOut):
    lon: float | None
    lat: float | None
    terrain: str
    children: list[RegionRef]
    predecessors: list[RegionRef]


class RegionFilters(Schema):
    level: LevelEnum | None = None  # type: ignore[valid-type]
    county_cities_only: bool = False
    include_former: bool = False


# ---------------------------------------------------------------- organisations


class OrganisationOut(Schema):
    id: int
    kind: str
    name: str
    credit_code: str | None
    region_code: str
    region_name: str
    township_code: str | None
    parent_id: int | None
    address: str
    lon: float | None
    lat: float | None
    ownership: str
    hospital_level: int | None
    hospital_grade: str
    beds: int | None
    departments: list[str]
    has_emergency_department: bool
    primary_care_type: str
    school_stages: list[str]
    school_tier: str
    seats: int | None
    industry: str
    domain: str
    is_synthetic: bool
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_region_code(obj) -> str:
        return obj.region.code

    @staticmethod
    def resolve_region_name(obj) -> str:
        return obj.region.name_zh

    @staticmethod
    def resolve_township_code(obj) -> str | None:
        return obj.township.code if obj.township_id else None


class OrganisationFilters(Schema):
    kind: KindEnum | None = None  # type: ignore[valid-type]
    region: str | None = Field(None, pattern=r"^\d{6}(\d{3})?$", description="county or township code")
    q: str | None = Field(
        None, min_length=1, max_length=80, description="name contains, or exact credit code"
    )


class _OrganisationFields(Schema):
    credit_code: str | None = Field(None, max_length=40)
    township: str | None = Field(None, pattern=r"^\d{9}$")
    parent_id: int | None = None
    address: str = Field("", max_length=200)
    lon: float | None = None
    lat: float | None = None
    ownership: OwnershipEnum = OwnershipEnum("public")  # type: ignore[valid-type]
    hospital_level: int | None = Field(None, ge=1, le=3)
    hospital_grade: GradeEnum = GradeEnum("")  # type: ignore[valid-type]
    beds: int | None = Field(None, ge=0)
    departments: list[str] = Field(default_factory=list, max_length=200)
    has_emergency_department: bool = False
    primary_care_type: PrimaryCareEnum | None = None  # type: ignore[valid-type]
    school_stages: list[StageEnum] = Field(default_factory=list)  # type: ignore[valid-type]
    school_tier: str = Field("", max_length=32)
    seats: int | None = Field(None, ge=0)
    industry: str = Field("", max_length=64)
    domain: str = Field("", max_length=16)
    is_synthetic: bool = False


class OrganisationIn(_OrganisationFields):
    kind: KindEnum  # type: ignore[valid-type]
    name: str = Field(..., min_length=1, max_length=120)
    region: str = Field(..., pattern=r"^\d{6}$", description="GB/T 2260 county code")


class OrganisationPatch(Schema):
    """Only the fields sent are changed (PATCH)."""

    kind: KindEnum | None = None  # type: ignore[valid-type]
    name: str | None = Field(None, min_length=1, max_length=120)
    region: str | None = Field(None, pattern=r"^\d{6}$")
    credit_code: str | None = Field(None, max_length=40)
    township: str | None = Field(None, pattern=r"^\d{9}$")
    parent_id: int | None = None
    address: str | None = Field(None, max_length=200)
    lon: float | None = None
    lat: float | None = None
    ownership: OwnershipEnum | None = None  # type: ignore[valid-type]
    hospital_level: int | None = Field(None, ge=1, le=3)
    hospital_grade: GradeEnum | None = None  # type: ignore[valid-type]
    beds: int | None = Field(None, ge=0)
    departments: list[str] | None = Field(None, max_length=200)
    has_emergency_department: bool | None = None
    primary_care_type: PrimaryCareEnum | None = None  # type: ignore[valid-type]
    school_stages: list[StageEnum] | None = None  # type: ignore[valid-type]
    school_tier: str | None = Field(None, max_length=32)
    seats: int | None = Field(None, ge=0)
    industry: str | None = Field(None, max_length=64)
    domain: str | None = Field(None, max_length=16)
    is_synthetic: bool | None = None


# ---------------------------------------------------------------- people


class PersonOut(Schema):
    """A person as lists and details show them: the document number masked, never in full."""

    id: int
    id_type: str
    id_number_masked: str
    name: str
    sex: str
    birth_date: dt.date
    region_code: str
    township_code: str | None
    organisation_id: int | None
    legal_basis: str
    is_synthetic: bool

    @staticmethod
    def resolve_region_code(obj) -> str:
        return obj.region.code

    @staticmethod
    def resolve_township_code(obj) -> str | None:
        return obj.township.code if obj.township_id else None


class PersonListOut(Schema):
    """List rows carry less than the audited detail: no birth date, masked number only."""

    id: int
    id_type: str
    id_number_masked: str
    name: str
    sex: str
    region_code: str
    organisation_id: int | None
    is_synthetic: bool

    @staticmethod
    def resolve_region_code(obj) -> str:
        return obj.region.code


class PersonFilters(Schema):
    region: str | None = Field(None, pattern=r"^\d{6}(\d{3})?$", description="county or township code")
    q: str | None = Field(None, min_length=1, max_length=64, description="name contains")


class PersonIn(Schema):
    id_type: IdTypeEnum = IdTypeEnum("resident_id")  # type: ignore[valid-type]
    id_number: str = Field(..., min_length=6, max_length=24)
    name: str = Field(..., min_length=1, max_length=64)
    sex: SexEnum | None = None  # type: ignore[valid-type]
    birth_date: dt.date | None = None
    region: str = Field(..., pattern=r"^\d{6}$", description="GB/T 2260 county code")
    township: str | None = Field(None, pattern=r"^\d{9}$")
    organisation_id: int | None = Field(
        None, description="registering institution (institution staff: always their own)"
    )
    legal_basis: str = Field("PIPL 13(3)", max_length=40)
    is_synthetic: bool = False

    @model_validator(mode="after")
    def _documents_without_embedded_data(self):
        # Only resident-ID-style numbers carry birth date and sex; other documents must state them.
        if _value(self.id_type) not in {"resident_id", "hk_mo_residence", "tw_residence"} and (
            self.sex is None or self.birth_date is None
        ):
            raise ValueError(
                "此证件类型须填写性别和出生日期 / sex and birth_date are required for this document type"
            )
        return self


class RevealIn(Schema):
    reason: str = Field(
        ..., min_length=4, max_length=300, description="why the full number is needed (audited)"
    )


class RevealOut(Schema):
    id: int
    id_type: str
    id_number: str
    notice_zh: str = "本次查看已记入审计日志"
    notice_en: str = "This view was recorded in the audit log"


# ---------------------------------------------------------------- pairings


class PairingOut(Schema):
    id: int
    county_city: RegionRef
    district: RegionRef
    status: str
    description: str
    source: str
    since: dt.date | None


class PairingFilters(Schema):
    county_city: str | None = Field(None, pattern=r"^\d{6}$")
    status: PairingStatusEnum | None = None  # type: ignore[valid-type]


class PairingIn(Schema):
    county_city: str = Field(..., pattern=r"^\d{6}$")
    district: str = Field(..., pattern=r"^\d{6}$")
    status: PairingStatusEnum  # type: ignore[valid-type]
    description: str = Field("", max_length=200)
    source: str = Field("", max_length=200)


# ---------------------------------------------------------------- audit log


class AuditEventOut(Schema):
    id: int
    at: dt.datetime
    actor_username: str
    actor_role: str
    api_token_prefix: str | None
    action: str
    object_type: str
    object_id: str
    object_repr: str
    region_code: str
    ip_address: str | None
    reason: str
    details: dict

    @staticmethod
    def resolve_at(obj) -> dt.datetime:
        return timezone.localtime(obj.at)  # Asia/Shanghai offset in the answer, as on the pages

    @staticmethod
    def resolve_api_token_prefix(obj) -> str | None:
        return obj.api_token.prefix if obj.api_token_id else None


class AuditFilters(Schema):
    """The audit page's filters, under the same names."""

    date_from: dt.date | None = Field(None, description="first day, inclusive (Asia/Shanghai)")
    date_to: dt.date | None = Field(None, description="last day, inclusive (Asia/Shanghai)")
    actor: str | None = Field(None, max_length=150, description="user name contains (tokens: token:<prefix>)")
    role: RoleEnum | None = None  # type: ignore[valid-type]
    action: ActionEnum | None = None  # type: ignore[valid-type]
    object_type: str | None = Field(None, pattern=r"^[A-Za-z_][\w.]{0,63}$", description="e.g. core.Person")
    region: str | None = Field(
        None, pattern=r"^\d{2,12}$", description="region code; a county also finds its townships"
    )

    @field_validator("date_to")
    @classmethod
    def _ordered(cls, value, info):
        date_from = info.data.get("date_from")
        if value and date_from and value < date_from:
            raise ValueError("开始日期不能晚于结束日期 / The start date must not be after the end date")
        return value


# ---------------------------------------------------------------- API tokens


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    organisation_id: int
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenIssued(TokenOut):
    secret: str
    notice_zh: str = "令牌只显示这一次,请妥善保存"
    notice_en: str = "The secret is shown only this once; store it safely"


class TokenIn(Schema):
    organisation_id: int
    name: str = Field(..., min_length=1, max_length=80)


class TokenFilters(Schema):
    organisation_id: int | None = None
    include_revoked: bool = False
