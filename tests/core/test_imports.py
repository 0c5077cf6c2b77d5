"""Registry imports through the services: dry run, all-or-nothing commit, scope, duplicates, retries."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from countybridge.core.identifiers import make_credit_code, make_resident_id
from countybridge.core.imports import services as imports
from countybridge.core.imports.readers import ImportFileError
from countybridge.core.models import AuditEvent, ImportBatch, Organisation

pytestmark = pytest.mark.django_db

RARE_TOWN = "\u48ba江镇"  # 大邑 510129106


def code(n: int, county: str = "510185") -> str:
    return make_credit_code(f"12{county}MB{n:07d}")


def csv_bytes(rows, encoding="utf-8-sig") -> bytes:
    return "\n".join(",".join(str(c) for c in row) for row in rows).encode(encoding)


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


ORG_HEADER = [
    "名称",
    "类型",
    "统一社会信用代码",
    "区县代码",
    "乡镇代码",
    "医院等级",
    "医院等次",
    "床位数",
    "学段",
    "学位数",
]


def org_rows():
    return [
        ORG_HEADER,
        ["简阳市第二人民医院", "医院", code(1), "510185", "510185001", "二级", "甲", "420", "", ""],
        ["简阳市石桥小学", "学校", code(2), "510185", "510185007", "", "", "", "小学", "1350"],
        [
            f"大邑县{RARE_TOWN}卫生院",
            "基层医疗机构",
            code(3, "510129"),
            "510129",
            "510129106",
            "",
            "",
            "",
            "",
            "",
        ],
    ]


def with_column(rows, header, values):
    return [row + [value] for row, value in zip(rows, [header, *values], strict=True)]


def org_count():
    return Organisation.objects.count()


def test_gbk_csv_imports_organisations_with_one_audit_row(make_user):
    admin = make_user("city_admin")
    rows = with_column(org_rows(), "基层机构类型", ["", "", "乡镇卫生院"])
    content = csv_bytes([rows[0], rows[1], rows[2]], encoding="gbk")  # GBK: without 䢺, which GBK lacks
    report = imports.import_dry_run(
        actor=admin, registry="organisations", content=content, filename="机构.csv"
    )
    assert report.ok, [e.as_dict() for e in report.errors]
    assert report.encoding == "gb18030" and report.batch.status == ImportBatch.Status.VALID
    assert org_count() == 0  # a dry run writes nothing but its batch
    before = AuditEvent.objects.count()
    result = imports.import_commit(actor=admin, batch=report.batch)
    assert result.committed and result.created == 2
    hospital = Organisation.objects.get(credit_code=code(1))
    assert (hospital.name, hospital.hospital_level, hospital.beds, hospital.township.code) == (
        "简阳市第二人民医院",
        2,
        420,
        "510185001",
    )
    assert Organisation.objects.get(credit_code=code(2)).school_stages == ["primary"]
    events = AuditEvent.objects.order_by("id")[before:]
    assert [e.action for e in events] == ["import"]  # one row for the batch, none per organisation
    assert events[0].details["created"] == 2 and events[0].details["registry"] == "organisations"
    batch = ImportBatch.objects.get(pk=report.batch.pk)
    assert batch.status == "committed" and batch.content_encrypted == ""


def test_gb18030_keeps_rare_character_into_the_database(make_user):
    admin = make_user("city_admin")
    rows = with_column(org_rows(), "基层机构类型", ["", "", "乡镇卫生院"])
    report = imports.import_file(
        actor=admin,
        registry="organisations",
        content=csv_bytes(rows, "gb18030"),
        filename="x.csv",
        commit=True,
    )
    assert report.committed, [e.as_dict() for e in report.errors]
    org = Organisation.objects.get(credit_code=code(3, "510129"))
    assert org.name == f"大邑县{RARE_TOWN}卫生院" and org.township.name_zh == RARE_TOWN


@pytest.mark.parametrize(
    "row_index, column, bad, code_expected",
    [
        (2, 2, "91510185MA0000000X", "uscc_checksum"),
        (1, 3, "519999", "unknown_region"),
        (2, 4, "510129106", "township"),  # a 大邑 township in a 简阳 row
        (1, 5, "四级", "choice"),
        (1, 7, "四百", "type"),
    ],
)
def test_one_bad_row_changes_nothing_and_is_reported_bilingually(
    make_user, row_index, column, bad, code_expected
):
    admin = make_user("city_admin")
    rows = with_column(org_rows(), "基层机构类型", ["", "", "乡镇卫生院"])
    rows[row_index][column] = bad
    before = AuditEvent.objects.count()
    report = imports.import_file(
        actor=admin, registry="organisations", content=csv_bytes(rows, "gb18030"), commit=True
    )
    assert not report.committed and org_count() == 0 and AuditEvent.objects.count() == before
    assert len(report.errors) == 1, [e.as_dict() for e in report.errors]
    error = report.errors[0]
    assert error.row == row_index + 1  # the header is row 1
    assert error.column == ORG_HEADER[column] and error.value == bad and error.code == code_expected
    assert error.message_zh != error.message_en and error.message_zh and error.message_en


def test_duplicates_in_file_and_against_database(make_user, make_org):
    admin = make_user("city_admin")
    make_org("510185", "hospital", name="简阳市中医医院", credit_code=code(9))
    rows = [
        ORG_HEADER,
        ["甲医院", "医院", code(1), "510185", "", "二级", "", "", "", ""],
        ["乙医院", "医院", code(1), "510185", "", "二级", "", "", "", ""],
        ["甲医院", "医院", code(2), "510185", "", "二级", "", "", "", ""],
        ["简阳市中医医院", "医院", code(3), "510185", "", "二级", "", "", "", ""],
        ["丙医院", "医院", code(9), "510185", "", "二级", "", "", "", ""],
    ]
    report = imports.import_file(actor=admin, registry="organisations", content=csv_bytes(rows), commit=True)
    found = {(e.row, e.field, e.code) for e in report.errors}
    assert found == {
        (3, "credit_code", "duplicate_in_file"),
        (4, "name", "duplicate_in_file"),
        (5, "name", "duplicate"),
        (6, "credit_code", "duplicate"),
    }
    assert "第 2 行" in next(e.message_zh for e in report.errors if e.row == 3)
    assert org_count() == 1


def test_missing_required_column_is_a_header_error(make_user):
    report = imports.import_dry_run(
        actor=make_user("city_admin"),
        registry="organisations",
        content=csv_bytes([["名称", "区县代码"], ["甲", "510185"]]),
    )
    assert [(e.row, e.field, e.code) for e in report.errors] == [(1, "kind", "missing_column")]
    assert report.batch.status == "invalid" and report.batch.content_encrypted == ""


def test_unrecognised_headers_hint_at_encoding(make_user):
    content = "名稱,類型\n甲,醫院\n".encode("big5")  # neither UTF-8 nor GBK: headers cannot be recognised
    report = imports.import_dry_run(actor=make_user("city_admin"), registry="organisations", content=content)
    assert [e.code for e in report.errors] == ["no_known_columns"]
    assert "编码" in report.errors[0].message_zh and "encoding" in report.errors[0].message_en


def test_broken_xlsx_is_a_clear_error_and_no_batch(make_user):
    admin = make_user("city_admin")
    with pytest.raises(ImportFileError) as exc:
        imports.import_dry_run(
            actor=admin, registry="organisations", content=b"PK\x03\x04garbage", filename="a.xlsx"
        )
    assert exc.value.message_zh and exc.value.message_en
    assert ImportBatch.objects.count() == 0


def test_county_officer_cannot_import_another_countys_rows(make_user):
    officer = make_user("county_officer", county="510185")
    rows = with_column(org_rows(), "基层机构类型", ["", "", "乡镇卫生院"])
    report = imports.import_file(
        actor=officer, registry="organisations", content=csv_bytes(rows), commit=True
    )
    assert not report.committed and org_count() == 0
    assert [(e.row, e.field, e.code) for e in report.errors] == [(4, "county_code", "scope")]
    assert "简阳" in report.errors[0].message_zh and "Jianyang" in report.errors[0].message_en
    own = imports.import_file(
        actor=officer, registry="organisations", content=csv_bytes(rows[:3]), commit=True
    )
    assert own.committed and org_count() == 2
    assert ImportBatch.objects.get(pk=own.batch.pk).region.code == "510185"


@pytest.mark.parametrize("role", ["auditor", "public", "institution_staff"])
def test_roles_without_import_rights_are_refused(make_user, make_org, role):
    extra = {"organisation": make_org("510185")} if role == "institution_staff" else {}
    user = make_user(role, **extra)
    with pytest.raises(PermissionDenied):
        imports.import_dry_run(actor=user, registry="organisations", content=csv_bytes(org_rows()))
    if role != "institution_staff":
        with pytest.raises(PermissionDenied):
            imports.import_dry_run(actor=user, registry="people", content=b"x")
    assert ImportBatch.objects.count() == 0


def test_commit_twice_does_not_duplicate(make_user):
    admin = make_user("city_admin")
    report = imports.import_dry_run(actor=admin, registry="organisations", content=csv_bytes(org_rows()[:3]))
    first = imports.import_commit(actor=admin, batch=report.batch)
    second = imports.import_commit(actor=admin, batch=report.batch)
    assert first.committed and second.already_committed and org_count() == 2
    again = imports.import_file(
        actor=admin, registry="organisations", content=csv_bytes(org_rows()[:3]), commit=True
    )
    assert again.already_committed and again.batch.pk == report.batch.pk and org_count() == 2
    assert AuditEvent.objects.filter(action="import", object_type="core.ImportBatch").count() == 1


def test_commit_revalidates_and_rolls_back_when_the_registry_changed(make_user, make_org):
    admin = make_user("city_admin")
    report = imports.import_dry_run(actor=admin, registry="organisations", content=csv_bytes(org_rows()[:3]))
    make_org("510185", "school", name="别的学校", credit_code=code(2))  # registered meanwhile
    result = imports.import_commit(actor=admin, batch=report.batch)
    assert not result.committed and org_count() == 1
    assert [(e.row, e.code) for e in result.errors] == [(3, "duplicate")]
    assert ImportBatch.objects.get(pk=report.batch.pk).status == "invalid"
    with pytest.raises(ImportFileError):
        imports.import_commit(actor=admin, batch=ImportBatch.objects.get(pk=report.batch.pk))


def test_a_failure_while_writing_rolls_everything_back(make_user, monkeypatch):
    admin = make_user("city_admin")
    spec = imports.SPECS["organisations"]
    original = spec.write

    def write(row, ctx):
        if row.number == 3:
            raise PermissionDenied("simulated refusal")
        return original(row, ctx)

    monkeypatch.setattr(spec, "write", write)
    report = imports.import_file(
        actor=admin, registry="organisations", content=csv_bytes(org_rows()[:3]), commit=True
    )
    assert not report.committed and report.errors[0].row == 3 and report.errors[0].code == "refused"
    assert (
        org_count() == 0
        and not AuditEvent.objects.filter(action="import", object_type="core.ImportBatch").exists()
    )


def test_only_the_uploader_may_commit_a_batch(make_user):
    report = imports.import_dry_run(
        actor=make_user("city_admin"), registry="organisations", content=csv_bytes(org_rows()[:2])
    )
    with pytest.raises(PermissionDenied):
        imports.import_commit(actor=make_user("city_admin"), batch=report.batch)
    assert org_count() == 0


def test_parent_may_come_from_an_earlier_row(make_user):
    admin = make_user("city_admin")
    rows = [
        ["名称", "类型", "统一社会信用代码", "区县代码", "上级机构信用代码", "医院等级", "基层机构类型"],
        ["简阳市人民医院", "医院", code(1), "510185", "", "3", ""],
        ["石桥卫生院", "基层医疗机构", code(2), "510185", code(1), "", "乡镇卫生院"],
        ["坏的卫生院", "基层医疗机构", code(3), "510185", code(7), "", "乡镇卫生院"],
    ]
    report = imports.import_dry_run(actor=admin, registry="organisations", content=csv_bytes(rows))
    assert [(e.row, e.code) for e in report.errors] == [(4, "unknown_parent")]
    report = imports.import_file(
        actor=admin, registry="organisations", content=csv_bytes(rows[:3]), commit=True
    )
    assert report.committed
    assert Organisation.objects.get(credit_code=code(2)).parent.credit_code == code(1)


# ---------------------------------------------------------------- people

PEOPLE_HEADER = ["证件类型", "证件号码", "姓名", "性别", "出生日期", "区县代码", "乡镇代码"]


def rid(address="510185", day=0, order=11) -> str:
    return make_resident_id(address, dt.date(1985, 3, 1) + dt.timedelta(days=day), order)


# ---------------------------------------------------------------- parallel commits (BRIEF § 10)


@pytest.mark.django_db(transaction=True)
def test_parallel_commits_write_the_rows_once():
    import threading

    from django.db import connection, connections

    from countybridge.core.models import Region, User
    from countybridge.core.services import regions_load

    if connection.vendor != "postgresql":
        pytest.skip("parallel writers need PostgreSQL (SQLite serialises them)")
    if not Region.objects.filter(code="510185").exists():  # an earlier transactional test flushed the regions
        regions_load()
    admin = User.objects.create_user(username="parallel-importer", password="x" * 12, role="city_admin")
    content = csv_bytes(org_rows()[:3])
    batch = imports.import_dry_run(actor=admin, registry="organisations", content=content).batch
    barrier, outcomes = threading.Barrier(6), []

    def commit(same_batch: bool):
        try:
            barrier.wait()
            if same_batch:
                report = imports.import_commit(actor=admin, batch=batch)
            else:
                report = imports.import_file(
                    actor=admin, registry="organisations", content=content, commit=True
                )
            outcomes.append("created" if report.committed and not report.already_committed else "not_again")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=commit, args=(i % 2 == 0,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["created"] + ["not_again"] * 5
    assert Organisation.objects.count() == 2
    assert AuditEvent.objects.filter(action="import", object_type="core.ImportBatch").count() == 1
