"""EMS registry imports through core.imports: all-or-nothing, row-level bilingual errors naming the place
(no road, non-numeric population, other county), then a clean file imports with one audit row."""

import pytest
from django.core.exceptions import PermissionDenied

from countybridge.core.imports import services as imports
from countybridge.core.models import AuditEvent
from countybridge.ems import analysis
from countybridge.ems.models import DemandPoint, Hospital, Station

from .conftest import DAYI, JIANYANG


def csv_bytes(rows) -> bytes:
    return "\n".join(",".join(str(c) for c in r) for r in rows).encode("utf-8")


DEMAND_HEADER = ["区县代码", "编号", "名称", "人口", "经度", "纬度"]


def test_demand_points_no_road_and_bad_number_named_nothing_saved(dayi, dayi_officer):
    rows = [
        DEMAND_HEADER,
        [DAYI, "N1", "丁村", 500, 103.52, 30.50],
        [DAYI, "N2", "深山村", 200, 103.90, 30.90],  # ~55 km from the roads
        [DAYI, "N3", "戊村", "很多", 103.55, 30.50],
    ]
    report = imports.import_file(
        actor=dayi_officer, registry="ems_demand_points", content=csv_bytes(rows), commit=True
    )
    assert not report.committed and DemandPoint.objects.count() == 3
    by_row = {e.row: e for e in report.errors}
    assert set(by_row) == {3, 4}
    assert (
        by_row[3].code == "no_road" and "深山村" in by_row[3].message_zh and "深山村" in by_row[3].message_en
    )
    assert by_row[4].field == "population"
    assert by_row[4].message_zh and by_row[4].message_en


def test_other_county_rows_are_refused_for_a_county_officer(dayi, jianyang, dayi_officer):
    rows = [DEMAND_HEADER, [JIANYANG, "N1", "简阳村", 100, 104.42, 30.50]]
    report = imports.import_file(
        actor=dayi_officer, registry="ems_demand_points", content=csv_bytes(rows), commit=True
    )
    assert not report.committed and report.errors[0].code == "scope"


def test_clean_files_import_with_one_audit_row_each(dayi, dayi_officer):
    rows = [DEMAND_HEADER, [DAYI, "N1", "丁村", 500, 103.55, 30.501]]
    report = imports.import_file(
        actor=dayi_officer, registry="ems_demand_points", content=csv_bytes(rows), commit=True
    )
    assert report.committed, [e.as_dict() for e in report.errors]
    hospitals = [
        ["区县代码", "编号", "名称", "医院等级", "经度", "纬度"],
        [DAYI, "H2", "县中医医院", "三级", 103.6, 30.5],
    ]
    assert imports.import_file(
        actor=dayi_officer, registry="ems_hospitals", content=csv_bytes(hospitals), commit=True
    ).committed
    stations = [
        ["区县代码", "方案", "编号", "名称", "经度", "纬度", "救护车数", "负压救护车数"],
        [DAYI, "基线", "S02", "丙镇站", 103.6, 30.5, 2, 3],  # more negative-pressure than ambulances
    ]
    bad = imports.import_file(
        actor=dayi_officer, registry="ems_stations", content=csv_bytes(stations), commit=True
    )
    assert not bad.committed and bad.errors[0].field == "negative_pressure"
    stations[1][-1] = 1
    good = imports.import_file(
        actor=dayi_officer, registry="ems_stations", content=csv_bytes(stations), commit=True
    )
    assert good.committed, [e.as_dict() for e in good.errors]
    assert Station.objects.filter(scenario=dayi).count() == 2 and Hospital.objects.count() == 2
    assert AuditEvent.objects.filter(action="import", object_type="core.ImportBatch").count() == 3
    assert analysis.analyse(dayi)["coverage"]["within"]["15"] == 1.0


def test_roles_outside_ems_cannot_import(dayi, make_user):
    with pytest.raises(PermissionDenied):
        imports.import_file(actor=make_user("department_officer", domain="education"), registry="ems_hospitals",
                            content=b"x", commit=True)  # fmt: skip
