"""Importing organisations of every kind through `services.organisation_create`."""

from __future__ import annotations

from typing import Any

from .. import access, services
from ..identifiers import IdentifierError, validate_credit_code
from ..models import Organisation, Role
from ..services.organisations import validate_organisation
from .base import ImportContext, RegistrySpec, check_county_scope, duplicate_in_file, resolve_county
from .columns import BOOL, CHOICE, CODE, FLOAT, INT, LIST, TEXT, Column, ParsedRow, choice_map

KIND_OPTIONS = {
    "hospital": ("医院", "hospital"),
    "primary_care": ("基层医疗机构", "基层医疗卫生机构", "基层医疗", "primary care"),
    "school": ("学校", "school"),
    "employer": ("企业", "用人单位", "employer", "company"),
    "park": ("园区", "产业园区", "工业园区", "industrial park"),
    "university": ("高校", "大学", "高等院校", "university"),
    "department": ("部门", "政府部门", "department"),
}
HOSPITAL_LEVELS = choice_map({1: ("一级", "一"), 2: ("二级", "二"), 3: ("三级", "三")})
HOSPITAL_GRADES = choice_map(
    {"甲": ("甲等", "a"), "乙": ("乙等", "b"), "丙": ("丙等", "c"), "": ("未定等", "无", "none")}
)
PRIMARY_CARE_OPTIONS = {
    "township_hc": ("乡镇卫生院", "卫生院"),
    "community_hc": ("社区卫生服务中心", "社区卫生服务站", "社区中心"),
    "village_clinic": ("村卫生室", "卫生室"),
}
OWNERSHIP_OPTIONS = {
    "public": ("公立", "公办", "国有", "公"),
    "private": ("民营", "民办", "私立", "社会办", "私"),
}
SCHOOL_STAGE_OPTIONS = {
    "kindergarten": ("幼儿园", "学前"),
    "primary": ("小学",),
    "junior": ("初中", "初级中学"),
    "senior": ("高中", "高级中学", "普通高中"),
    "vocational": ("职高", "中职", "职业学校", "职业高中"),
}
DOMAIN_OPTIONS = {
    "organisation": ("组织部", "组织"),
    "hr": ("人社", "人社局", "人力资源和社会保障局"),
    "health": ("卫健", "卫健委", "卫生健康委", "卫生健康委员会"),
    "cdc": ("疾控", "疾控中心", "疾病预防控制中心"),
    "education": ("教育", "教育局"),
}
# the first spelling of each option is the Chinese label exports write, so an export imports again
KINDS = choice_map(KIND_OPTIONS)
PRIMARY_CARE_TYPES = choice_map(PRIMARY_CARE_OPTIONS)
OWNERSHIP = choice_map(OWNERSHIP_OPTIONS)
SCHOOL_STAGES = choice_map(SCHOOL_STAGE_OPTIONS)
DOMAINS = choice_map(DOMAIN_OPTIONS)

COLUMNS = (
    Column("name", "名称", "Name", TEXT, required=True, aliases=("机构名称", "单位名称"), max_length=120),
    Column("kind", "类型", "Kind", CHOICE, required=True, aliases=("机构类型", "type"), choices=KINDS),
    Column(
        "credit_code", "统一社会信用代码", "Credit code", CODE, aliases=("信用代码", "社会信用代码", "uscc")
    ),
    Column("county_code", "区县代码", "County code", CODE, aliases=("区(市)县代码", "区市县代码", "county")),
    Column(
        "township_code",
        "乡镇代码",
        "Township code",
        CODE,
        aliases=("乡镇(街道)代码", "乡镇街道代码", "township"),
    ),
    Column(
        "parent_credit_code", "上级机构信用代码", "Parent credit code", CODE, aliases=("上级机构", "parent")
    ),
    Column("address", "地址", "Address", TEXT, max_length=200),
    Column("lon", "经度", "Longitude", FLOAT, aliases=("longitude", "lng")),
    Column("lat", "纬度", "Latitude", FLOAT, aliases=("latitude",)),
    Column(
        "ownership",
        "性质",
        "Ownership",
        CHOICE,
        aliases=("所有制", "举办性质", "办学性质"),
        choices=OWNERSHIP,
    ),
    Column(
        "hospital_level",
        "医院等级",
        "Hospital level",
        CHOICE,
        aliases=("等级", "level"),
        choices=HOSPITAL_LEVELS,
    ),
    Column(
        "hospital_grade",
        "医院等次",
        "Hospital grade",
        CHOICE,
        aliases=("等次", "grade"),
        choices=HOSPITAL_GRADES,
    ),
    Column(
        "beds",
        "床位数",
        "Beds",
        INT,
        aliases=("床位", "编制床位", "开放床位"),
        min_value=0,
        max_value=100_000,
    ),
    Column("departments", "临床科室", "Clinical departments", LIST, aliases=("科室",)),
    Column(
        "has_emergency_department", "急诊科", "Emergency department", BOOL, aliases=("有急诊科", "emergency")
    ),
    Column(
        "primary_care_type",
        "基层机构类型",
        "Primary-care type",
        CHOICE,
        aliases=("基层类型",),
        choices=PRIMARY_CARE_TYPES,
    ),
    Column(
        "school_stages", "学段", "School stages", LIST, aliases=("办学学段", "stages"), choices=SCHOOL_STAGES
    ),
    Column("school_tier", "学校等级", "School tier", TEXT, aliases=("学校类别", "tier"), max_length=32),
    Column("seats", "学位数", "Seats", INT, aliases=("学位",), min_value=0, max_value=100_000),
    Column("industry", "行业", "Industry", TEXT, max_length=64),
    Column("domain", "领域", "Domain", CHOICE, aliases=("主管领域", "部门领域"), choices=DOMAINS),
)

