"""Exports of the organisations and people registries as CSV (UTF-8 with BOM) or .xlsx.

Rows come from the same scoped selectors as the list pages, so a county officer exports their own county
only; people are exported with masked numbers and a keyed pseudonym instead of the number; every export
writes an "export" audit row. Headers are the import columns' Chinese names, so an export imports again.

CSV is written with a byte-order mark: without it Excel on Chinese Windows opens UTF-8 as GBK and shows
mojibake (BRIEF § 10, the Superset complaint).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from . import access, audit, crypto, selectors
from .identifiers import ID_TYPES
from .imports.organisations import (
    DOMAIN_OPTIONS,
    KIND_OPTIONS,
    OWNERSHIP_OPTIONS,
    PRIMARY_CARE_OPTIONS,
    SCHOOL_STAGE_OPTIONS,
)
from .models import AuditEvent, Role
from .services.errors import FieldProblem, ServiceValidationError

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
LEVELS_ZH = {1: "一级", 2: "二级", 3: "三级"}
SEX_ZH = {"M": "男", "F": "女"}
# a cell starting with one of these is a formula to Excel: exported text must never run as one
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class ExportFile:
    filename: str
    content_type: str
    chunks: Iterable[bytes]
    count: int


@dataclass(frozen=True)
class ExportColumn:
    header: str
    value: Callable[[Any], Any]


def _label(options: dict[str, tuple[str, ...]], value: str) -> str:
    return options[value][0] if value in options else (value or "")


def _yes_no(value: bool) -> str:
    return "是" if value else "否"


ORGANISATION_COLUMNS = (
    ExportColumn("名称", lambda o: o.name),
    ExportColumn("类型", lambda o: _label(KIND_OPTIONS, o.kind)),
    ExportColumn("统一社会信用代码", lambda o: o.credit_code or ""),
    ExportColumn("区县代码", lambda o: o.region.code),
    ExportColumn("区县", lambda o: o.region.name_zh),
    ExportColumn("乡镇代码", lambda o: o.township.code if o.township_id else ""),
    ExportColumn("乡镇", lambda o: o.township.name_zh if o.township_id else ""),
    ExportColumn("上级机构信用代码", lambda o: (o.parent.credit_code or "") if o.parent_id else ""),
    ExportColumn("地址", lambda o: o.address),
    ExportColumn("经度", lambda o: o.lon),
    ExportColumn("纬度", lambda o: o.lat),
    ExportColumn("性质", lambda o: _label(OWNERSHIP_OPTIONS, o.ownership)),
    ExportColumn("医院等级", lambda o: LEVELS_ZH.get(o.hospital_level, "")),
    ExportColumn("医院等次", lambda o: o.hospital_grade),
    ExportColumn("床位数", lambda o: o.beds),
    ExportColumn("临床科室", lambda o: "、".join(o.departments or [])),
    ExportColumn("急诊科", lambda o: _yes_no(o.has_emergency_department)),
    ExportColumn("基层机构类型", lambda o: _label(PRIMARY_CARE_OPTIONS, o.primary_care_type)),
    ExportColumn("学段", lambda o: "、".join(_label(SCHOOL_STAGE_OPTIONS, s) for s in o.school_stages or [])),
    ExportColumn("学校等级", lambda o: o.school_tier),
    ExportColumn("学位数", lambda o: o.seats),
    ExportColumn("行业", lambda o: o.industry),
    ExportColumn("领域", lambda o: _label(DOMAIN_OPTIONS, o.domain)),
    ExportColumn("合成演示数据", lambda o: _yes_no(o.is_synthetic)),
)


def _pseudonym(person) -> str:
    """A keyed hash of the stored lookup hash: stable across exports for linking, useless without the key,
    and different from the lookup hash itself so an extract cannot be matched against the database."""
    return crypto.keyed_hash(person.id_number_hash, purpose="export")[:32]


PERSON_COLUMNS = (
    ExportColumn("姓名", lambda p: p.name),
    ExportColumn("证件类型", lambda p: ID_TYPES.get(p.id_type, (p.id_type,))[0]),
    ExportColumn("证件号码(脱敏)", lambda p: p.id_number_masked),
    ExportColumn("性别", lambda p: SEX_ZH.get(p.sex, "")),
    ExportColumn("出生年份", lambda p: p.birth_date.year if p.birth_date else None),
    ExportColumn("区县代码", lambda p: p.region.code),
    ExportColumn("区县", lambda p: p.region.name_zh),
    ExportColumn("乡镇代码", lambda p: p.township.code if p.township_id else ""),
    ExportColumn("乡镇", lambda p: p.township.name_zh if p.township_id else ""),
    ExportColumn("登记机构", lambda p: p.organisation.name if p.organisation_id else ""),
    ExportColumn("去标识键", _pseudonym),
    ExportColumn("合成演示数据", lambda p: _yes_no(p.is_synthetic)),
)


# ---------------------------------------------------------------- writers (no Django)


def safe_text(value: Any) -> Any:
    """Numbers stay numbers; text that Excel would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_chunks(headers: list[str], rows: Iterable[list[Any]], batch: int = 500) -> Iterator[bytes]:
    """UTF-8 with BOM, CRLF line ends (what Excel writes), streamed in batches of rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    for n, row in enumerate(rows, start=1):
        writer.writerow(["" if v is None else safe_text(v) for v in row])
        if n % batch == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.getvalue():
        yield buffer.getvalue().encode("utf-8")


def xlsx_bytes(headers: list[str], rows: Iterable[list[Any]], title: str) -> bytes:
    """A write-only workbook (constant memory per row); codes stay text so Excel keeps leading digits."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(headers)
    for row in rows:
        sheet.append(
            [
                ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v
                for v in (safe_text(x) for x in row)
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- use cases


def _check_format(fmt: str) -> str:
    fmt = (fmt or "csv").lower()
    if fmt not in FORMATS:
        raise ServiceValidationError(
            [FieldProblem("format", fmt, "导出格式应为 csv 或 xlsx", "Format must be csv or xlsx", "choice")]
        )
    return fmt


def _export(
    *, user, queryset, columns, fmt: str, name: str, title: str, object_type: str, filters: dict, request=None
) -> ExportFile:
    access.require_registry_access(user)
    fmt = _check_format(fmt)
    count = queryset.count()
    audit.record(
        actor=user,
        action=AuditEvent.Action.EXPORT,
        object_type=object_type,
        object_repr=title,
        region_code=user.region.code if access.role_of(user) == Role.COUNTY_OFFICER else "",
        request=request,
        details={"format": fmt, "count": count, "filters": {k: v for k, v in filters.items() if v}},
    )
    headers = [c.header for c in columns]
    rows = ([c.value(obj) for c in columns] for obj in queryset.iterator(chunk_size=2000))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    filename = f"{name}-{stamp}.{fmt}"
    if fmt == "csv":
        return ExportFile(filename, FORMATS[fmt], csv_chunks(headers, rows), count)
    return ExportFile(filename, FORMATS[fmt], [xlsx_bytes(headers, rows, title)], count)


def export_organisations(
    *,
    user,
    fmt: str = "csv",
    kind: str | None = None,
    region_code: str | None = None,
    q: str | None = None,
    request=None,
) -> ExportFile:
    """Organisations in the user's scope, with the list page's filters."""
    queryset = selectors.organisation_list(user=user, kind=kind, region_code=region_code, q=q)
    return _export(
        user=user,
        queryset=queryset,
        columns=ORGANISATION_COLUMNS,
        fmt=fmt,
        name="organisations",
        title="机构",
        object_type="core.Organisation",
        filters={"kind": kind, "region": region_code, "q": q},
        request=request,
    )


def export_people(
    *, user, fmt: str = "csv", region_code: str | None = None, q: str | None = None, request=None
) -> ExportFile:
    """People in the user's scope: masked numbers and a pseudonym key, never the number itself."""
    queryset = selectors.person_list(user=user, region_code=region_code, q=q)
    return _export(
        user=user,
        queryset=queryset,
        columns=PERSON_COLUMNS,
        fmt=fmt,
        name="people",
        title="人员",
        object_type="core.Person",
        filters={"region": region_code, "q": q},
        request=request,
    )


def template_csv(headers: list[str]) -> bytes:
    """An empty import template: the header row only, UTF-8 with BOM."""
    return b"".join(csv_chunks(headers, []))
