"""Registry imports of the EMS network through core.imports (CSV/.xlsx, all-or-nothing, row-level
messages in Chinese and English): receiving hospitals, demand points and stations (with ambulances).

Each row must lie on the county's current road network: a place farther than travel.MAX_SNAP_KM from every
road is a row error naming the place, and then nothing of the file is saved. A county officer imports rows
of their own county only. Registered into core's SPECS when the app is ready (apps.py)."""

from __future__ import annotations

from typing import Any

import numpy as np
from django.core.exceptions import PermissionDenied

from countybridge.core.imports.base import (
    ImportContext,
    RegistrySpec,
    check_county_scope,
    duplicate_in_file,
    resolve_county,
)
from countybridge.core.imports.columns import (
    BOOL,
    CHOICE,
    CODE,
    FLOAT,
    INT,
    TEXT,
    Column,
    ParsedRow,
    choice_map,
)
from countybridge.core.models import Organisation, Role

from . import selectors, services, travel
from .models import DemandPoint, Hospital, Scenario

COUNTY = Column("county_code", "区县代码", "County code", CODE, aliases=("区(市)县代码", "county"))
CODE_COL = Column("code", "编号", "Code", CODE, required=True, aliases=("id",))
NAME = Column("name", "名称", "Name", TEXT, required=True, max_length=120)
LON = Column(
    "lon",
    "经度",
    "Longitude",
    FLOAT,
    required=True,
    aliases=("longitude", "lng"),
    min_value=73,
    max_value=136,
)
LAT = Column(
    "lat", "纬度", "Latitude", FLOAT, required=True, aliases=("latitude",), min_value=3, max_value=54
)
URBAN = Column("urban", "城区", "Urban", BOOL, aliases=("是否城区",))
LEVELS = choice_map({2: ("二级", "二", "level 2"), 3: ("三级", "三", "level 3")})
KINDS = choice_map(
    {"township": ("乡镇", "街道", "乡镇街道"), "community": ("社区", "村"), "grid": ("网格", "格网")}
)


class _EmsSpec(RegistrySpec):
    roles = frozenset({Role.CITY_ADMIN, Role.DEPARTMENT_OFFICER, Role.COUNTY_OFFICER})
    place_zh = place_en = ""

    def check_role(self, actor) -> None:
        if not selectors.can_read_ems(actor):
            raise PermissionDenied(f"role may not import {self.key}")

    def _common(self, rows: list[ParsedRow], ctx: ImportContext, model) -> list[tuple[ParsedRow, Any]]:
        """County, scope, duplicates; returns (row, county) for rows that got that far."""
        seen: dict[Any, int] = {}
        ready = []
        for row in rows:
            county, _township = resolve_county(row, ctx, township_key="township_code")
            if county is None or not check_county_scope(row, ctx, county):
                continue
            code = row.values.get("code")
            if code and not duplicate_in_file(seen, (county.pk, code), row, "code", "编号", "The code"):
                if model is not None and model.objects.filter(region=county, code=code).exists():
                    row.error(
                        "code",
                        f"本区(市)县已有编号 {code}",
                        f"Code {code} already exists in this county",
                        "duplicate",
                    )
            ready.append((row, county))
        return ready

    def _check_roads(self, ready: list[tuple[ParsedRow, Any]]) -> None:
        """Every row's point must be within reach of its county's current road network."""
        by_county: dict[int, list[ParsedRow]] = {}
        counties = {}
        for row, county in ready:
            if row.values.get("lon") is not None and row.values.get("lat") is not None:
                by_county.setdefault(county.pk, []).append(row)
                counties[county.pk] = county
        for pk, rows in by_county.items():
            network = selectors.network_current(counties[pk])
            if network is None:
                for row in rows:
                    row.error("county_code", f"{counties[pk].name_zh}尚无路网,请先导入道路",
                              f"{counties[pk].name_en or counties[pk].name_zh} has no road network yet: import roads first",
                              "no_network")  # fmt: skip
                continue
            graph = travel.graph_of(network, {})
            node, km = travel.snap(graph, [r.values["lon"] for r in rows], [r.values["lat"] for r in rows])
            for row, n, d in zip(rows, node, km, strict=True):
                if n < 0:
                    dist = "∞" if not np.isfinite(d) else f"{d:.1f}"
                    name = row.values.get("name") or ""
                    row.error("lon", f"{self.place_zh}“{name}”距最近道路 {dist} 公里,不在路网上(限 {travel.MAX_SNAP_KM:g} 公里)",
                              f"{self.place_en} '{name}' is {dist} km from the nearest road: not on the road network "
                              f"(limit {travel.MAX_SNAP_KM:g} km)", "no_road",
                              value=f"{row.values['lon']},{row.values['lat']}")  # fmt: skip


