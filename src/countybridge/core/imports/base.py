"""What every registry import shares: the spec interface, region resolution and scope checks.

A spec turns parsed rows into the data its service takes (`prepare`, which reports row errors and writes
nothing) and writes one prepared row through that service (`write`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied

from .. import access
from ..models import Region, RegionLevel, Role
from ..services.errors import FieldProblem
from ..services.people import resolve_region_code
from .columns import Column, ParsedRow


@dataclass
class ImportContext:
    """Per-run state: the actor and caches, so 10,000 rows cost a handful of queries, not 10,000."""

    actor: Any
    request: Any = None
    _regions: dict[str, Region | None] = field(default_factory=dict)
    created: dict[str, Any] = field(default_factory=dict)  # keys of rows written so far (in-file references)

    @property
    def role(self) -> str | None:
        return access.role_of(self.actor)

    def region(self, code: str) -> Region | None:
        """Today's region for a code, old codes included (简阳 512081 → 510185), via the people service."""
        if code not in self._regions:
            self._regions[code] = resolve_region_code(code)
        return self._regions[code]


class RegistrySpec:
    """One importable registry. Subclasses set the class attributes and implement prepare/write."""

    key: str = ""
    title_zh: str = ""
    title_en: str = ""
    columns: tuple[Column, ...] = ()
    roles: frozenset[str] = frozenset()
    problem_fields: dict[str, str] = {}  # service field name → column key, for errors raised by services

    def check_role(self, actor) -> None:
        if access.role_of(actor) not in self.roles:
            raise PermissionDenied(f"role may not import {self.key}")

    def prepare(self, rows: list[ParsedRow], ctx: ImportContext) -> None:
        """Resolve references, validate through the service's validator, check duplicates and scope.

        Fills `row.data` for clean rows and `row.errors` otherwise; never writes."""
        raise NotImplementedError

    def write(self, row: ParsedRow, ctx: ImportContext) -> Any:
        raise NotImplementedError

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def add_problems(self, row: ParsedRow, problems: list[FieldProblem]) -> None:
        """Service validator problems as row errors; a column already reported keeps its first error only."""
        reported = {e.field for e in row.errors}
        for problem in problems:
            key = self.problem_fields.get(problem.field, problem.field)
            if key in reported:
                continue
            sensitive = any(c.key == key and c.sensitive for c in self.columns)
            row.error(
                key,
                problem.message_zh,
                problem.message_en,
                problem.code,
                value=problem.value if sensitive else row.values.get(key, problem.value),
            )


def resolve_county(
    row: ParsedRow,
    ctx: ImportContext,
    *,
    county_key: str = "county_code",
    township_key: str = "township_code",
) -> tuple[Region | None, Region | None]:
    """County and township of a row from their codes (either may be an old code); records errors."""
    county = township = None
    county_code = row.values.get(county_key)
    township_code = row.values.get(township_key)
    if county_code:
        county = ctx.region(county_code)
        if county is None or county.level != RegionLevel.COUNTY:
            row.error(
                county_key,
                f"未知的区(市)县代码 {county_code}",
                f"Unknown county code {county_code}",
                "unknown_region",
            )
            county = None
    if township_code:
        township = ctx.region(township_code)
        if township is None or township.level != RegionLevel.TOWNSHIP:
            row.error(
                township_key,
                f"未知的乡镇(街道)代码 {township_code}",
                f"Unknown township code {township_code}",
                "unknown_region",
            )
            township = None
        elif county is None and not county_code:
            county = township.parent  # the township names its county
        elif county is not None and township.parent_id != county.pk:
            row.error(
                township_key,
                f"乡镇(街道){township.name_zh} 不属于 {county.name_zh}",
                f"Township {township.name_en or township.name_zh} is not in {county.name_en or county.name_zh}",
                "township",
            )
    if county is None and not county_code and not township_code:
        row.error(county_key, "区(市)县代码不能为空", "County code is required", "required")
    if county is None:
        township = None  # its county is already reported; a second error about the pair adds nothing
    return county, township


def check_county_scope(
    row: ParsedRow, ctx: ImportContext, county: Region | None, key: str = "county_code"
) -> bool:
    """A county officer imports rows of their own county only; other counties' rows are row errors."""
    if county is None or ctx.role != Role.COUNTY_OFFICER or county.pk == ctx.actor.region_id:
        return True
    own = ctx.actor.region
    row.error(
        key,
        f"超出管辖范围:您只能导入{own.name_zh}的数据,本行属于{county.name_zh}",
        f"Outside your scope: you may import rows for {own.name_en or own.name_zh} only; "
        f"this row is for {county.name_en or county.name_zh}",
        "scope",
        value=county.code,
    )
    return False


def duplicate_in_file(
    seen: dict[Any, int], key: Any, row: ParsedRow, column: str, what_zh: str, what_en: str
) -> bool:
    """Records the first row of each key; a later row with the same key is an error naming the first."""
    if key in seen:
        row.error(
            column,
            f"{what_zh}与第 {seen[key]} 行重复",
            f"{what_en} duplicates row {seen[key]}",
            "duplicate_in_file",
        )
        return True
    seen[key] = row.number
    return False
