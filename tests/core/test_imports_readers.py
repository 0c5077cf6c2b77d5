"""Pure readers and typed cell parsing: no database."""

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook

from countybridge.core.imports.columns import (
    ID_NUMBER,
    INT,
    LIST,
    CellError,
    Column,
    map_headers,
    normalise_header,
    parse_cell,
    parse_rows,
)
from countybridge.core.imports.organisations import COLUMNS as ORG_COLUMNS
from countybridge.core.imports.organisations import SCHOOL_STAGES
from countybridge.core.imports.readers import ImportFileError, decode_text, read_table

RARE = "\u48ba江镇卫生院"  # 䢺 needs GB18030: plain GBK has no code for it


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_csv_encodings_decode_to_the_same_text(encoding):
    text = "名称,类型,区县代码\n简阳市人民医院,医院,510185\n"
    table = read_table(text.encode(encoding), "orgs.csv")
    assert table.headers == ["名称", "类型", "区县代码"]
    assert table.rows == [(2, ["简阳市人民医院", "医院", "510185"])]


def test_gb18030_keeps_rare_character():
    with pytest.raises(UnicodeEncodeError):
        RARE.encode("gbk")
    table = read_table(f"名称\n{RARE}\n".encode("gb18030"), "x.csv")
    assert table.rows[0][1] == [RARE]
    assert table.encoding == "gb18030"


def test_utf8_is_preferred_and_bom_removed():
    text, encoding = decode_text("\ufeff名称\n".encode("utf-8"))
    assert encoding == "utf-8" and text.lstrip("\ufeff") == "名称\n"
    table = read_table("\ufeff名称\n甲\n".encode("utf-8"))
    assert table.headers == ["名称"]


def test_semicolon_and_tab_delimiters_and_blank_rows_keep_numbers():
    table = read_table("名称;类型\n\n甲;医院\n".encode())
    assert table.rows == [(3, ["甲", "医院"])]
    table = read_table("名称\t类型\n甲\t医院\n".encode())
    assert table.rows == [(2, ["甲", "医院"])]


def test_xlsx_reads_typed_cells_and_row_numbers():
    data = xlsx_bytes(
        [["名称", "床位数", "区县代码"], [RARE, 120, 510129], [None, None, None], ["乙", 3.0, "510185"]]
    )
    table = read_table(data, "orgs.xlsx")
    assert table.file_format == "xlsx"
    assert table.rows[0] == (2, [RARE, 120, 510129])
    assert table.rows[1][0] == 4  # the blank row 3 is skipped but numbering follows the sheet


@pytest.mark.parametrize(
    "content, filename, code",
    [
        (b"", "x.csv", "empty_file"),
        (b"PK\x03\x04 this is not really a zip", "x.xlsx", "xlsx_broken"),
        (b"plain text pretending", "x.xlsx", "xlsx_broken"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "x.xls", "xls_not_supported"),
        ("名称\n".encode(), "x.csv", "no_rows"),
        (b"\x00\x01\x02\x03binary\x00", "x.csv", "unknown_encoding"),
    ],
)
def test_unreadable_files_give_bilingual_errors(content, filename, code):
    with pytest.raises(ImportFileError) as exc:
        read_table(content, filename)
    assert exc.value.code == code
    assert exc.value.message_zh and exc.value.message_en
    assert any("\u4e00" <= ch <= "\u9fff" for ch in exc.value.message_zh)


def test_truncated_xlsx_is_a_clear_error():
    good = xlsx_bytes([["名称"], ["甲"]])
    with pytest.raises(ImportFileError) as exc:
        read_table(good[: len(good) // 2], "cut.xlsx")
    assert exc.value.code == "xlsx_broken"


def test_zip_without_workbook_parts_is_a_clear_error():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(ImportFileError) as exc:
        read_table(buffer.getvalue(), "fake.xlsx")
    assert exc.value.code == "xlsx_broken"


def test_header_aliases_chinese_english_and_notes():
    assert normalise_header(" 名称(必填) ") == normalise_header("名称")
    assert normalise_header("Credit_Code") == normalise_header("credit code") == "creditcode"
    mapping = map_headers(ORG_COLUMNS, ["Name", "类型", "统一社会信用代码", "区(市)县代码", "备注"], 1)
    assert set(mapping.index) == {"name", "kind", "credit_code", "county_code"}
    assert mapping.ignored == ["备注"] and not mapping.errors


def test_missing_and_duplicate_columns_are_header_errors():
    mapping = map_headers(ORG_COLUMNS, ["名称", "name"], 1)
    codes = sorted(e.code for e in mapping.errors)
    assert codes == ["duplicate_column", "missing_column"]  # kind is required and absent
    assert all(e.row == 1 and e.message_zh and e.message_en for e in mapping.errors)


def test_numbers_are_typed_not_text():
    beds = Column("beds", "床位数", "Beds", INT, min_value=0)
    assert parse_cell(beds, "12") == 12 and parse_cell(beds, 12.0) == 12 and parse_cell(beds, "1,200") == 1200
    assert parse_cell(beds, "１２") == 12  # full-width digits from Chinese input methods
    assert parse_cell(beds, "12") > parse_cell(beds, "2")  # "12" < "2" as text; not here
    for bad in ("12.5", "twelve", "-1", True):
        with pytest.raises(CellError):
            parse_cell(beds, bad)


def test_lists_map_chinese_labels():
    stages = Column("school_stages", "学段", "Stages", LIST, choices=SCHOOL_STAGES)
    assert parse_cell(stages, "小学、初中") == ["primary", "junior"]
    with pytest.raises(CellError):
        parse_cell(stages, "小学、大学")


def test_id_numbers_stored_as_excel_numbers_are_refused_and_masked():
    column = Column("id_number", "证件号码", "Number", ID_NUMBER, sensitive=True)
    with pytest.raises(CellError) as exc:
        parse_cell(column, 5.10185198001011e17)
    assert exc.value.code == "id_as_number"
    with pytest.raises(CellError):
        parse_cell(column, "5.10185E+17")
    mapping = map_headers((column,), ["证件号码"], 1)
    rows = parse_rows((column,), mapping, [(2, ["5.101851980010112E+17"])])
    assert rows[0].errors[0].value == "5.1018***********E+17"  # shown masked even when malformed
    assert parse_cell(column, " 51018519800101123x ") == "51018519800101123X"
    assert parse_cell(column, 123456789) == "123456789"  # a short numeric passport number is intact
    with pytest.raises(CellError):
        parse_cell(column, 510185198001011234)  # 18 digits: Excel would have rounded it


def test_dates_in_common_spellings():
    from countybridge.core.imports.columns import DATE

    column = Column("birth_date", "出生日期", "Birth date", DATE)
    for raw in ("2001-02-03", "2001/2/3", "2001年2月3日", "20010203", dt.datetime(2001, 2, 3, 0, 0)):
        assert parse_cell(column, raw) == dt.date(2001, 2, 3)
    with pytest.raises(CellError):
        parse_cell(column, "2001-02-30")
