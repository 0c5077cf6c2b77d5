"""Importing people through `services.person_register` (numbers encrypted, hashed and masked there).

ID numbers are sensitive personal information: every error shows them masked (510185********1234).
"""

from __future__ import annotations

from typing import Any

from .. import access, crypto, services
from ..identifiers import ID_TYPES, parse_resident_id
from ..models import Organisation, Person, Role
from ..services.people import RESIDENT_ID_TYPES, validate_person
from .base import ImportContext, RegistrySpec, check_county_scope, duplicate_in_file, resolve_county
from .columns import CHOICE, CODE, DATE, ID_NUMBER, TEXT, Column, ParsedRow, choice_map

ID_TYPE_CHOICES = choice_map(
    {
        key: (zh, en, *(("身份证", "身份证号", "二代身份证") if key == "resident_id" else ()))
        for key, (zh, en) in ID_TYPES.items()
    }
)
SEXES = choice_map({"M": ("男", "male", "男性"), "F": ("女", "female", "女性")})

COLUMNS = (
    Column("id_type", "证件类型", "Document type", CHOICE, aliases=("id_type",), choices=ID_TYPE_CHOICES),
    Column(
        "id_number",
        "证件号码",
        "Document number",
        ID_NUMBER,
        required=True,
        aliases=("身份证号", "身份证号码", "公民身份号码", "证件号", "id", "id_no"),
        sensitive=True,
    ),
    Column("name", "姓名", "Name", TEXT, required=True, max_length=64),
    Column("sex", "性别", "Sex", CHOICE, aliases=("gender",), choices=SEXES),
    Column("birth_date", "出生日期", "Birth date", DATE, aliases=("生日", "dob")),
    Column("county_code", "区县代码", "County code", CODE, aliases=("区(市)县代码", "区市县代码", "county")),
    Column(
        "township_code",
        "乡镇代码",
        "Township code",
        CODE,
        aliases=("乡镇(街道)代码", "乡镇街道代码", "township"),
    ),
    Column(
        "organisation_credit_code",
        "登记机构信用代码",
        "Registering institution credit code",
        CODE,
        aliases=("登记机构", "机构信用代码", "organisation"),
    ),
    Column("legal_basis", "法律依据", "Legal basis", TEXT, aliases=("处理依据",), max_length=40),
)


class PersonSpec(RegistrySpec):
    key = "people"
    title_zh = "人员"
    title_en = "People"
    columns = COLUMNS
    roles = frozenset(access.REGISTRY_ROLES)
    problem_fields = {"region": "county_code", "township": "township_code"}

    def prepare(self, rows: list[ParsedRow], ctx: ImportContext) -> None:
        org_codes = {
            r.values["organisation_credit_code"] for r in rows if r.values.get("organisation_credit_code")
        }
        # a registering institution must be one the importer can see
        organisations = {
            o.credit_code: o
            for o in access.scope_queryset(Organisation.objects.filter(credit_code__in=org_codes), ctx.actor)
        }
        seen: dict[Any, int] = {}
        hashes: dict[str, list[ParsedRow]] = {}
        for row in rows:
            values = row.values
            county, township = resolve_county(row, ctx)
            check_county_scope(row, ctx, county)
            data: dict[str, Any] = {
                "id_type": values.get("id_type") or "resident_id",
                "id_number": values.get("id_number") or "",
                "name": values.get("name") or "",
                "region": county,
                "township": township,
                "legal_basis": values.get("legal_basis") or "",
            }
            for optional in ("sex", "birth_date"):
                if values.get(optional) is not None:
                    data[optional] = values[
                        optional
                    ]  # absent keys are filled from a resident ID by the service
            data["organisation"] = self._organisation(row, ctx, organisations)
            problems, data = validate_person(data)
            self.add_problems(row, problems)
            number_ok = not any(e.field in {"id_number", "id_type"} for e in row.errors)
            if data["id_type"] in RESIDENT_ID_TYPES:
                # the service keeps a stated sex as given; the number decides (odd order code = male)
                if (
                    number_ok
                    and values.get("sex")
                    and parse_resident_id(data["id_number"]).sex != values["sex"]
                ):
                    row.error(
                        "sex", "性别与身份证号码不符", "Sex does not match the ID number", "sex_mismatch"
                    )
            else:
                # other documents carry no birth date or sex, and the register needs both
                for key, zh, en in (("sex", "性别", "Sex"), ("birth_date", "出生日期", "Birth date")):
                    if values.get(key) is None:
                        row.error(
                            key,
                            f"该证件类型须填写{zh}",
                            f"{en} is required for this document type",
                            "required",
                        )
            if number_ok and not duplicate_in_file(
                seen,
                (data["id_type"], data["id_number"]),
                row,
                "id_number",
                "证件号码",
                "The document number",
            ):
                digest = crypto.keyed_hash(f"{data['id_type']}:{data['id_number']}")
                hashes.setdefault(digest, []).append(row)
            row.data = data
        # one query for the whole file: which numbers are registered already (found by keyed hash, never plaintext)
        for digest in Person.objects.filter(id_number_hash__in=list(hashes)).values_list(
            "id_number_hash", flat=True
        ):
            for row in hashes.get(digest, []):
                row.error(
                    "id_number",
                    "该证件号码已登记",
                    "This document number is already registered",
                    "duplicate",
                    sensitive=True,
                )

    def _organisation(self, row: ParsedRow, ctx: ImportContext, organisations: dict[str, Organisation]):
        code = row.values.get("organisation_credit_code")
        if ctx.role == Role.INSTITUTION_STAFF:
            own = ctx.actor.organisation
            if code and code != (own.credit_code or ""):
                row.error(
                    "organisation_credit_code",
                    "机构人员只能为本机构登记人员",
                    "Institution staff register people for their own institution only",
                    "scope",
                )
            return own
        if not code:
            return None
        if code not in organisations:
            row.error(
                "organisation_credit_code",
                "登记机构不存在或不在您的范围内",
                "Registering institution not found in your scope",
                "unknown_organisation",
            )
            return None
        return organisations[code]

    def write(self, row: ParsedRow, ctx: ImportContext) -> Person:
        return services.person_register(actor=ctx.actor, data=row.data, request=ctx.request, audit_row=False)
