"""Form input checking for the registry services: collects every problem of one submission, each in Chinese
and English, so the officer sees them all at once instead of one per submit. No writes here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from countybridge.core.models import Region, RegionLevel
from countybridge.core.services.errors import FieldProblem, ServiceValidationError


class Checker:
    """One submission's values, read and checked field by field; `done()` raises with all problems."""

    def __init__(self, data: dict[str, Any]):
        self.data = data
        self.problems: list[FieldProblem] = []

    def fail(self, field: str, value: Any, zh: str, en: str, code: str = "invalid") -> None:
        self.problems.append(FieldProblem(field, str(value)[:100], zh, en, code))

    def raw(self, field: str) -> Any:
        value = self.data.get(field)
        return value.strip() if isinstance(value, str) else value

    def text(self, field: str, zh: str, en: str, max_len: int, required: bool = True) -> str:
        value = str(self.raw(field) or "")
        if required and not value:
            self.fail(field, value, f"请填写{zh}", f"{en} is required", "required")
        elif len(value) > max_len:
            self.fail(field, value, f"{zh}不能超过{max_len}个字", f"{en} is longer than {max_len}", "length")
        return value

    def date(self, field: str, zh: str, en: str, required: bool = True) -> dt.date | None:
        value = self.raw(field)
        if value in (None, ""):
            if required:
                self.fail(field, "", f"请填写{zh}", f"{en} is required", "required")
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(field, value, f"{zh}应为 YYYY-MM-DD 格式", f"{en} must be a date (YYYY-MM-DD)", "type")
            return None

    def number(self, field: str, zh: str, en: str, low: float, high: float, whole: bool = False, default=0):
        value = self.raw(field)
        if value in (None, ""):
            value = default
        try:
            number = int(str(value)) if whole else float(str(value))
        except ValueError:
            kind_zh, kind_en = ("整数", "a whole number") if whole else ("数字", "a number")
            self.fail(field, value, f"{zh}应为{kind_zh}", f"{en} must be {kind_en}", "type")
            return 0
        if not low <= number <= high:
            self.fail(field, value, f"{zh}应在{low}到{high}之间", f"{en} must be {low}-{high}", "range")
        return number

    def choice(self, field: str, table, zh: str, en: str) -> str:
        value = str(self.raw(field) or "")
        if value not in table:
            self.fail(field, value, f"{zh}「{value}」不在代码表中", f"Unknown {en} '{value}'", "unknown")
        return value

    def county(self, field: str) -> Region | None:
        code = str(self.raw(field) or "")
        # The city itself stands for municipal departments; county-level divisions for counties and districts.
        levels = (RegionLevel.CITY, RegionLevel.COUNTY)
        region = Region.objects.filter(code=code, level__in=levels, valid_to__isnull=True).first()
        if region is None:
            self.fail(
                field, code, "行政区划代码无效（应为市或区(市)县）", "Unknown city or county code", "unknown"
            )
        return region

    def flag(self, field: str) -> bool:
        return self.raw(field) in (True, "1", "on", "true", "True", 1)

    def codes(self, field: str) -> list[str]:
        value = self.raw(field) or []
        items = value.replace("，", ",").split(",") if isinstance(value, str) else list(value)
        return sorted({str(v).strip() for v in items if str(v).strip()})

    def done(self) -> None:
        if self.problems:
            raise ServiceValidationError(self.problems)
