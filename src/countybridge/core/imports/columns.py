"""Import columns: header aliases (Chinese or English) and typed cell parsing.

Pure: no Django imports. Values are parsed to their types here (an int is an int, never the text "12"), so
later checks compare numbers as numbers.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from ..identifiers import mask_id

TEXT, CODE, INT, FLOAT, BOOL, DATE, CHOICE, LIST, ID_NUMBER = (
    "text",
    "code",
    "int",
    "float",
    "bool",
    "date",
    "choice",
    "list",
    "id_number",
)


@dataclass(frozen=True)
class Column:
    """One importable column. `choices` maps accepted spellings (already normalised) to stored values."""

    key: str
    label_zh: str
    label_en: str
    kind: str = TEXT
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: dict[str, Any] | None = None
    max_length: int | None = None
    min_value: float | None = None
    max_value: float | None = None
    sensitive: bool = False  # values are masked wherever they are shown (ID numbers)

    def accepted_headers(self) -> set[str]:
        return {normalise_header(h) for h in (self.key, self.label_zh, self.label_en, *self.aliases)}


@dataclass
class RowError:
    """A problem in one cell (or one row, or the header when `row` is the header's row number)."""

    row: int
    column: str  # the header as written in the file, or the column's Chinese label when it is missing
    field: str
    value: str
    message_zh: str
    message_en: str
    code: str = "invalid"

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "field": self.field,
            "value": self.value,
            "code": self.code,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
        }


@dataclass
class ParsedRow:
    """One data row: typed values by column key, the header each came from, and (later) the service data."""

    number: int
    values: dict[str, Any]
    headers: dict[str, str]
    data: dict[str, Any] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    sensitive: frozenset[str] = frozenset()  # keys whose values are only ever shown masked

    def error(
        self,
        key: str,
        message_zh: str,
        message_en: str,
        code: str = "invalid",
        value: Any = None,
        sensitive: bool = False,
    ) -> None:
        shown = self.values.get(key) if value is None else value
        masked = sensitive or key in self.sensitive
        self.errors.append(
            RowError(
                self.number,
                self.headers.get(key, key),
                key,
                display_value(shown, masked),
                message_zh,
                message_en,
                code,
            )
        )


def normalise_header(text: Any) -> str:
    """名称(必填) / Name * / credit-code → comparable keys: NFKC, lower case, no notes, spaces or separators."""
    s = unicodedata.normalize("NFKC", str(text or "")).strip().lower().lstrip("\ufeff")
    s = re.sub(r"[(\[].*?[)\]]", "", s)  # notes in brackets: 名称(必填), beds (count)
    return re.sub(r"[\s_\-*:./]", "", s)


def normalise_choice(text: Any) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)).strip().lower())


def choice_map(options: dict[Any, tuple[str, ...]]) -> dict[str, Any]:
    """{stored value: (spellings…)} → {normalised spelling: stored value}; the value itself is a spelling too."""
    mapping: dict[str, Any] = {}
    for value, spellings in options.items():
        for spelling in (str(value), *spellings):
            mapping[normalise_choice(spelling)] = value
    return mapping


def display_value(value: Any, sensitive: bool = False) -> str:
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    if sensitive:
        return mask_id(text.strip().upper())
    return text if len(text) <= 80 else text[:77] + "…"


@dataclass
class HeaderMap:
    index: dict[str, int]  # column key → position in the row
    headers: dict[str, str]  # column key → header text as in the file
    errors: list[RowError]
    ignored: list[str]  # headers no column accepts (reported as a warning, e.g. a 备注 column)


def map_headers(columns: tuple[Column, ...], headers: list[str], header_row: int) -> HeaderMap:
    lookup: dict[str, Column] = {}
    for column in columns:
        for accepted in column.accepted_headers():
            lookup.setdefault(accepted, column)
    index: dict[str, int] = {}
    shown: dict[str, str] = {}
    errors: list[RowError] = []
    ignored: list[str] = []
    for position, header in enumerate(headers):
        column = lookup.get(normalise_header(header))
        if column is None:
            if header:
                ignored.append(header)
            continue
        if column.key in index:
            errors.append(
                RowError(
                    header_row,
                    header,
                    column.key,
                    header,
                    f"列“{column.label_zh}”出现了两次(另见“{shown[column.key]}”)",
                    f"Column '{column.label_en}' appears twice (see also '{shown[column.key]}')",
                    "duplicate_column",
                )
            )
            continue
        index[column.key] = position
        shown[column.key] = header
    for column in columns:
        if column.required and column.key not in index:
            errors.append(
                RowError(
                    header_row,
                    column.label_zh,
                    column.key,
                    "",
                    f"缺少必填列“{column.label_zh}”({column.key})",
                    f"Required column '{column.label_en}' ({column.key}) is missing",
                    "missing_column",
                )
            )
    return HeaderMap(index, shown, errors, ignored)


class CellError(ValueError):
    def __init__(self, message_zh: str, message_en: str, code: str = "invalid"):
        super().__init__(message_en)
        self.message_zh, self.message_en, self.code = message_zh, message_en, code


_TRUE = {"是", "有", "y", "yes", "true", "1", "√", "✓", "t"}
_FALSE = {"否", "无", "n", "no", "false", "0", "×", "x", "f"}
_LIST_SPLIT = re.compile(r"[,，、;；|/]+")
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?e\+?\d+$", re.IGNORECASE)


def _as_text(raw: Any) -> str:
    """Spreadsheet numbers that are really codes (510185, 510185.0) become their digits."""
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return unicodedata.normalize("NFC", str(raw)).strip()


