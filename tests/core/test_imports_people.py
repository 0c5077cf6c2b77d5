"""People and pairings imports: encryption, masking, old codes, scope, duplicates by keyed hash."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from countybridge.core.imports import services as imports
from countybridge.core.models import Pairing, Person

from .test_imports import PEOPLE_HEADER, RARE_TOWN, code, csv_bytes, rid, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_people_import_encrypts_masks_and_resolves_old_codes(make_user):
    admin = make_user("city_admin")
    rows = [
        PEOPLE_HEADER,
        ["居民身份证", rid(day=1), "王芳", "", "", "512081", ""],  # 简阳's 2000–2016 code
        ["身份证", rid("510129", 2, 12), "李\u48ba", "女", "", "510129", "510129106"],
        ["护照", "E12345678", "Anna Müller", "女", "1990-05-06", "510185", ""],
    ]
    report = imports.import_file(
        actor=admin, registry="people", content=xlsx_bytes(rows), filename="p.xlsx", commit=True
    )
    assert report.committed, [e.as_dict() for e in report.errors]
    wang = Person.objects.get(name="王芳")
    assert (
        wang.region.code == "510185"
        and wang.id_number_masked.startswith("510185")
        and "*" in wang.id_number_masked
    )
    assert rid(day=1) not in wang.id_number_encrypted
    assert Person.objects.get(name="李\u48ba").township.name_zh == RARE_TOWN
    assert Person.objects.get(id_type="passport").birth_date == dt.date(1990, 5, 6)


def test_people_errors_mask_numbers_and_nothing_is_saved(make_user, make_person):
    admin = make_user("city_admin")
    existing = make_person("510185", actor=admin)
    good = rid(day=3)
    bad_check = good[:-1] + ("0" if good[-1] != "0" else "1")
    rows = [
        PEOPLE_HEADER,
        ["居民身份证", good, "甲", "", "", "510185", ""],
        ["居民身份证", bad_check, "乙", "", "", "510185", ""],
        ["居民身份证", good, "丙", "", "", "510185", ""],
        ["居民身份证", rid(day=4, order=12), "丁", "男", "", "510185", ""],  # even order code: female
        ["护照", "E7654321", "戊", "", "", "510185", ""],
        ["居民身份证", rid(day=5), "己", "", "", "", ""],
    ]
    number = Person.objects.get(pk=existing.pk)
    before = Person.objects.count()
    report = imports.import_file(actor=admin, registry="people", content=csv_bytes(rows), commit=True)
    assert Person.objects.count() == before and not report.committed
    found = {(e.row, e.field, e.code) for e in report.errors}
    assert {
        (3, "id_number", "id_checksum"),
        (4, "id_number", "duplicate_in_file"),
        (5, "sex", "sex_mismatch"),
        (6, "sex", "required"),
        (6, "birth_date", "required"),
        (7, "county_code", "required"),
    } <= found
    shown = " ".join(e.value for e in report.errors)
    assert good not in shown and bad_check not in shown and "********" in shown
    assert number.id_number_masked  # the existing record is untouched


def test_people_duplicate_against_database_is_found_by_hash(make_user):
    admin = make_user("city_admin")
    rows = [PEOPLE_HEADER, ["居民身份证", rid(day=8), "甲", "", "", "510185", ""]]
    assert imports.import_file(actor=admin, registry="people", content=csv_bytes(rows), commit=True).committed
    rows.append(["居民身份证", rid(day=9), "乙", "", "", "510185", ""])
    report = imports.import_file(actor=admin, registry="people", content=csv_bytes(rows), commit=True)
    assert [(e.row, e.code) for e in report.errors] == [(2, "duplicate")]
    assert Person.objects.count() == 1


def test_county_officer_people_scope_and_institution_staff_own_institution(make_user, make_org):
    officer = make_user("county_officer", county="510129")
    rows = [PEOPLE_HEADER, ["居民身份证", rid(day=10), "甲", "", "", "510185", ""]]
    report = imports.import_file(actor=officer, registry="people", content=csv_bytes(rows), commit=True)
    assert [(e.row, e.code) for e in report.errors] == [(2, "scope")] and Person.objects.count() == 0
    clinic = make_org("510185", "primary_care", credit_code=code(5))
    other = make_org("510185", "hospital", credit_code=code(6))
    staff = make_user("institution_staff", organisation=clinic)
    rows = [
        PEOPLE_HEADER + ["登记机构信用代码"],
        ["居民身份证", rid(day=11), "乙", "", "", "510185", "", code(6)],
    ]
    report = imports.import_dry_run(actor=staff, registry="people", content=csv_bytes(rows))
    assert [(e.row, e.code) for e in report.errors] == [(2, "scope")]
    rows[1][-1] = ""
    assert imports.import_file(actor=staff, registry="people", content=csv_bytes(rows), commit=True).committed
    assert Person.objects.get(name="乙").organisation == clinic and other.pk


# ---------------------------------------------------------------- pairings


def test_pairings_import_for_city_admin_only(make_user):
    admin = make_user("city_admin")
    rows = [
        ["县市代码", "结对区代码", "状态", "说明"],
        ["510185", "510104", "示意", "演示结对"],
        ["510104", "510185", "示意", ""],  # 锦江区 is not a county city
        ["510185", "510108", "示意", ""],
    ]  # exists already (illustrative demo pairing)
    report = imports.import_dry_run(actor=admin, registry="pairings", content=csv_bytes(rows))
    assert {(e.row, e.code) for e in report.errors} == {(3, "not_county_city"), (4, "duplicate")}
    report = imports.import_file(actor=admin, registry="pairings", content=csv_bytes(rows[:2]), commit=True)
    assert (
        report.committed
        and Pairing.objects.filter(county_city__code="510185", district__code="510104").exists()
    )
    with pytest.raises(PermissionDenied):
        imports.import_dry_run(
            actor=make_user("county_officer", county="510185"), registry="pairings", content=csv_bytes(rows)
        )
    with pytest.raises(PermissionDenied):
        imports.import_dry_run(
            actor=make_user("department_officer", domain="health"),
            registry="pairings",
            content=csv_bytes(rows),
        )


@pytest.mark.parametrize(
    "role, extra",
    [
        ("city_admin", {}),
        ("department_officer", {"domain": "organisation"}),
        ("department_officer", {"domain": "health"}),
        ("county_officer", {"county": "510185"}),
        ("auditor", {}),
        ("public", {}),
    ],
)
def test_pairings_import_rights_match_the_pairings_pages(make_user, role, extra):
    from countybridge.core.access import can_edit_pairings

    user = make_user(role, **extra)
    try:
        imports.spec_for("pairings").check_role(user)
        allowed = True
    except PermissionDenied:
        allowed = False
    assert allowed == can_edit_pairings(user)