class HospitalSpec(_EmsSpec):
    key = "ems_hospitals"
    title_zh = "急救接收医院"
    title_en = "EMS receiving hospitals"
    place_zh, place_en = "医院", "Hospital"
    columns = (
        COUNTY, CODE_COL, NAME,
        Column("level", "医院等级", "Level", CHOICE, required=True, aliases=("等级",), choices=LEVELS),
        Column("has_emergency_department", "急诊科", "Emergency department", BOOL, aliases=("有急诊科",)),
        Column("is_receiving", "接收急救病人", "Receiving", BOOL, aliases=("接收",)),
        Column("credit_code", "统一社会信用代码", "Credit code", CODE, aliases=("信用代码",)),
        LON, LAT,
    )  # fmt: skip

    def prepare(self, rows, ctx) -> None:
        ready = self._common(rows, ctx, Hospital)
        codes = {r.values.get("credit_code") for r, _ in ready if r.values.get("credit_code")}
        orgs = {o.credit_code: o for o in Organisation.objects.filter(credit_code__in=codes)}
        for row, county in ready:
            code = row.values.get("credit_code")
            org = orgs.get(code) if code else None
            if code and (org is None or org.region_id != county.pk):
                row.error(
                    "credit_code",
                    "本区(市)县没有这个信用代码的机构",
                    "No organisation with this credit code in the county",
                    "unknown",
                )
            row.data = {"region": county, "organisation": org, **{k: row.values.get(k) for k in ("code", "name", "level", "lon", "lat")},
                        "has_emergency_department": row.values.get("has_emergency_department") is not False,
                        "is_receiving": row.values.get("is_receiving") is not False}  # fmt: skip
        self._check_roads(ready)

    def write(self, row, ctx):
        return services.hospital_create(actor=ctx.actor, data=row.data)


class DemandPointSpec(_EmsSpec):
    key = "ems_demand_points"
    title_zh = "急救需求点"
    title_en = "EMS demand points"
    place_zh, place_en = "需求点", "Demand point"
    columns = (
        COUNTY,
        Column("township_code", "乡镇代码", "Township code", CODE, aliases=("乡镇(街道)代码", "township")),
        CODE_COL, NAME,
        Column("kind", "类型", "Kind", CHOICE, aliases=("需求点类型",), choices=KINDS),
        Column("population", "人口", "Population", INT, required=True, aliases=("常住人口",), min_value=0, max_value=10_000_000),
        Column("call_rate", "千人年急救量", "Dispatches per 1,000 a year", FLOAT, aliases=("call rate",), min_value=0, max_value=1000),
        LON, LAT, URBAN,
    )  # fmt: skip

    def prepare(self, rows, ctx) -> None:
        ready = self._common(rows, ctx, DemandPoint)
        for row, county in ready:
            _c, township = resolve_county(ParsedRow(row.number, dict(row.values), row.headers), ctx,
                                          township_key="township_code")  # fmt: skip
            row.data = {"region": county, "township": township, "kind": row.values.get("kind") or "township",
                        "urban": bool(row.values.get("urban")),
                        **{k: row.values.get(k) for k in ("code", "name", "population", "call_rate", "lon", "lat")}}  # fmt: skip
        self._check_roads(ready)

    def write(self, row, ctx):
        return services.demand_point_create(actor=ctx.actor, data=row.data)


class StationSpec(_EmsSpec):
    key = "ems_stations"
    title_zh = "急救站点"
    title_en = "EMS stations"
    place_zh, place_en = "站点", "Station"
    columns = (
        COUNTY,
        Column("scenario", "方案", "Scenario", TEXT, aliases=("方案名称",), max_length=80),
        CODE_COL, NAME, LON, LAT,
        Column("ambulances", "救护车数", "Ambulances", INT, required=True, aliases=("救护车",), min_value=0, max_value=100),
        Column("negative_pressure", "负压救护车数", "Negative-pressure ambulances", INT, aliases=("负压车",), min_value=0, max_value=100),
        Column("crews", "在岗班组", "Crews", INT, min_value=0, max_value=100),
        URBAN,
    )  # fmt: skip

    def prepare(self, rows, ctx) -> None:
        ready = self._common(rows, ctx, None)
        seen: dict[Any, int] = {}
        for row, county in ready:
            name = row.values.get("scenario")
            scenario = (Scenario.objects.filter(region=county, name=name).first() if name
                        else Scenario.objects.filter(region=county, is_baseline=True).first())  # fmt: skip
            if scenario is None:
                row.error(
                    "scenario",
                    f"本区(市)县没有方案“{name or '基线'}”",
                    f"No scenario '{name or 'baseline'}' in this county",
                    "unknown",
                )
                continue
            code = row.values.get("code")
            if not duplicate_in_file(seen, (scenario.pk, code), row, "code", "站点编号", "The station code"):
                if scenario.stations.filter(code=code).exists():
                    row.error(
                        "code",
                        f"方案中已有站点编号 {code}",
                        f"The scenario already has station code {code}",
                        "duplicate",
                    )
            ambulances = row.values.get("ambulances") or 0
            negative = row.values.get("negative_pressure") or 0
            if negative > ambulances:
                row.error("negative_pressure", "负压救护车数量不能多于救护车总数",
                          "There cannot be more negative-pressure ambulances than ambulances")  # fmt: skip
            row.data = {"scenario": scenario, "code": code, "name": row.values.get("name"), "lon": row.values.get("lon"),
                        "lat": row.values.get("lat"), "ambulances": ambulances, "negative_pressure": negative,
                        "crews": row.values.get("crews") if row.values.get("crews") is not None else max(1, ambulances),
                        "urban": bool(row.values.get("urban"))}  # fmt: skip
        self._check_roads(ready)

    def write(self, row, ctx):
        return services.station_add(actor=ctx.actor, audit_row=False, **row.data)


SPECS = (HospitalSpec(), DemandPointSpec(), StationSpec())