def _as_number(raw: Any, column: Column) -> float:
    if isinstance(raw, bool):
        raise CellError("应为数字", "Must be a number", "type")
    if isinstance(raw, int | float):
        return float(raw)
    text = unicodedata.normalize("NFKC", str(raw)).strip().replace(",", "")
    try:
        return float(text)
    except ValueError:
        raise CellError(
            f"“{column.label_zh}”应为数字", f"'{column.label_en}' must be a number", "type"
        ) from None


def parse_cell(column: Column, raw: Any) -> Any:
    """A typed value, or None for an empty cell; raises CellError with both languages when invalid."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    kind = column.kind
    if kind == ID_NUMBER:
        # Excel keeps 15 significant digits: a short whole number is intact, an 18-digit one is not
        if isinstance(raw, int) and not isinstance(raw, bool) and 0 <= raw < 10**15:
            raw = str(raw)
        elif isinstance(raw, int | float) and not isinstance(raw, bool):
            raise CellError(
                "证件号码被 Excel 存成了数字(超过15位会丢失末位),请把该列设为“文本”后重新录入",
                "The document number is stored as a number (Excel keeps only 15 digits); "
                "format the column as text and re-enter it",
                "id_as_number",
            )
        text = unicodedata.normalize("NFKC", str(raw)).strip().upper().replace(" ", "")
        if _SCIENTIFIC.match(text):
            raise CellError(
                "证件号码显示为科学计数法,已丢失数字,请把该列设为“文本”后重新录入",
                "The document number is in scientific notation and has lost digits; "
                "format the column as text and re-enter it",
                "id_as_number",
            )
        return text
    if kind in (INT, FLOAT):
        number = _as_number(raw, column)
        if kind == INT:
            if not number.is_integer():
                raise CellError(
                    f"“{column.label_zh}”应为整数", f"'{column.label_en}' must be a whole number", "type"
                )
            number = int(number)
        if column.min_value is not None and number < column.min_value:
            raise CellError(
                f"“{column.label_zh}”不能小于 {column.min_value:g}",
                f"'{column.label_en}' must be at least {column.min_value:g}",
                "range",
            )
        if column.max_value is not None and number > column.max_value:
            raise CellError(
                f"“{column.label_zh}”不能大于 {column.max_value:g}",
                f"'{column.label_en}' must be at most {column.max_value:g}",
                "range",
            )
        return number
    if kind == BOOL:
        if isinstance(raw, bool):
            return raw
        key = normalise_choice(_as_text(raw))
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
        raise CellError("应为“是”或“否”", "Must be yes (是) or no (否)", "type")
    if kind == DATE:
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        text = unicodedata.normalize("NFKC", str(raw)).strip()
        for pattern in _DATE_PATTERNS:
            match = pattern.match(text)
            if match:
                try:
                    return dt.date(*(int(g) for g in match.groups()))
                except ValueError:
                    break
        raise CellError("日期无效,应为 YYYY-MM-DD", "Invalid date; use YYYY-MM-DD", "type")
    text = _as_text(raw)
    if kind == CODE:
        text = unicodedata.normalize("NFKC", text).upper().replace(" ", "")
        if not text.isascii() or not text.isalnum():
            raise CellError(
                f"“{column.label_zh}”只能包含字母和数字",
                f"'{column.label_en}' may contain only letters and digits",
                "format",
            )
    if kind == CHOICE:
        value = (column.choices or {}).get(normalise_choice(text))
        if value is None:
            raise CellError(
                f"“{text}”不是有效的{column.label_zh}", f"'{text}' is not a valid {column.label_en}", "choice"
            )
        return value
    if kind == LIST:
        items = [item.strip() for item in _LIST_SPLIT.split(text) if item.strip()]
        if column.choices is None:
            return items
        values = []
        for item in items:
            value = column.choices.get(normalise_choice(item))
            if value is None:
                raise CellError(
                    f"“{item}”不是有效的{column.label_zh}",
                    f"'{item}' is not a valid {column.label_en}",
                    "choice",
                )
            if value not in values:
                values.append(value)
        return values
    if column.max_length and len(text) > column.max_length:
        raise CellError(
            f"“{column.label_zh}”不能超过 {column.max_length} 个字符",
            f"'{column.label_en}' must be at most {column.max_length} characters",
            "too_long",
        )
    return text


def parse_rows(
    columns: tuple[Column, ...], header_map: HeaderMap, rows: list[tuple[int, list[Any]]]
) -> list[ParsedRow]:
    """Typed values for every row; cell problems (type, required, choice) are recorded on the row."""
    parsed = []
    sensitive = frozenset(c.key for c in columns if c.sensitive)
    # a column absent from the file is named by its Chinese label in errors (e.g. a hospital without 医院等级)
    headers = {c.key: header_map.headers.get(c.key, c.label_zh) for c in columns}
    for number, cells in rows:
        row = ParsedRow(number=number, values={}, headers=dict(headers), sensitive=sensitive)
        for column in columns:
            position = header_map.index.get(column.key)
            raw = cells[position] if position is not None and position < len(cells) else None
            try:
                value = parse_cell(column, raw)
            except CellError as exc:
                row.error(column.key, exc.message_zh, exc.message_en, exc.code, value=_as_text(raw))
                continue
            if value is None and column.required and position is not None:
                row.error(
                    column.key, f"“{column.label_zh}”不能为空", f"'{column.label_en}' is required", "required"
                )
            row.values[column.key] = value
        parsed.append(row)
    return parsed