# fields of Organisation filled straight from a column of the same name
DIRECT_FIELDS = (
    "kind",
    "name",
    "address",
    "lon",
    "lat",
    "hospital_level",
    "beds",
    "departments",
    "primary_care_type",
    "school_stages",
    "school_tier",
    "seats",
    "industry",
    "domain",
)


class OrganisationSpec(RegistrySpec):
    key = "organisations"
    title_zh = "机构"
    title_en = "Organisations"
    columns = COLUMNS
    # institution staff register people, not institutions (services.organisation_create refuses them too)
    roles = frozenset({Role.CITY_ADMIN, Role.DEPARTMENT_OFFICER, Role.COUNTY_OFFICER})
    problem_fields = {"region": "county_code", "township": "township_code", "parent": "parent_credit_code"}

    def prepare(self, rows: list[ParsedRow], ctx: ImportContext) -> None:
        codes = {
            c for r in rows for c in (r.values.get("credit_code"), r.values.get("parent_credit_code")) if c
        }
        by_code = {o.credit_code: o for o in Organisation.objects.filter(credit_code__in=codes)}
        # parents must be visible to the importer: an out-of-scope parent reads as unknown
        visible_parents = set(
            access.scope_queryset(Organisation.objects.filter(credit_code__in=codes), ctx.actor).values_list(
                "credit_code", flat=True
            )
        )
        names = {r.values.get("name") for r in rows if r.values.get("name")}
        existing_names = set(
            Organisation.objects.filter(name__in=names).values_list("region_id", "kind", "name")
        )
        seen_codes: dict[Any, int] = {}
        seen_names: dict[Any, int] = {}
        for row in rows:
            values = row.values
            county, township = resolve_county(row, ctx)
            in_scope = check_county_scope(row, ctx, county)
            data: dict[str, Any] = {f: values.get(f) for f in DIRECT_FIELDS}
            data.update(
                region=county,
                township=township,
                ownership=values.get("ownership") or "public",
                hospital_grade=values.get("hospital_grade") or "",
                has_emergency_department=bool(values.get("has_emergency_department")),
                departments=values.get("departments") or [],
                school_stages=values.get("school_stages") or [],
            )
            for key in ("address", "school_tier", "industry", "domain", "primary_care_type"):
                data[key] = data[key] or ""
            code = values.get("credit_code")
            if code:
                try:
                    code = validate_credit_code(code)
                    data["credit_code"] = code
                except IdentifierError as exc:
                    row.error("credit_code", exc.message_zh, exc.message_en, exc.code)
                    code = None
                if (
                    code
                    and not duplicate_in_file(
                        seen_codes, code, row, "credit_code", "统一社会信用代码", "The credit code"
                    )
                    and code in by_code
                ):
                    row.error(
                        "credit_code",
                        f"统一社会信用代码已登记({by_code[code].name})"
                        if code in visible_parents
                        else "统一社会信用代码已被其他机构登记",
                        "This credit code is already registered",
                        "duplicate",
                    )
            if county is not None and values.get("kind") and values.get("name"):
                name_key = (county.pk, values["kind"], values["name"])
                if (
                    not duplicate_in_file(
                        seen_names,
                        name_key,
                        row,
                        "name",
                        "同一区(市)县的同类同名机构",
                        "An organisation of the same county, kind and name",
                    )
                    and in_scope
                    and name_key in existing_names
                ):
                    row.error(
                        "name",
                        "同一区(市)县内已有同类同名机构",
                        "An organisation of this kind and name already exists in this county",
                        "duplicate",
                    )
            parent_code = values.get("parent_credit_code")
            if parent_code:
                if parent_code in visible_parents:
                    data["parent"] = by_code[parent_code]
                elif parent_code in seen_codes and seen_codes[parent_code] < row.number:
                    data["parent"] = ("file", parent_code)  # created by an earlier row of this file
                else:
                    row.error(
                        "parent_credit_code",
                        "上级机构不存在或不在您的范围内,上级须已登记或在本文件中靠前",
                        "Parent organisation not found in your scope; it must exist or come earlier in "
                        "this file",
                        "unknown_parent",
                    )
            # the service's own validator decides what each kind requires (hospital level, school stages …)
            self.add_problems(row, validate_organisation({k: v for k, v in data.items() if k != "parent"}))
            row.data = data

    def write(self, row: ParsedRow, ctx: ImportContext) -> Organisation:
        data = dict(row.data)
        parent = data.get("parent")
        if isinstance(parent, tuple):
            data["parent"] = ctx.created[parent[1]]
        org = services.organisation_create(actor=ctx.actor, data=data, request=ctx.request, audit_row=False)
        if org.credit_code:
            ctx.created[org.credit_code] = org
        return org
