"""Plain data for cadre-exchange planning: cadres, positions, the code tables they use, and input checks.

The code tables (levels, unit types, functions, kinship codes, assessment grades) are data so that a province
can extend them; every value a caller passes is checked against them, because a misspelt function or kinship
code would otherwise silently switch an avoidance rule off.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

# The ladder, lowest first. One step is one rung (副职 -> 正职 -> next grade's 副职).
LEVELS: Mapping[str, str] = MappingProxyType(
    {
        "科级副职": "section-level deputy",
        "科级正职": "section-level chief",
        "处级副职": "division-level deputy",
        "处级正职": "division-level chief",
        "厅级副职": "bureau-level deputy",
        "厅级正职": "bureau-level chief",
    }
)
LEVEL_INDEX: Mapping[str, int] = MappingProxyType({name: i for i, name in enumerate(LEVELS)})
# 县处级: the first rung the 条例's basic qualifications (work years, grassroots years, posts below) apply to.
COUNTY_DIVISION_RUNG = LEVEL_INDEX["处级副职"]

UNIT_TYPES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "county": ("县市", "county city"),
        "municipal": ("市级部门", "municipal department"),
        "district": ("中心城区", "urban district"),
    }
)
# Balance rules compare the county side with the city side (municipal departments and urban districts).
SIDE: Mapping[str, str] = MappingProxyType({"county": "county", "municipal": "city", "district": "city"})

FUNCTIONS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "party_committee": ("党委", "Party committee"),
        "government": ("政府", "government"),
        "discipline": ("纪检监察", "discipline inspection and supervision"),
        "organisation": ("组织", "organisation department"),
        "personnel": ("人事", "personnel"),
        "court": ("法院", "court"),
        "procuratorate": ("检察院", "procuratorate"),
        "public_security": ("公安", "public security"),
        "audit": ("审计", "audit"),
        "finance": ("财务", "finance"),
        "planning": ("发展改革", "development and reform"),
        "industry": ("产业经济", "industry and economy"),
        "agriculture": ("农业农村", "agriculture and rural affairs"),
        "education": ("教育", "education"),
        "health": ("卫生健康", "health"),
        "general": ("综合", "general affairs"),
    }
)

# 考核结果 grades, best first; the score feeds the fit and the promotion-assessment rule.
ASSESSMENT_SCORES: Mapping[str, int] = MappingProxyType({"优秀": 3, "称职": 2, "基本称职": 1, "不称职": 0})
ASSESSMENT_EN: Mapping[str, str] = MappingProxyType(
    {"优秀": "excellent", "称职": "competent", "基本称职": "basically competent", "不称职": "incompetent"}
)

KINSHIP_CLASSES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "spouse": ("夫妻关系", "spouse"),
        "lineal": ("直系血亲关系", "lineal blood relative"),
        "collateral": ("三代以内旁系血亲关系", "collateral blood relative within three generations"),
        "in_law": ("近姻亲关系", "close in-law"),
        "other": ("其他亲属（不在回避范围）", "other relative (outside the avoidance classes)"),
    }
)
# 公务员回避规定(试行) 2011 第五条 enumerates the four classes; "other" holds relatives people do declare but
# the rules do not cover, so that declaring them is possible and visibly harmless.
KINSHIP: Mapping[str, tuple[str, str, str]] = MappingProxyType(
    {
        "spouse": ("spouse", "夫妻", "spouse"),
        "grandparent": ("lineal", "祖父母", "paternal grandparent"),
        "grandparent_maternal": ("lineal", "外祖父母", "maternal grandparent"),
        "parent": ("lineal", "父母", "parent"),
        "child": ("lineal", "子女", "child"),
        "grandchild": ("lineal", "孙子女", "son's child"),
        "grandchild_maternal": ("lineal", "外孙子女", "daughter's child"),
        "uncle_aunt": ("collateral", "伯叔姑舅姨", "uncle or aunt"),
        "sibling": ("collateral", "兄弟姐妹", "sibling"),
        "cousin_paternal": ("collateral", "堂兄弟姐妹", "paternal cousin"),
        "cousin_maternal": ("collateral", "表兄弟姐妹", "maternal cousin"),
        "nephew_niece": ("collateral", "侄子女", "brother's child"),
        "nephew_niece_sororal": ("collateral", "甥子女", "sister's child"),
        "spouse_parent": ("in_law", "配偶的父母", "spouse's parent"),
        "spouse_sibling": ("in_law", "配偶的兄弟姐妹", "spouse's sibling"),
        "spouse_sibling_spouse": ("in_law", "配偶的兄弟姐妹的配偶", "spouse's sibling's spouse"),
        "child_spouse": ("in_law", "子女的配偶", "child's spouse"),
        "child_spouse_parent": ("in_law", "子女配偶的父母", "child's spouse's parent"),
        "collateral_spouse": ("in_law", "三代以内旁系血亲的配偶", "spouse of a collateral relative"),
        "cousin_second": ("other", "再从兄弟姐妹", "second cousin"),
        "spouse_cousin": ("other", "配偶的堂表兄弟姐妹", "spouse's cousin"),
        "spouse_uncle_aunt": ("other", "配偶的伯叔姑舅姨", "spouse's uncle or aunt"),
    }
)


class PlanningInputError(ValueError):
    """Input the planner cannot use; carries the message in Chinese and in English."""

    def __init__(self, code: str, message_zh: str, message_en: str):
        super().__init__(f"{message_zh} / {message_en}")
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en


@dataclass(frozen=True)
class CurrentPost:
    """The post a cadre holds now: `since` is the start of the unbroken run in it, `consecutive_terms` counts
    the terms begun in that run (1 = first term)."""

    position_id: str
    since: dt.date
    consecutive_terms: int = 1


@dataclass(frozen=True)
class Cadre:
    """One cadre in an exchange round. Years are completed years as recorded in the cadre file."""

    id: str
    birth_date: dt.date
    home_region: str  # 成长地: six-digit county-level division code
    work_start: dt.date
    grassroots_years: float
    fields: frozenset[str]
    post: CurrentPost
    level: str
    years_at_level: float
    years_one_level_down: float = 0.0
    posts_at_level: int = 1  # posts held at the current level, the current one included
    posts_one_level_down: int = 0
    assessments: tuple[str, ...] = ()  # annual grades, oldest first
    training_hours: float = 0.0
    relatives: tuple[tuple[str, str], ...] = ()  # (cadre id, kinship code)
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", frozenset(self.fields))
        object.__setattr__(self, "assessments", tuple(self.assessments))
        object.__setattr__(self, "relatives", tuple(tuple(r) for r in self.relatives))


@dataclass(frozen=True)
class Position:
    """A post: every cadre's current post and every post offered in the round (`open`). An open post held by
    a cadre of the round can only be filled if that cadre moves out in the same plan."""

    id: str
    unit: str
    unit_type: str  # key of UNIT_TYPES
    region: str  # six-digit division code (510100 for municipal departments)
    level: str  # key of LEVELS
    is_chief: bool
    function: str  # key of FUNCTIONS
    team_id: str | None = None  # leadership team (领导班子)
    reports_to: str | None = None  # position id of the direct superior
    required_fields: frozenset[str] = field(default_factory=frozenset)
    preferred_fields: frozenset[str] = field(default_factory=frozenset)
    open: bool = False
    title: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "required_fields", frozenset(self.required_fields))
        object.__setattr__(self, "preferred_fields", frozenset(self.preferred_fields))

    @property
    def is_leader(self) -> bool:
        """A chief or a member of a leadership team: the people the sensitive-function rule protects against."""
        return self.is_chief or self.team_id is not None


@dataclass(frozen=True)
class RoundIndex:
    """Lookups built once per round by `index_round`."""

    cadres: Mapping[str, Cadre]
    positions: Mapping[str, Position]
    incumbent: Mapping[str, str]  # position id -> id of the round's cadre holding it
    ancestors: Mapping[str, tuple[str, ...]]  # position id -> its superiors, nearest first
    team_size: Mapping[str, int]


def _bad(code: str, zh: str, en: str) -> PlanningInputError:
    return PlanningInputError(code, zh, en)


def _check_region(code: str, what_zh: str, what_en: str, owner: str) -> None:
    if not (isinstance(code, str) and len(code) == 6 and code.isdigit()):
        raise _bad(
            "region_code",
            f"{owner} 的{what_zh}「{code}」不是六位行政区划代码",
            f"{owner}: {what_en} '{code}' is not a six-digit division code",
        )


def _check_position(p: Position) -> None:
    if p.level not in LEVEL_INDEX:
        raise _bad(
            "unknown_level",
            f"职位 {p.id} 的职级「{p.level}」未知，应为：{'、'.join(LEVELS)}",
            f"Position {p.id}: unknown level '{p.level}'; expected one of {', '.join(LEVELS)}",
        )
    if p.unit_type not in UNIT_TYPES:
        raise _bad(
            "unknown_unit_type",
            f"职位 {p.id} 的单位类型「{p.unit_type}」未知，应为：{'、'.join(UNIT_TYPES)}",
            f"Position {p.id}: unknown unit type '{p.unit_type}'; expected one of {', '.join(UNIT_TYPES)}",
        )
    if p.function not in FUNCTIONS:
        raise _bad(
            "unknown_function",
            f"职位 {p.id} 的职能「{p.function}」未知",
            f"Position {p.id}: unknown function '{p.function}'; expected one of {', '.join(FUNCTIONS)}",
        )
    _check_region(p.region, "所在地", "region", f"职位 {p.id} / position {p.id}")


def _check_cadre(c: Cadre, positions: Mapping[str, Position]) -> None:
    who = f"干部 {c.id} / cadre {c.id}"
    if c.level not in LEVEL_INDEX:
        raise _bad(
            "unknown_level",
            f"干部 {c.id} 的职级「{c.level}」未知，应为：{'、'.join(LEVELS)}",
            f"Cadre {c.id}: unknown level '{c.level}'; expected one of {', '.join(LEVELS)}",
        )
    _check_region(c.home_region, "成长地", "home region (成长地)", who)
    if c.post.position_id not in positions:
        raise _bad(
            "unknown_position",
            f"干部 {c.id} 的现职位 {c.post.position_id} 不在职位清单中",
            f"Cadre {c.id}: current position {c.post.position_id} is not in the position list",
        )
    if c.post.consecutive_terms < 1:
        raise _bad(
            "bad_terms",
            f"干部 {c.id} 的连续任期数应至少为1",
            f"Cadre {c.id}: consecutive terms must be at least 1",
        )
    numbers = {
        "grassroots_years": c.grassroots_years,
        "years_at_level": c.years_at_level,
        "years_one_level_down": c.years_one_level_down,
        "posts_at_level": c.posts_at_level,
        "posts_one_level_down": c.posts_one_level_down,
        "training_hours": c.training_hours,
    }
    for name, value in numbers.items():
        if value is None or value < 0:
            raise _bad(
                "negative_value",
                f"干部 {c.id} 的 {name} 不能为负数或空",
                f"Cadre {c.id}: {name} must be a non-negative number",
            )
    if not (c.birth_date < c.work_start <= c.post.since):
        raise _bad(
            "bad_dates",
            f"干部 {c.id} 的日期顺序应为 出生 < 参加工作 ≤ 任现职",
            f"Cadre {c.id}: dates must run birth < work start ≤ start in current post",
        )
    for grade in c.assessments:
        if grade not in ASSESSMENT_SCORES:
            raise _bad(
                "unknown_assessment",
                f"干部 {c.id} 的考核结果「{grade}」未知，应为：{'、'.join(ASSESSMENT_SCORES)}",
                f"Cadre {c.id}: unknown assessment grade '{grade}'; expected one of "
                f"{', '.join(f'{k} ({v})' for k, v in ASSESSMENT_EN.items())}",
            )
    for relative_id, kinship in c.relatives:
        if kinship not in KINSHIP:
            raise _bad(
                "unknown_kinship",
                f"干部 {c.id} 与 {relative_id} 的亲属关系代码「{kinship}」未知，请使用亲属关系代码表",
                f"Cadre {c.id}: unknown kinship code '{kinship}' for relative {relative_id}; "
                "use a code from the kinship table",
            )
        if relative_id == c.id:
            raise _bad(
                "self_relative",
                f"干部 {c.id} 不能把自己列为亲属",
                f"Cadre {c.id} lists itself as a relative",
            )


def index_round(cadres: Iterable[Cadre], positions: Iterable[Position]) -> RoundIndex:
    """Check every cadre and position against the code tables and build the round's lookups.

    Raises PlanningInputError (a ValueError with Chinese and English messages) on the first problem.
    """
    by_pos: dict[str, Position] = {}
    for p in positions:
        _check_position(p)
        if p.id in by_pos:
            raise _bad("duplicate_position", f"职位编号 {p.id} 重复", f"Position id {p.id} appears twice")
        by_pos[p.id] = p
    for p in by_pos.values():
        if p.reports_to is not None and p.reports_to not in by_pos:
            raise _bad(
                "unknown_superior",
                f"职位 {p.id} 的上级职位 {p.reports_to} 不在职位清单中",
                f"Position {p.id}: superior position {p.reports_to} is not in the position list",
            )
    ancestors: dict[str, tuple[str, ...]] = {}
    for p in by_pos.values():
        chain: list[str] = []
        seen = {p.id}
        up = p.reports_to
        while up is not None:
            if up in seen:
                raise _bad(
                    "reporting_cycle",
                    f"职位 {p.id} 的隶属关系形成循环",
                    f"Position {p.id}: the reporting line loops back on itself",
                )
            seen.add(up)
            chain.append(up)
            up = by_pos[up].reports_to
        ancestors[p.id] = tuple(chain)
    by_cadre: dict[str, Cadre] = {}
    incumbent: dict[str, str] = {}
    for c in cadres:
        _check_cadre(c, by_pos)
        if c.id in by_cadre:
            raise _bad("duplicate_cadre", f"干部编号 {c.id} 重复", f"Cadre id {c.id} appears twice")
        holder = incumbent.get(c.post.position_id)
        if holder is not None:
            raise _bad(
                "shared_post",
                f"干部 {holder} 与 {c.id} 登记在同一职位 {c.post.position_id}",
                f"Cadres {holder} and {c.id} are both recorded in position {c.post.position_id}",
            )
        by_cadre[c.id] = c
        incumbent[c.post.position_id] = c.id
    team_size: dict[str, int] = {}
    for p in by_pos.values():
        if p.team_id is not None:
            team_size[p.team_id] = team_size.get(p.team_id, 0) + 1
    return RoundIndex(
        cadres=MappingProxyType(by_cadre),
        positions=MappingProxyType(by_pos),
        incumbent=MappingProxyType(incumbent),
        ancestors=MappingProxyType(ancestors),
        team_size=MappingProxyType(team_size),
    )


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months; the 29th-31st fall back to the month's last day (29 Feb -> 28 Feb)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def reached(start: dt.date, as_of: dt.date, years: float) -> bool:
    """Whether `years` (to the month) have been completed between `start` and `as_of`, by anniversary."""
    return as_of >= add_months(start, round(years * 12))


def years_between(start: dt.date, end: dt.date) -> float:
    """Elapsed years for display, one decimal is enough for people reading an explanation."""
    return round((end - start).days / 365.2425, 1)


def age_on(birth: dt.date, as_of: dt.date) -> int:
    """Completed years of age on `as_of`."""
    return as_of.year - birth.year - ((as_of.month, as_of.day) < (birth.month, birth.day))
