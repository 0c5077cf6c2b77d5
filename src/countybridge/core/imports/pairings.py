"""Importing pairings (结对) of county cities with districts through `services.pairing_set`.

`pairing_set` writes its own audit row per pairing (it has no switch to skip it), so a pairings import leaves
one "create" row per pairing beside the batch's "import" row; pairings number in the tens, so this is fine.
"""

from __future__ import annotations

from typing import Any

from .. import access, services
from ..models import Pairing, RegionLevel, Role
from .base import ImportContext, RegistrySpec, duplicate_in_file
from .columns import CHOICE, CODE, TEXT, Column, ParsedRow, choice_map

STATUSES = choice_map(
    {
        "known": ("已证实", "有来源", "已知", "sourced"),
        "illustrative": ("示意", "演示", "示例", "demo"),
    }
)

COLUMNS = (
    Column(
        "county_city_code",
        "县市代码",
        "County city code",
        CODE,
        required=True,
        aliases=("县市新城代码", "县市新城", "county_city"),
    ),
    Column(
        "district_code", "结对区代码", "District code", CODE, required=True, aliases=("结对区", "district")
    ),
    Column("status", "状态", "Status", CHOICE, required=True, choices=STATUSES),
    Column("description", "说明", "Description", TEXT, aliases=("描述", "合作内容"), max_length=200),
    Column("source", "来源", "Source", TEXT, aliases=("出处",), max_length=200),
)


class PairingSpec(RegistrySpec):
    key = "pairings"
    title_zh = "结对关系"
    title_en = "Pairings"
    columns = COLUMNS
    # the same editors as the pairings pages: city administrators and the organisation department
    roles = frozenset({Role.CITY_ADMIN, Role.DEPARTMENT_OFFICER})

    def check_role(self, actor) -> None:
        super().check_role(actor)
        access.require_pairing_editor(actor)  # the same rule as the pages, the API and the service

    def prepare(self, rows: list[ParsedRow], ctx: ImportContext) -> None:
        existing = set(Pairing.objects.values_list("county_city_id", "district_id"))
        seen: dict[Any, int] = {}
        for row in rows:
            county_city = self._county(row, ctx, "county_city_code")
            district = self._county(row, ctx, "district_code")
            if county_city is not None and not county_city.is_county_city:
                row.error(
                    "county_city_code",
                    f"{county_city.name_zh} 不是县市新城",
                    f"{county_city.name_en} is not a county city",
                    "not_county_city",
                )
                county_city = None
            if county_city is not None and district is not None:
                if county_city.pk == district.pk:
                    row.error(
                        "district_code",
                        "县市不能与自身结对",
                        "A county city cannot be paired with itself",
                        "self_pairing",
                    )
                elif (
                    not duplicate_in_file(
                        seen, (county_city.pk, district.pk), row, "district_code", "结对关系", "The pairing"
                    )
                    and (county_city.pk, district.pk) in existing
                ):
                    row.error(
                        "district_code",
                        "该结对关系已存在,请在结对页面修改",
                        "This pairing already exists; edit it on the pairings page",
                        "duplicate",
                    )
            row.data = {
                "county_city": county_city,
                "district": district,
                "status": row.values.get("status"),
                "description": row.values.get("description") or "",
                "source": row.values.get("source") or "",
            }

    def _county(self, row: ParsedRow, ctx: ImportContext, key: str):
        code = row.values.get(key)
        if not code:
            return None
        region = ctx.region(code)
        if region is None or region.level != RegionLevel.COUNTY:
            row.error(key, f"未知的区(市)县代码 {code}", f"Unknown county code {code}", "unknown_region")
            return None
        return region

    def write(self, row: ParsedRow, ctx: ImportContext) -> Pairing:
        return services.pairing_set(actor=ctx.actor, request=ctx.request, **row.data)
