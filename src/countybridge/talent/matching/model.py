"""Typed inputs of the matching engine: ordered degree and title levels, talents, positions, weights.

Every value is converted to its type when the object is created, so requirements are compared as numbers
and ordered levels, never as text ("12" < "2" is true for strings; DHIS2's classic bug). Bad input raises
MatchingInputError, a ValueError carrying the message in Chinese and in English.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from enum import IntEnum


class MatchingInputError(ValueError):
    """An input the engine cannot accept; message in Chinese and English, plus the field it concerns."""

    def __init__(self, code: str, field_name: str, value: object, message_zh: str, message_en: str):
        super().__init__(f"{message_zh} / {message_en}")
        self.code = code
        self.field = field_name
        self.value = value
        self.message_zh = message_zh
        self.message_en = message_en


class Degree(IntEnum):
    """Highest degree, ordered: none < 大专 < 本科 < 硕士 < 博士."""

    NONE = 0
    ASSOCIATE = 1  # 大专
    BACHELOR = 2  # 本科
    MASTER = 3  # 硕士
    DOCTOR = 4  # 博士

    @property
    def zh(self) -> str:
        return _DEGREE_ZH[self]


class Title(IntEnum):
    """Professional title (职称), ordered: none < 初级 < 中级 < 副高级 < 正高级."""

    NONE = 0
    JUNIOR = 1  # 初级
    INTERMEDIATE = 2  # 中级
    ASSOCIATE_SENIOR = 3  # 副高级
    SENIOR = 4  # 正高级

    @property
    def zh(self) -> str:
        return _TITLE_ZH[self]


_DEGREE_ZH = {
    Degree.NONE: "无",
    Degree.ASSOCIATE: "大专",
    Degree.BACHELOR: "本科",
    Degree.MASTER: "硕士",
    Degree.DOCTOR: "博士",
}
_TITLE_ZH = {
    Title.NONE: "无",
    Title.JUNIOR: "初级",
    Title.INTERMEDIATE: "中级",
    Title.ASSOCIATE_SENIOR: "副高级",
    Title.SENIOR: "正高级",
}

# Spellings seen in forms and imports; anything else is refused rather than guessed.
_DEGREE_ALIASES = {
    "": Degree.NONE,
    "none": Degree.NONE,
    "无": Degree.NONE,
    "不限": Degree.NONE,
    "高中": Degree.NONE,
    "中专": Degree.NONE,
    "大专": Degree.ASSOCIATE,
    "专科": Degree.ASSOCIATE,
    "associate": Degree.ASSOCIATE,
    "本科": Degree.BACHELOR,
    "学士": Degree.BACHELOR,
    "bachelor": Degree.BACHELOR,
    "硕士": Degree.MASTER,
    "硕士研究生": Degree.MASTER,
    "master": Degree.MASTER,
    "博士": Degree.DOCTOR,
    "博士研究生": Degree.DOCTOR,
    "doctor": Degree.DOCTOR,
    "phd": Degree.DOCTOR,
}
_TITLE_ALIASES = {
    "": Title.NONE,
    "none": Title.NONE,
    "无": Title.NONE,
    "不限": Title.NONE,
    "初级": Title.JUNIOR,
    "员级": Title.JUNIOR,
    "助理级": Title.JUNIOR,
    "junior": Title.JUNIOR,
    "中级": Title.INTERMEDIATE,
    "intermediate": Title.INTERMEDIATE,
    "副高级": Title.ASSOCIATE_SENIOR,
    "副高": Title.ASSOCIATE_SENIOR,
    "associate_senior": Title.ASSOCIATE_SENIOR,
    "正高级": Title.SENIOR,
    "正高": Title.SENIOR,
    "senior": Title.SENIOR,
}


def _parse_level(value, enum_cls, aliases, field_name: str, noun_zh: str, noun_en: str):
    if isinstance(value, enum_cls):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and value in enum_cls._value2member_map_:
        return enum_cls(value)
    if value is None:
        return enum_cls(0)
    if isinstance(value, str) and value.strip().lower() in aliases:
        return aliases[value.strip().lower()]
    choices = "、".join(m.zh for m in enum_cls)
    raise MatchingInputError(
        f"unknown_{field_name}",
        field_name,
        value,
        f"未知{noun_zh}“{value}”，可选：{choices}",
        f"Unknown {noun_en} {value!r}; expected one of: {', '.join(m.name.lower() for m in enum_cls)} ({choices})",
    )


def parse_degree(value, field_name: str = "degree") -> Degree:
    """Degree from an enum, its integer level or a Chinese/English spelling; ValueError otherwise."""
    return _parse_level(value, Degree, _DEGREE_ALIASES, field_name, "学历", "degree")


def parse_title(value, field_name: str = "title") -> Title:
    """Professional title from an enum, its integer level or a Chinese/English spelling."""
    return _parse_level(value, Title, _TITLE_ALIASES, field_name, "职称", "professional title")


_FIELD_ZH = {
    "years_experience": "工作年限",
    "min_years": "最低工作年限",
    "expected_salary": "期望薪酬",
    "salary_min": "薪酬下限",
    "salary_max": "薪酬上限",
    "k": "返回条数",
    "excluded_limit": "排除名单条数",
    "major": "专业",
    "skills_text": "技能描述",
    "responsibilities_text": "岗位职责",
    "county_code": "区县代码",
    "name": "岗位名称",
    "field": "领域",
}


def _zh(field_name: str) -> str:
    if field_name.startswith("weights."):
        return f"权重 {field_name[8:]}"
    return _FIELD_ZH.get(field_name, field_name)


def parse_number(value, field_name: str, *, allow_none: bool = False) -> float | None:
    """A non-negative finite number from an int, float or numeric string ("12" → 12.0)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if allow_none:
            return None
        value = 0
    if isinstance(value, bool):
        number = math.nan
    else:
        try:
            number = float(value.strip() if isinstance(value, str) else value)
        except (TypeError, ValueError):
            number = math.nan
    if not math.isfinite(number) or number < 0:
        raise MatchingInputError(
            "bad_number",
            field_name,
            value,
            f"{_zh(field_name)}须为非负数，收到“{value}”",
            f"{field_name} must be a non-negative number, got {value!r}",
        )
    return number


