"""Checking a case report card (传染病报告卡, 2019 card) before it is stored: every field at once, each problem
named in Chinese and in English. Used by the API, the point-of-care page, the import and the services.

`validate_card(data, ...)` takes plain values (strings from a form or JSON, or typed values) and returns
(problems, clean) where `clean` holds typed values ready for `services_reports`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.utils import timezone

from countybridge.core.identifiers import ID_TYPES, IdentifierError, mask_id, parse_resident_id
from countybridge.core.models import Region, RegionLevel
from countybridge.core.services.errors import FieldProblem

from .models import (
    AgeUnit,
    CaseClassification,
    Chronicity,
    Disease,
    DiseaseKind,
    PatientOrigin,
    PopulationGroup,
)
from .selectors_catalogue import classification_on

RESIDENT_ID_TYPES = {"resident_id", "hk_mo_residence", "tw_residence"}
CLOCK_SKEW = dt.timedelta(minutes=10)  # a client clock slightly ahead is not a "future" diagnosis
CHILD_AGE = 14  # 患儿家长姓名 is required for patients under 14

# the card's fields: key → (Chinese label, English label)
LABELS: dict[str, tuple[str, str]] = {
    "client_report_id": ("客户端报告编号", "Client report id"),
    "card_number": ("卡片编号", "Card number"),
    "patient_name": ("患者姓名", "Patient name"),
    "guardian_name": ("患儿家长姓名", "Parent's name"),
    "id_type": ("证件类型", "Document type"),
    "id_number": ("有效证件号", "Document number"),
    "sex": ("性别", "Sex"),
    "birth_date": ("出生日期", "Birth date"),
    "age_value": ("实足年龄", "Age"),
    "age_unit": ("年龄单位", "Age unit"),
    "workplace": ("工作单位(学校)", "Work unit (school)"),
    "phone": ("联系电话", "Phone"),
    "patient_origin": ("病人属于", "Patient belongs to"),
    "township_code": ("现住址乡镇(街道)代码", "Township of current address"),
    "address": ("现住址", "Current address"),
    "population_group": ("人群分类", "Population group"),
    "population_group_other": ("人群分类(其他)", "Population group (other)"),
    "case_classification": ("病例分类", "Case classification"),
    "chronicity": ("急性/慢性", "Acute/chronic"),
    "disease": ("疾病名称", "Disease"),
    "disease_subtype": ("疾病分型", "Disease subtype"),
    "other_disease_text": ("其他传染病名称", "Other disease"),
    "onset_date": ("发病日期", "Onset date"),
    "diagnosed_at": ("诊断时间", "Diagnosis time"),
    "death_date": ("死亡日期", "Death date"),
    "outbreak_related": ("暴发疫情相关", "Part of an outbreak"),
    "reporting_doctor": ("填卡医生", "Reporting doctor"),
    "reporter_phone": ("报告人电话", "Reporter's phone"),
    "filled_date": ("填卡日期", "Date filled"),
    "remarks": ("备注", "Remarks"),
    "recorded_at": ("客户端记录时间", "Recorded on the client"),
}
TEXT_LIMITS = {
    "card_number": 40,
    "patient_name": 40,
    "guardian_name": 40,
    "workplace": 120,
    "phone": 30,
    "address": 200,
    "population_group_other": 40,
    "other_disease_text": 120,
    "reporting_doctor": 40,
    "reporter_phone": 30,
    "remarks": 300,
}
REQUIRED = (
    "patient_name",
    "id_number",
    "patient_origin",
    "address",
    "population_group",
    "case_classification",
    "disease",
    "onset_date",
    "diagnosed_at",
    "reporting_doctor",
)
CHOICES = {
    "id_type": set(ID_TYPES),
    "sex": {"M", "F"},
    "age_unit": set(AgeUnit.values),
    "patient_origin": set(PatientOrigin.values),
    "population_group": set(PopulationGroup.values),
    "case_classification": set(CaseClassification.values),
    "chronicity": set(Chronicity.values),
}


def _problem(
    key: str, value: Any, zh: str, en: str, code: str = "invalid", mask: bool = False
) -> FieldProblem:
    shown = "" if value is None else str(value)
    return FieldProblem(key, mask_id(shown) if mask else shown[:80], zh, en, code)


def _parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def _parse_datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        parsed = value
    else:
        text = str(value).strip().replace(" ", "T", 1)
        if len(text) == 13:  # 2026-03-01T09: the card records the hour
            text += ":00"
        parsed = dt.datetime.fromisoformat(text)
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)  # Asia/Shanghai, as written on the card
    return parsed


def age_in_years(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def validate_card(
    data: dict[str, Any],
    *,
    now: dt.datetime | None = None,
    diseases: dict[str, Disease] | None = None,
    townships: dict[str, Region] | None = None,
    require_client_id: bool = True,
) -> tuple[list[FieldProblem], dict[str, Any]]:
    """All checks of one card; `diseases`/`townships` are caches for bulk callers (the import)."""
    now = now or timezone.now()
    problems: list[FieldProblem] = []
    clean: dict[str, Any] = {}
    raw = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}

    def label(key: str) -> tuple[str, str]:
        return LABELS.get(key, (key, key))

    unknown = sorted(set(raw) - set(LABELS) - {"organisation_id", "expected_version", "reason"})
    for key in unknown:
        problems.append(_problem(key, "", "不支持此字段", "Unknown field", "unknown_field"))
    for key in REQUIRED + (("client_report_id",) if require_client_id else ()):
        if raw.get(key) in (None, ""):
            zh, en = label(key)
            problems.append(_problem(key, "", f"“{zh}”为必填项", f"'{en}' is required", "required"))
    for key, limit in TEXT_LIMITS.items():
        value = raw.get(key)
        if value in (None, ""):
            clean[key] = ""
            continue
        if not isinstance(value, str):
            value = str(value)
        if len(value) > limit:
            zh, en = label(key)
            problems.append(
                _problem(
                    key, value, f"“{zh}”不能超过{limit}个字符", f"'{en}' is longer than {limit}", "too_long"
                )
            )
        clean[key] = value
    for key, allowed in CHOICES.items():
        value = raw.get(key)
        if value in (None, ""):
            clean[key] = ""
            continue
        if value not in allowed:
            zh, en = label(key)
            options = ", ".join(sorted(a for a in allowed if a))
            problems.append(
                _problem(
                    key, value, f"“{zh}”取值无效,可选: {options}", f"Invalid {en}; one of {options}", "choice"
                )
            )
            clean[key] = ""
        else:
            clean[key] = value
    clean["id_type"] = clean["id_type"] or "resident_id"

    if raw.get("client_report_id") not in (None, ""):
        try:
            clean["client_report_id"] = uuid.UUID(str(raw["client_report_id"]))
        except ValueError:
            problems.append(
                _problem(
                    "client_report_id",
                    raw["client_report_id"],
                    "客户端报告编号应为 UUID",
                    "The client report id must be a UUID",
                )
            )
    for key in ("onset_date", "birth_date", "death_date", "filled_date"):
        value = raw.get(key)
        clean[key] = None
        if value in (None, ""):
            continue
        try:
            clean[key] = _parse_date(value)
        except (TypeError, ValueError):
            zh, en = label(key)
            problems.append(
                _problem(
                    key, value, f"“{zh}”应为日期 YYYY-MM-DD", f"'{en}' must be a date YYYY-MM-DD", "date"
                )
            )
    for key in ("diagnosed_at", "recorded_at"):
        value = raw.get(key)
        clean[key] = None
        if value in (None, ""):
            continue
        try:
            clean[key] = _parse_datetime(value)
        except (TypeError, ValueError):
            zh, en = label(key)
            problems.append(
                _problem(
                    key, value, f"“{zh}”应为 YYYY-MM-DD HH:MM", f"'{en}' must be YYYY-MM-DD HH:MM", "datetime"
                )
            )
    clean["outbreak_related"] = raw.get("outbreak_related") in (True, "true", "1", "on", "yes", 1)
    clean["age_value"] = None
    if raw.get("age_value") not in (None, ""):
        try:
            age = int(str(raw["age_value"]))
            if not 0 <= age <= 130:
                raise ValueError
            clean["age_value"] = age
        except ValueError:
            problems.append(
                _problem(
                    "age_value", raw["age_value"], "年龄应为0–130的整数", "Age must be a whole number 0–130"
                )
            )

    # identity: a resident ID is checked (GB 11643) and gives birth date and sex
    number = str(raw.get("id_number") or "").strip().upper().replace(" ", "")
    clean["id_number"] = number
    if number and clean["id_type"] in RESIDENT_ID_TYPES:
        try:
            parsed = parse_resident_id(number, today=timezone.localdate())
            clean["id_number"] = parsed.number
            if clean["birth_date"] is None:
                clean["birth_date"] = parsed.birth_date
            elif clean["birth_date"] != parsed.birth_date:
                problems.append(
                    _problem(
                        "birth_date",
                        clean["birth_date"],
                        "出生日期与身份证号码不符",
                        "Birth date does not match the ID number",
                    )
                )
            if not clean["sex"]:
                clean["sex"] = parsed.sex
            elif clean["sex"] != parsed.sex:
                problems.append(
                    _problem("sex", clean["sex"], "性别与身份证号码不符", "Sex does not match the ID number")
                )
        except IdentifierError as exc:
            problems.append(
                _problem("id_number", number, exc.message_zh, exc.message_en, exc.code, mask=True)
            )
    elif number and not 6 <= len(number) <= 20:
        problems.append(
            _problem("id_number", number, "证件号码长度无效", "Document number length is invalid", mask=True)
        )
    if not clean["sex"] and not any(p.field == "sex" for p in problems):
        problems.append(_problem("sex", "", "“性别”为必填项", "'Sex' is required", "required"))
    if clean["birth_date"] is None and clean["age_value"] is None:
        problems.append(
            _problem(
                "birth_date",
                "",
                "须填写出生日期,或实足年龄及单位",
                "Give the birth date, or the age and its unit",
                "required",
            )
        )
    if clean["age_value"] is not None and not clean["age_unit"]:
        problems.append(
            _problem("age_unit", "", "填写年龄时须选择年龄单位", "Choose the unit of the age", "required")
        )

    # disease and the rules in force on the diagnosis date
    code = raw.get("disease") or ""
    disease = None
    if code:
        disease = (
            (diseases or {}).get(code) if diseases is not None else Disease.objects.filter(code=code).first()
        )
        if disease is None or not disease.is_active:
            problems.append(_problem("disease", code, "未知的疾病代码", "Unknown disease code", "unknown"))
            disease = None
    clean["disease"] = disease
    subtype = str(raw.get("disease_subtype") or "")
    clean["disease_subtype"] = subtype
    if disease is not None:
        codes = [s.get("code") for s in disease.subtypes]
        if subtype and subtype not in codes:
            problems.append(
                _problem(
                    "disease_subtype",
                    subtype,
                    f"分型无效,可选: {', '.join(codes) or '—'}",
                    f"Invalid subtype; one of {', '.join(codes) or '—'}",
                    "choice",
                )
            )
        elif codes and not subtype:
            problems.append(
                _problem(
                    "disease_subtype",
                    "",
                    f"{disease.name_zh}须选择分型",
                    f"Choose a subtype of {disease.name_en or disease.code}",
                    "required",
                )
            )
        if clean["chronicity"] and not disease.chronic_applicable:
            problems.append(
                _problem(
                    "chronicity",
                    clean["chronicity"],
                    "该病不区分急性/慢性",
                    "Acute/chronic does not apply to this disease",
                )
            )
        if disease.kind == DiseaseKind.UNEXPLAINED and not clean["other_disease_text"]:
            problems.append(
                _problem(
                    "other_disease_text",
                    "",
                    "须描述新发或不明原因的疾病",
                    "Describe the new or unexplained disease",
                    "required",
                )
            )
    clean["classification"] = None
    diagnosed = clean["diagnosed_at"]
    if diagnosed is not None:
        if diagnosed > now + CLOCK_SKEW:
            problems.append(
                _problem(
                    "diagnosed_at",
                    raw.get("diagnosed_at"),
                    "诊断时间不能晚于当前时间",
                    "The diagnosis time is in the future",
                )
            )
        diagnosis_day = timezone.localtime(diagnosed).date()
        if disease is not None:
            clean["classification"] = classification_on(disease, diagnosis_day, subtype)
            if clean["classification"] is None:
                problems.append(
                    _problem(
                        "disease",
                        code,
                        f"{disease.name_zh}在诊断日期({diagnosis_day})不属于报告范围",
                        f"{disease.name_en or disease.code} was not reportable on the diagnosis date ({diagnosis_day})",
                        "not_reportable",
                    )
                )
        onset = clean["onset_date"]
        if onset is not None and onset > diagnosis_day:
            problems.append(
                _problem(
                    "onset_date",
                    onset,
                    "发病日期不能晚于诊断日期",
                    "The onset date is after the diagnosis date",
                )
            )
        if clean["filled_date"] is not None and clean["filled_date"] < diagnosis_day:
            problems.append(
                _problem(
                    "filled_date",
                    clean["filled_date"],
                    "填卡日期不能早于诊断日期",
                    "The card is dated before the diagnosis",
                )
            )
        if clean["death_date"] is not None and onset is not None and clean["death_date"] < onset:
            problems.append(
                _problem(
                    "death_date",
                    clean["death_date"],
                    "死亡日期不能早于发病日期",
                    "The death date is before the onset",
                )
            )
        birth = clean["birth_date"]
        if birth is not None and onset is not None and birth > onset:
            problems.append(
                _problem("birth_date", birth, "出生日期不能晚于发病日期", "The birth date is after the onset")
            )
        if birth is not None and onset is not None:
            years = age_in_years(birth, onset)
        elif clean["age_value"] is not None:
            years = clean["age_value"] if clean["age_unit"] == AgeUnit.YEARS else 0
        else:
            years = None
        if years is not None and years < CHILD_AGE and not clean["guardian_name"]:
            problems.append(
                _problem(
                    "guardian_name",
                    "",
                    "14岁以下患儿须填写家长姓名",
                    "A parent's name is required for patients under 14",
                    "required",
                )
            )
    if clean["filled_date"] is None:
        clean["filled_date"] = timezone.localdate(now)
    if clean["population_group"] == PopulationGroup.OTHER and not clean["population_group_other"]:
        problems.append(
            _problem(
                "population_group_other",
                "",
                "人群分类为“其他”时须注明",
                "Say which group when 'other' is chosen",
                "required",
            )
        )
    township_code = str(raw.get("township_code") or "")
    clean["township"] = None
    if township_code:
        township = (
            (townships or {}).get(township_code)
            if townships is not None
            else Region.objects.filter(code=township_code).first()
        )
        if township is None or township.level != RegionLevel.TOWNSHIP:
            problems.append(
                _problem(
                    "township_code", township_code, "未知的乡镇(街道)代码", "Unknown township code", "unknown"
                )
            )
        else:
            clean["township"] = township
    return problems, clean
