"""Importing edits to regions' descriptive fields (English name, seat coordinates, terrain, population).

Regions themselves (codes, Chinese names, hierarchy, code history) come from the sourced lists loaded by
`countybridge load_regions`; an import can only describe existing regions, through `services.region_update`.
"""

from __future__ import annotations

from typing import Any

from .. import services
from ..models import Region, Role
from .base import ImportContext, RegistrySpec, duplicate_in_file
from .columns import BOOL, CODE, FLOAT, INT, TEXT, Column, ParsedRow

COLUMNS = (
    Column("code", "区划代码", "Code", CODE, required=True, aliases=("代码", "region_code")),
    Column("name_en", "英文名称", "English name", TEXT, aliases=("name_en",), max_length=96),
    Column("lon", "经度", "Longitude", FLOAT, aliases=("longitude", "lng")),
    Column("lat", "纬度", "Latitude", FLOAT, aliases=("latitude",)),
    Column("terrain", "地形", "Terrain", TEXT, max_length=32),
    Column("map_name", "地图名称", "Name in the map outlines", TEXT, max_length=32),
    Column(
        "population_2020", "2020年人口", "Population 2020", INT, aliases=("人口", "population"), min_value=0
    ),
    Column("population_is_synthetic", "人口为估算", "Population is synthetic", BOOL, aliases=("估算",)),
)


class RegionSpec(RegistrySpec):
    key = "regions"
    title_zh = "行政区划(描述信息)"
    title_en = "Regions (descriptive fields)"
    columns = COLUMNS
    roles = frozenset({Role.CITY_ADMIN})
    problem_fields: dict[str, str] = {}

    def prepare(self, rows: list[ParsedRow], ctx: ImportContext) -> None:
        codes = {r.values.get("code") for r in rows if r.values.get("code")}
        regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
        seen: dict[Any, int] = {}
        for row in rows:
            code = row.values.get("code")
            region = regions.get(code) if code else None
            if code and region is None:
                row.error("code", f"未知的区划代码 {code}", f"Unknown region code {code}", "unknown_region")
            if code and duplicate_in_file(seen, code, row, "code", "区划代码", "The region code"):
                continue
            data = {k: row.values.get(k) for k in services.regions.REGION_EDITABLE}
            if region is not None:
                self.add_problems(row, services.regions.validate_region_update(region, data))
            row.data = {"region": region, "data": data}

    def write(self, row: ParsedRow, ctx: ImportContext) -> Region:
        return services.region_update(
            actor=ctx.actor,
            region=row.data["region"],
            data=row.data["data"],
            request=ctx.request,
            audit_row=False,
        )