def _text(value, field_name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise MatchingInputError(
            "bad_text", field_name, value, f"{_zh(field_name)}须为文本", f"{field_name} must be text"
        )
    return value.strip()


def _id(value, field_name: str = "id"):
    if value is None or (isinstance(value, str) and not value.strip()):
        raise MatchingInputError("missing_id", field_name, value, "缺少编号", "An id is required")
    try:
        hash(value)
    except TypeError:
        raise MatchingInputError(
            "bad_id", field_name, value, "编号须为数字或文本", "An id must be a number or a string"
        ) from None
    return value


# slots: an index holds 100,000 of these for its lifetime; without a __dict__ each they cost less memory
# and give Python's cyclic garbage collector half the objects to walk on a full collection.
@dataclass(frozen=True, slots=True)
class Talent:
    """A candidate as the engine sees it: structured qualifications plus Chinese free text (skills)."""

    id: object
    degree: Degree | str | int = Degree.NONE
    major: str = ""
    title: Title | str | int = Title.NONE
    years_experience: float | int | str = 0
    skills_text: str = ""
    county_code: str = ""
    field: str = ""  # industry field (医疗卫生, 电子信息 …), optional
    expected_salary: float | int | str | None = None  # yuan per month, optional

    def __post_init__(self):
        _id(self.id)
        object.__setattr__(self, "degree", parse_degree(self.degree))
        object.__setattr__(self, "title", parse_title(self.title))
        object.__setattr__(self, "years_experience", parse_number(self.years_experience, "years_experience"))
        object.__setattr__(
            self, "expected_salary", parse_number(self.expected_salary, "expected_salary", allow_none=True)
        )
        for name in ("major", "skills_text", "county_code", "field"):
            object.__setattr__(self, name, _text(getattr(self, name), name))


@dataclass(frozen=True, slots=True)
class Position:
    """A published position: hard requirements, text (name, responsibilities, skills), place, salary band.

    `majors` lists accepted majors or major families (计算机类); empty means any major. With
    `accept_related_majors`, a listed major also admits the other majors of its family.
    """

    id: object
    min_degree: Degree | str | int = Degree.NONE
    majors: tuple[str, ...] = ()
    min_title: Title | str | int = Title.NONE
    min_years: float | int | str = 0
    responsibilities_text: str = ""
    skills_text: str = ""
    county_code: str = ""
    name: str = ""
    field: str = ""
    salary_min: float | int | str | None = None
    salary_max: float | int | str | None = None
    accept_related_majors: bool = False

    def __post_init__(self):
        _id(self.id)
        object.__setattr__(self, "min_degree", parse_degree(self.min_degree, "min_degree"))
        object.__setattr__(self, "min_title", parse_title(self.min_title, "min_title"))
        object.__setattr__(self, "min_years", parse_number(self.min_years, "min_years"))
        majors = self.majors
        if isinstance(majors, str):
            majors = [m for m in majors.replace("，", ",").replace("、", ",").split(",")]
        object.__setattr__(self, "majors", tuple(m.strip() for m in majors if m and m.strip()))
        lo = parse_number(self.salary_min, "salary_min", allow_none=True)
        hi = parse_number(self.salary_max, "salary_max", allow_none=True)
        if lo is not None and hi is not None and lo > hi:
            raise MatchingInputError(
                "bad_salary_band",
                "salary_max",
                hi,
                f"薪酬上限 {hi:g} 低于下限 {lo:g}",
                f"salary_max {hi:g} is below salary_min {lo:g}",
            )
        object.__setattr__(self, "salary_min", lo)
        object.__setattr__(self, "salary_max", hi)
        for name in ("responsibilities_text", "skills_text", "county_code", "name", "field"):
            object.__setattr__(self, name, _text(getattr(self, name), name))


@dataclass(frozen=True, slots=True)
class Weights:
    """Weights of the score's components; normalised to sum 1 so a score lies in [0, 1].

    text: BM25 relevance divided by the best eligible candidate's; major: exact 1, same family 0.6, any-major
    position 0.5; degree/title: levels above the minimum (2 levels = 1); experience: years beyond the minimum
    (saturating, 5 years ≈ 0.63); location: same county 1, paired district 0.6; field: same industry field;
    salary: expectation within the band.
    """

    text: float = 0.6
    major: float = 0.1
    degree: float = 0.05
    title: float = 0.05
    experience: float = 0.08
    location: float = 0.06
    field: float = 0.04
    salary: float = 0.02

    def __post_init__(self):
        for f in fields(self):
            parse_number(getattr(self, f.name), f"weights.{f.name}")
        if sum(getattr(self, f.name) for f in fields(self)) <= 0:
            raise MatchingInputError(
                "bad_weights", "weights", self, "权重之和须大于 0", "Weights must sum to more than 0"
            )

    def normalised(self) -> dict[str, float]:
        total = sum(float(getattr(self, f.name)) for f in fields(self))
        return {f.name: float(getattr(self, f.name)) / total for f in fields(self)}


STRUCTURED_COMPONENTS = ("major", "degree", "title", "experience", "location", "field", "salary")

__all__ = [
    "Degree",
    "MatchingInputError",
    "Position",
    "STRUCTURED_COMPONENTS",
    "Talent",
    "Title",
    "Weights",
    "parse_degree",
    "parse_number",
    "parse_title",
]
