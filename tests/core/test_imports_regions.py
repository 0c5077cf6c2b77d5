"""Region descriptive fields can be imported by a city administrator; codes must exist; all or nothing."""

import pytest
from django.core.exceptions import PermissionDenied

from countybridge.core.imports.services import import_commit, import_dry_run
from countybridge.core.models import AuditEvent, Region

pytestmark = pytest.mark.django_db

GOOD = "区划代码,英文名称,经度,纬度,地形\n510129106,Qiaojiang Town,103.30,30.62,mountain\n510185,Jianyang City,104.55,30.41,hilly\n".encode()


def test_city_admin_imports_region_descriptions(make_user):
    admin = make_user("city_admin")
    report = import_dry_run(actor=admin, registry="regions", content=GOOD, filename="regions.csv")
    assert report.ok, report.errors
    result = import_commit(actor=admin, batch=report.batch)
    assert result.committed
    township = Region.objects.get(code="510129106")
    assert township.name_en == "Qiaojiang Town" and township.lon == pytest.approx(103.30)
    assert township.name_zh == "\u48ba江镇"  # the Chinese name is not importable and stays intact
    assert AuditEvent.objects.filter(action="import").exists()


def test_unknown_code_or_bad_coordinate_changes_nothing(make_user):
    admin = make_user("city_admin")
    content = "区划代码,英文名称,经度\n510185,Changed,104.5\n999999,Nowhere,104\n510181,Bad,150\n".encode(
        "gb18030"
    )
    report = import_dry_run(actor=admin, registry="regions", content=content, filename="regions.csv")
    assert not report.ok
    by_row = {(e.row, e.field): e for e in report.errors}
    assert (3, "code") in by_row and "未知" in by_row[(3, "code")].message_zh
    assert (4, "lon") in by_row and "Sichuan" in by_row[(4, "lon")].message_en
    assert Region.objects.get(code="510185").name_en == "Jianyang City"


@pytest.mark.parametrize("role", ["county_officer", "department_officer", "auditor", "public"])
def test_only_city_admin_may_import_regions(make_user, role):
    user = make_user(role, county="510185" if role == "county_officer" else None)
    with pytest.raises(PermissionDenied):
        import_dry_run(actor=user, registry="regions", content=GOOD, filename="regions.csv")
