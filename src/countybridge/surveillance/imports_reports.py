"""Bulk import of case report cards (CSV or .xlsx) through core imports: all rows or none, row-level
messages in Chinese and English, ID numbers masked in every message.

Registered as the `case_reports` registry (surveillance/apps.py), so `POST /api/core/imports/case_reports`,
the import page and `countybridge import_registry case_reports` all take it. Each row becomes one report
through `services_reports.case_report_submit`; a row's `client_report_id` (generated from the institution and
the row's content when the file has none) makes a re-imported row return the stored report, never a copy.
The diagnosis time is two columns, 诊断日期 and 诊断时 (0–23), as the card records 年月日时.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from countybridge.core import access
from countybridge.core.imports.base import ImportContext, RegistrySpec, duplicate_in_file
from countybridge.core.imports.columns import (
    BOOL,
    CHOICE,
    CODE,
    DATE,
    ID_NUMBER,
    INT,
    TEXT,
    Column,
    ParsedRow,
    choice_map,
)
from countybridge.core.imports.people import ID_TYPE_CHOICES, SEXES
from countybridge.core.models import Organisation, Region, RegionLevel, Role

from .access_reports import can_read_reports, can_submit_for
from .models import CaseReport, Disease
from .reports_validation import validate_card
from .services_reports import case_report_submit

IMPORT_NAMESPACE = uuid.UUID("6f1d3c52-2b7e-4c55-9a61-0c7d8e3b9a10")

ORIGINS = choice_map(
    {
        "county": ("本县区",),
        "city": ("本市其他县区",),
        "province": ("本省其它地市", "本省其他地市"),
        "other_province": ("外省",),
        "hk_mo_tw": ("港澳台",),
        "foreign": ("外籍",),
    }
)
GROUPS = choice_map(
    {
        "nursery_child": ("幼托儿童",),
        "scattered_child": ("散居儿童",),
        "student": ("学生", "学生(大中小学)"),
        "teacher": ("教师",),
        "childcare": ("保育员及保姆",),
        "food": ("餐饮食品业",),
        "service": ("商业服务",),
        "medical": ("医务人员",),
        "worker": ("工人",),
        "migrant_worker": ("民工",),
        "farmer": ("农民",),
        "herder": ("牧民",),
        "fisher": ("渔(船)民", "渔民", "船民"),
        "clerk": ("干部职员",),
        "retired": ("离退人员",),
        "household": ("家务及待业",),
        "other": ("其他",),
        "unknown": ("不详",),
    }
)
CLASSES = choice_map(
    {
        "suspected": ("疑似病例", "疑似"),
        "clinical": ("临床诊断病例", "临床诊断"),
        "confirmed": ("确诊病例", "实验室确诊病例", "确诊"),
        "carrier": ("病原携带者",),
    }
)
CHRONICITY = choice_map({"acute": ("急性",), "chronic": ("慢性",)})
AGE_UNITS = choice_map({"years": ("岁",), "months": ("月",), "days": ("天",)})

COLUMNS = (
    Column("client_report_id", "客户端报告编号", "Client report id", TEXT, max_length=40),
    Column(
        "organisation_credit_code",
        "报告单位信用代码",
        "Reporting institution credit code",
        CODE,
        aliases=("报告单位",),
    ),
    Column("card_number", "卡片编号", "Card number", TEXT, max_length=40),
    Column("patient_name", "患者姓名", "Patient name", TEXT, required=True, aliases=("姓名",), max_length=40),
    Column("guardian_name", "患儿家长姓名", "Parent's name", TEXT, aliases=("家长姓名",), max_length=40),
    Column("id_type", "证件类型", "Document type", CHOICE, choices=ID_TYPE_CHOICES),
    Column(
        "id_number",
        "有效证件号",
        "Document number",
        ID_NUMBER,
        required=True,
        aliases=("证件号码", "身份证号", "身份证号码"),
        sensitive=True,
    ),
    Column("sex", "性别", "Sex", CHOICE, choices=SEXES),
    Column("birth_date", "出生日期", "Birth date", DATE),
    Column("age_value", "实足年龄", "Age", INT, aliases=("年龄",), min_value=0, max_value=130),
    Column("age_unit", "年龄单位", "Age unit", CHOICE, choices=AGE_UNITS),
    Column("workplace", "工作单位", "Work unit", TEXT, aliases=("工作单位(学校)",), max_length=120),
    Column("phone", "联系电话", "Phone", TEXT, max_length=30),
    Column("patient_origin", "病人属于", "Patient belongs to", CHOICE, required=True, choices=ORIGINS),
    Column("township_code", "乡镇代码", "Township code", CODE, aliases=("现住址乡镇代码",)),
    Column("address", "现住址", "Current address", TEXT, required=True, max_length=200),
    Column(
        "population_group",
        "人群分类",
        "Population group",
        CHOICE,
        required=True,
        choices=GROUPS,
        aliases=("患者职业", "职业"),
    ),
    Column("population_group_other", "人群分类(其他)", "Population group (other)", TEXT, max_length=40),
    Column("case_classification", "病例分类", "Case classification", CHOICE, required=True, choices=CLASSES),
    Column("chronicity", "急慢性", "Acute/chronic", CHOICE, choices=CHRONICITY),
    Column("disease", "疾病名称", "Disease", TEXT, required=True, aliases=("病种", "疾病")),
    Column("disease_subtype", "疾病分型", "Disease subtype", TEXT, aliases=("分型",)),
    Column("other_disease_text", "其他传染病", "Other disease", TEXT, max_length=120),
    Column("onset_date", "发病日期", "Onset date", DATE, required=True),
    Column("diagnosed_date", "诊断日期", "Diagnosis date", DATE, required=True),
    Column(
        "diagnosed_hour",
        "诊断时",
        "Diagnosis hour",
        INT,
        required=True,
        min_value=0,
        max_value=23,
        aliases=("诊断小时",),
    ),
    Column("death_date", "死亡日期", "Death date", DATE),
    Column("outbreak_related", "暴发疫情相关", "Part of an outbreak", BOOL),
    Column(
        "reporting_doctor",
        "填卡医生",
        "Reporting doctor",
        TEXT,
        required=True,
        aliases=("报告人",),
        max_length=40,
    ),
    Column("reporter_phone", "报告人电话", "Reporter's phone", TEXT, max_length=30),
    Column("filled_date", "填卡日期", "Date filled", DATE),
    Column("remarks", "备注", "Remarks", TEXT, max_length=300),
)
CARD_KEYS = {c.key for c in COLUMNS} - {"organisation_credit_code", "diagnosed_date", "diagnosed_hour"}


class CaseReportSpec(RegistrySpec):
    key = "case_reports"
    title_zh = "传染病报告卡"
    title_en = "Case reports"
    columns = COLUMNS
    roles = frozenset(access.REGISTRY_ROLES)
    problem_fields = {"diagnosed_at": "diagnosed_date", "organisation_id": "organisation_credit_code"}

    def check_role(self, actor) -> None:
        if not can_read_reports(actor):
            raise PermissionDenied("role may not import case reports")

    def prepare(self, rows: list[ParsedRow], ctx: ImportContext) -> None:
        names = {r.values.get("disease") for r in rows if r.values.get("disease")}
        diseases = {}
        for d in Disease.objects.filter(Q(code__in=names) | Q(name_zh__in=names)):
            diseases[d.code] = d
            diseases.setdefault(d.name_zh, d)
        codes = {r.values.get("township_code") for r in rows if r.values.get("township_code")}
        townships = {t.code: t for t in Region.objects.filter(code__in=codes, level=RegionLevel.TOWNSHIP)}
        credit_codes = {
            r.values["organisation_credit_code"] for r in rows if r.values.get("organisation_credit_code")
        }
        organisations = {o.credit_code: o for o in Organisation.objects.filter(credit_code__in=credit_codes)}
        seen: dict[Any, int] = {}
        for row in rows:
            organisation = self._organisation(row, ctx, organisations)
            data = {k: row.values.get(k) for k in CARD_KEYS if row.values.get(k) is not None}
            disease = diseases.get(str(data.get("disease", "")))
            if disease is not None:
                data["disease"] = disease.code
                subtype = data.get("disease_subtype")
                for s in disease.subtypes:
                    if subtype in (s.get("name_zh"), s.get("name_en")):
                        data["disease_subtype"] = s["code"]
            day, hour = row.values.get("diagnosed_date"), row.values.get("diagnosed_hour")
            if day is not None and hour is not None:
                data["diagnosed_at"] = dt.datetime.combine(day, dt.time(int(hour)))
            if not data.get("client_report_id") and organisation is not None:
                content = "|".join(f"{k}={row.values.get(k)}" for k in sorted(row.values))
                data["client_report_id"] = str(uuid.uuid5(IMPORT_NAMESPACE, f"{organisation.pk}|{content}"))
            problems, _clean = validate_card(
                data, diseases=diseases, townships=townships, require_client_id=False
            )
            already_reported = {e.field for e in row.errors}
            self.add_problems(row, [p for p in problems if p.field not in already_reported])
            if data.get("client_report_id"):
                duplicate_in_file(
                    seen,
                    data["client_report_id"],
                    row,
                    "client_report_id",
                    "报告(编号)",
                    "The report (its id)",
                )
            if organisation is not None:
                data["organisation_id"] = organisation.pk
            row.data = data
        ids = [r.data["client_report_id"] for r in rows if r.data.get("client_report_id")]
        taken = dict(
            CaseReport.objects.filter(client_report_id__in=self._uuids(ids)).values_list(
                "client_report_id", "organisation_id"
            )
        )
        for row in rows:
            ident = self._uuid(row.data.get("client_report_id"))
            if ident in taken and taken[ident] != row.data.get("organisation_id"):
                row.error(
                    "client_report_id",
                    "该报告编号已被其他单位的报告使用",
                    "This report id belongs to another institution's report",
                    "conflict",
                )

    @staticmethod
    def _uuid(value):
        try:
            return uuid.UUID(str(value))
        except ValueError:
            return None

    def _uuids(self, values) -> list[uuid.UUID]:
        return [u for u in (self._uuid(v) for v in values) if u is not None]

    def _organisation(self, row: ParsedRow, ctx: ImportContext, organisations: dict[str, Organisation]):
        code = row.values.get("organisation_credit_code")
        if ctx.role == Role.INSTITUTION_STAFF:
            own = ctx.actor.organisation
            if code and code != (own.credit_code or ""):
                row.error(
                    "organisation_credit_code",
                    "机构人员只能导入本机构的报告卡",
                    "Institution staff import their own institution's cards only",
                    "scope",
                )
            return own
        if not code:
            row.error(
                "organisation_credit_code",
                "须填写报告单位信用代码",
                "The reporting institution is required",
                "required",
            )
            return None
        organisation = organisations.get(code)
        if organisation is None:
            row.error(
                "organisation_credit_code",
                "报告单位不存在",
                "No institution has this credit code",
                "unknown_organisation",
            )
            return None
        if not can_submit_for(ctx.actor, organisation):
            row.error(
                "organisation_credit_code",
                "报告单位不在您的管辖范围内",
                "The institution is outside your scope",
                "scope",
            )
            return None
        return organisation

    def write(self, row: ParsedRow, ctx: ImportContext):
        report, _created = case_report_submit(actor=ctx.actor, data=dict(row.data), request=ctx.request)
        return report
