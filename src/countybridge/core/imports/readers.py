"""Reading uploaded tables (CSV in UTF-8 / UTF-8 with BOM / UTF-16 / GBK / GB18030, and .xlsx) into rows.

Pure: no Django imports. Every failure is an `ImportFileError` with a Chinese and an English message, never
a traceback, because the person uploading the file has to be able to fix it.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_DATA_ROWS = 50_000
MAX_COLUMNS = 200
# an .xlsx is a zip: refuse archives that inflate far beyond any real registry sheet (zip bombs)
MAX_XLSX_INFLATED_BYTES = 400 * 1024 * 1024

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97–2003) and password-protected workbooks


class ImportFileError(ValueError):
    """A file that cannot be read as a table; says why in Chinese and in English."""

    def __init__(self, code: str, message_zh: str, message_en: str):
        super().__init__(f"{message_zh} / {message_en}")
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en


@dataclass
class Table:
    """A header row and the data rows below it; row numbers are as the spreadsheet shows them."""

    headers: list[str]
    header_row: int
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    file_format: str = "csv"
    encoding: str | None = None


def read_table(content: bytes, filename: str = "") -> Table:
    """Read CSV or .xlsx bytes; the format is decided by the file's bytes first, then its name."""
    if not content:
        raise ImportFileError("empty_file", "文件为空", "The file is empty")
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(
            "file_too_large",
            f"文件超过 {MAX_FILE_BYTES // (1024 * 1024)} MB 上限,请拆分后分批导入",
            f"The file exceeds the {MAX_FILE_BYTES // (1024 * 1024)} MB limit; split it into smaller files",
        )
    name = (filename or "").lower()
    if content.startswith(OLE_MAGIC):
        raise ImportFileError(
            "xls_not_supported",
            "不支持旧版 .xls 或加密的工作簿,请另存为 .xlsx 或 CSV(UTF-8)",
            "Old .xls or password-protected workbooks are not supported; save as .xlsx or CSV (UTF-8)",
        )
    if content.startswith(XLSX_MAGIC):
        return _read_xlsx(content)
    if name.endswith((".xlsx", ".xlsm")):
        raise ImportFileError(
            "xlsx_broken",
            "该 .xlsx 文件已损坏或不是 Excel 工作簿",
            "This .xlsx file is damaged or not an Excel workbook",
        )
    if name.endswith(".xls"):
        raise ImportFileError(
            "xls_not_supported",
            "不支持旧版 .xls,请另存为 .xlsx 或 CSV(UTF-8)",
            "Old .xls files are not supported; save as .xlsx or CSV (UTF-8)",
        )
    return _read_csv(content)


def decode_text(content: bytes) -> tuple[str, str]:
    """Decode CSV bytes; returns (text, encoding).

    UTF-8 is tried first because GBK bytes are almost never valid UTF-8, so a strict UTF-8 success is
    reliable. GB18030 rather than GBK is the fallback: it is a superset of GBK and also encodes rare
    characters such as 䢺 (U+48BA, in 大邑's 䢺江镇) that plain GBK cannot.
    """
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text, "utf-8" if encoding == "utf-8-sig" else encoding
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(content).best()
    except Exception:  # the detector is a last resort; its failure is the same as no answer
        best = None
    if best is not None and _looks_like_text(str(best)):
        return str(best), best.encoding
    raise ImportFileError(
        "unknown_encoding",
        "无法识别文件编码,请另存为 CSV(UTF-8)或 Excel(.xlsx)",
        "Cannot determine the file's text encoding; save it as CSV (UTF-8) or Excel (.xlsx)",
    )


def _looks_like_text(text: str) -> bool:
    """Binary data decodes 'successfully' more often than one would like; control characters give it away."""
    sample = text[:20000]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\r\n") or ch == "\ufffd")
    return bad == 0


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", "\t", ";", "，")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(content: bytes) -> Table:
    text, encoding = decode_text(content)
    text = text.lstrip("\ufeff")
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    if not first_line:
        raise ImportFileError("empty_file", "文件中没有数据", "The file contains no data")
    delimiter = _sniff_delimiter(first_line)
    records: list[tuple[int, list[Any]]] = []
    try:
        # record numbers, not physical lines: a quoted cell with a line break is still one spreadsheet row
        for number, record in enumerate(
            csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1
        ):
            records.append((number, record))
            if len(records) > MAX_DATA_ROWS + 50:
                break
    except csv.Error as exc:
        raise ImportFileError(
            "csv_malformed",
            f"CSV 格式错误(第 {len(records) + 1} 行附近):{exc}",
            f"The CSV file is malformed (near row {len(records) + 1}): {exc}",
        ) from None
    return _table_from_records(records, "csv", encoding)


def _read_xlsx(content: bytes) -> Table:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportFileError(
            "xlsx_broken", "该 .xlsx 文件已损坏,无法打开", "This .xlsx file is damaged and cannot be opened"
        ) from None
    if inflated > MAX_XLSX_INFLATED_BYTES:
        raise ImportFileError("file_too_large", "工作簿解压后过大", "The workbook is too large when unpacked")
    try:
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (KeyError, BadZipFile, XML errors) for damaged files
        raise ImportFileError(
            "xlsx_broken",
            "该 .xlsx 文件已损坏或不是 Excel 工作簿,无法读取",
            "This .xlsx file is damaged or not an Excel workbook and cannot be read",
        ) from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise ImportFileError("empty_file", "工作簿中没有工作表", "The workbook has no worksheet")
        records: list[tuple[int, list[Any]]] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            records.append((number, list(values[: MAX_COLUMNS + 1])))
            if len(records) > MAX_DATA_ROWS + 50:
                break
    except ImportFileError:
        raise
    except Exception:
        raise ImportFileError(
            "xlsx_broken",
            "读取工作表时出错,文件可能已损坏",
            "The worksheet could not be read; the file may be damaged",
        ) from None
    finally:
        workbook.close()
    return _table_from_records(records, "xlsx", None)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _table_from_records(
    records: list[tuple[int, list[Any]]], file_format: str, encoding: str | None
) -> Table:
    """The first non-blank row is the header; blank rows below are skipped but keep their numbers."""
    non_blank = [(n, r) for n, r in records if any(not _blank(v) for v in r)]
    if not non_blank:
        raise ImportFileError("empty_file", "文件中没有数据", "The file contains no data")
    header_number, header_cells = non_blank[0]
    while header_cells and _blank(header_cells[-1]):
        header_cells = header_cells[:-1]
    if len(header_cells) > MAX_COLUMNS:
        raise ImportFileError(
            "too_many_columns", f"列数超过 {MAX_COLUMNS}", f"More than {MAX_COLUMNS} columns"
        )
    headers = ["" if v is None else str(v).strip() for v in header_cells]
    rows = [(n, r) for n, r in non_blank[1:]]
    if not rows:
        raise ImportFileError(
            "no_rows", "文件只有表头,没有数据行", "The file has a header row but no data rows"
        )
    if len(rows) > MAX_DATA_ROWS:
        raise ImportFileError(
            "too_many_rows",
            f"数据行超过 {MAX_DATA_ROWS} 行,请拆分后分批导入",
            f"More than {MAX_DATA_ROWS} data rows; split the file",
        )
    return Table(
        headers=headers, header_row=header_number, rows=rows, file_format=file_format, encoding=encoding
    )
