"""Cadre-exchange rules as data: each rule has a code the engine knows, parameters, an effective period and
the article it comes from. The national rules below follow shared/facts/talent-cadres.md § 2; the local ones
are the settings a jurisdiction chooses (min tenure, age, team cap, balance) and are meant to be edited.

`status` carries the facts file's confidence mark: ✅ official wording seen, ◐ secondary source, ⚠ unverified
(an article number we could not confirm is said so in the article text, never guessed silently).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from .model import FUNCTIONS, KINSHIP_CLASSES, LEVEL_INDEX, UNIT_TYPES, PlanningInputError

# code -> (title zh, title en, {param: type}); the engine implements exactly these codes.
RULE_CODES: Mapping[str, tuple[str, str, Mapping[str, type]]] = MappingProxyType(
    {
        "tenure_10y_exchange": (
            "同一职位任职满十年必须交流",
            "exchange after 10 years in one post",
            {"years": float},
        ),
        "term_limit": (
            "每届任期五年，连续两个任期后不再提名同一职务",
            "5-year terms; no third consecutive term in one post",
            {"term_years": float, "max_consecutive_terms": int},
        ),
        "level_tenure_cap": (
            "同一层次职务累计满十五年不再提名该层次职务",
            "no further nomination at a level held 15 years in total",
            {"years": float},
        ),
        "promotion_work_years": (
            "提任县处级须有五年以上工龄",
            "5 years of work before a division-level post",
            {"years": float, "min_target_level": str},
        ),
        "promotion_grassroots": (
            "提任县处级须有两年以上基层工作经历",
            "2 years at grassroots before a division-level post",
            {"years": float, "min_target_level": str},
        ),
        "promotion_posts_below": (
            "提任县处级以上一般须有下一级两个以上职位经历",
            "2 or more posts one level down before promotion",
            {"posts": int, "min_target_level": str},
        ),
        "promotion_deputy_to_chief": (
            "副职提任正职须任副职两年以上",
            "2 years as deputy before chief",
            {"years": float},
        ),
        "promotion_chief_to_upper_deputy": (
            "下级正职提任上级副职须任下级正职三年以上",
            "3 years as lower chief before upper deputy",
            {"years": float},
        ),
        "no_skip_two_levels": ("不得越两级提拔", "no promotion skipping two levels", {"max_step": int}),
        "home_region_avoidance": (
            "不得在成长地担任县（市）党政等正职",
            "no county chief post in the home region (成长地)",
            {"unit_types": list, "functions": list},
        ),
        "kinship_avoidance": (
            "亲属不得在同一单位、同一班子或直接上下级任职",
            "relatives not in one unit, one team or a direct line of command",
            {"classes": list, "scopes": list},
        ),
        "kinship_sensitive_function": (
            "亲属担任领导的机关中不得从事组织人事、纪检、审计、财务工作",
            "no sensitive function where a relative leads",
            {"classes": list, "functions": list},
        ),
        "chiefs_not_together": (
            "同一地方党政正职一般不同时交流",
            "the Party and government chiefs of one place do not move together",
            {"functions": list},
        ),
        "min_tenure_before_move": (
            "任现职未满规定年限不交流",
            "minimum tenure before a move",
            {"years": float},
        ),
        "age_limit": ("超过年龄上限不列入交流", "age limit for exchange", {"max_age": int}),
        "team_batch_cap": (
            "同一班子每批交流不超过规定比例",
            "at most a share of one leadership team per batch",
            {"numerator": int, "denominator": int, "at_least": int},
        ),
        "balance_directions": (
            "县市与市级双向交流大体平衡",
            "moves county→city and city→county roughly balanced",
            {"max_difference": int, "max_difference_pct": int},
        ),
        "balance_county_inflow": (
            "市级到县市的交流不少于规定比例",
            "a minimum share of moves from city to county",
            {"min_share_pct": int},
        ),
        "required_fields": ("须具备职位要求的专业领域", "the post's required fields", {}),
        "no_demotion": ("交流不降低职级", "an exchange does not lower the level", {}),
        "promotion_step": (
            "交流方案只提出逐级提拔（越级须走破格程序）",
            "plans only promote one rung (a jump needs the 破格 procedure)",
            {"max_step": int},
        ),
        "promotion_assessment": (
            "近年考核须达到规定等次方可提拔",
            "recent assessments at or above a grade before promotion",
            {"years": int, "min_grade": str},
        ),
    }
)

_CONDITIONS = "《党政领导干部选拔任用工作条例》基本资格条款（2014年文本第八条；2019年文本条号待核）"
_KIN = "《公务员法》(2018) 第七十四条；《党政领导干部任职回避暂行规定》(2006) 第三条"
_KIN_CLASSES = ["spouse", "lineal", "collateral", "in_law"]
_LOCAL = "本地交流工作办法（地方设置）"

# fmt: off
NATIONAL_RULES: tuple[Mapping[str, Any], ...] = (
    {"code": "tenure_10y_exchange", "article": "《党政领导干部交流工作规定》(2006) 第五条", "params": {"years": 10},
     "effective_from": "2006-08-01", "status": "✅", "note": "2006-08 中办印发；日期精确到月"},
    {"code": "term_limit", "article": "《党政领导干部职务任期暂行规定》(2006) 第三条、第六条",
     "params": {"term_years": 5, "max_consecutive_terms": 2}, "effective_from": "2006-08-01", "status": "✅"},
    {"code": "level_tenure_cap", "article": "《党政领导干部职务任期暂行规定》(2006) 第七条",
     "params": {"years": 15}, "effective_from": "2006-08-01", "status": "◐",
     "note": "“15年”见二手摘要，转载原文数字被遮挡"},
    {"code": "promotion_work_years", "article": _CONDITIONS,
     "params": {"years": 5, "min_target_level": "处级副职"}, "effective_from": "2019-03-03", "status": "✅"},
    {"code": "promotion_grassroots", "article": _CONDITIONS,
     "params": {"years": 2, "min_target_level": "处级副职"}, "effective_from": "2019-03-03", "status": "✅"},
    {"code": "promotion_posts_below", "article": _CONDITIONS,
     "params": {"posts": 2, "min_target_level": "处级副职"}, "effective_from": "2019-03-03", "status": "✅"},
    {"code": "promotion_deputy_to_chief", "article": _CONDITIONS, "params": {"years": 2},
     "effective_from": "2019-03-03", "status": "✅"},
    {"code": "promotion_chief_to_upper_deputy", "article": _CONDITIONS, "params": {"years": 3},
     "effective_from": "2019-03-03", "status": "✅"},
    {"code": "no_skip_two_levels", "article": "《党政领导干部选拔任用工作条例》破格提拔条款（条号待核）",
     "params": {"max_step": 2}, "effective_from": "2019-03-03", "status": "✅"},
    {"code": "home_region_avoidance", "article": "《党政领导干部任职回避暂行规定》(2006) 第五条",
     "params": {"unit_types": ["county"], "functions": ["party_committee", "government", "discipline",
                                                        "organisation", "court", "procuratorate",
                                                        "public_security"]},
     "effective_from": "2006-06-10", "status": "✅"},
    {"code": "kinship_avoidance", "article": _KIN,
     "params": {"classes": _KIN_CLASSES, "scopes": ["same_unit", "same_team", "direct_line"]},
     "effective_from": "2006-06-10", "status": "✅"},
    {"code": "kinship_sensitive_function", "article": _KIN,
     "params": {"classes": _KIN_CLASSES, "functions": ["organisation", "personnel", "discipline", "audit",
                                                       "finance"]},
     "effective_from": "2006-06-10", "status": "✅"},
    {"code": "chiefs_not_together", "article": "《党政领导干部选拔任用工作条例》交流条款（2014年文本第五十四条）",
     "params": {"functions": ["party_committee", "government"]}, "effective_from": "2014-01-14",
     "status": "✅", "note": "原文为“一般不”"},
)
# fmt: on

# fmt: off
LOCAL_RULES: tuple[Mapping[str, Any], ...] = (
    {"code": "min_tenure_before_move", "article": _LOCAL + "：任现职不满3年一般不交流", "params": {"years": 3},
     "effective_from": "2024-01-01", "scope": "local", "status": "◐", "note": "参照某地级市办法"},
    {"code": "age_limit", "article": _LOCAL + "：交流对象一般在55岁以下", "params": {"max_age": 55},
     "effective_from": "2024-01-01", "scope": "local", "status": "⚠"},
    {"code": "team_batch_cap", "article": _LOCAL + "：每批交流不超过班子成员的1/3",
     "params": {"numerator": 1, "denominator": 3, "at_least": 1},
     "effective_from": "2024-01-01", "scope": "local", "status": "◐",
     "note": "at_least 使小班子的必须交流不被取整挡住"},
    {"code": "balance_directions", "article": _LOCAL + "：县市与市级部门、中心城区双向交流大体平衡",
     "params": {"max_difference": 5, "max_difference_pct": 10},
     "effective_from": "2024-01-01", "scope": "local", "status": "⚠"},
    {"code": "required_fields", "article": "职位任职条件（岗位说明书）", "params": {},
     "effective_from": "2024-01-01", "scope": "local", "status": "⚠"},
    {"code": "no_demotion", "article": _LOCAL + "：交流为平级或提拔", "params": {},
     "effective_from": "2024-01-01", "scope": "local", "status": "⚠"},
    {"code": "promotion_step", "article": _LOCAL + "：越级提拔须走破格程序，不由交流方案提出",
     "params": {"max_step": 1}, "effective_from": "2024-01-01", "scope": "local", "status": "⚠"},
    {"code": "promotion_assessment", "article": _LOCAL + "：近三年年度考核均为称职以上方可提拔",
     "params": {"years": 3, "min_grade": "称职"}, "effective_from": "2024-01-01", "scope": "local",
     "status": "⚠"},
)
# fmt: on

# Offered but not in the default set: a jurisdiction that wants a floor on city-to-county moves adds it.
# fmt: off
OPTIONAL_RULES: tuple[Mapping[str, Any], ...] = (
    {"code": "balance_county_inflow", "article": _LOCAL + "：市级部门、中心城区到县市的交流不少于30%",
     "params": {"min_share_pct": 30}, "effective_from": "2024-01-01", "scope": "local", "status": "⚠"},
)
# fmt: on


@dataclass(frozen=True)
class Rule:
    """One rule in force from `effective_from` until the day before `effective_to`."""

    code: str
    article: str
    params: Mapping[str, Any]
    effective_from: dt.date
    effective_to: dt.date | None = None
    scope: str = "national"
    status: str = "⚠"
    note: str = ""

    @property
    def title_zh(self) -> str:
        return RULE_CODES[self.code][0]

    @property
    def title_en(self) -> str:
        return RULE_CODES[self.code][1]

    def in_force(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day < self.effective_to)


def _bad(code: str, zh: str, en: str) -> PlanningInputError:
    return PlanningInputError(code, zh, en)


def _date(value: Any, code: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise _bad(
            "rule_date", f"规则 {code} 的日期「{value}」无效", f"Rule {code}: invalid date '{value}'"
        ) from None


def _check_params(code: str, params: Mapping[str, Any]) -> dict[str, Any]:
    spec = RULE_CODES[code][2]
    if set(params) != set(spec):
        raise _bad(
            "rule_params",
            f"规则 {code} 的参数应为：{', '.join(spec) or '无'}，实际为：{', '.join(params) or '无'}",
            f"Rule {code}: parameters must be {', '.join(spec) or 'none'}, got {', '.join(params) or 'none'}",
        )
    out: dict[str, Any] = {}
    for name, kind in spec.items():
        value = params[name]
        ok = isinstance(value, list | tuple) if kind is list else isinstance(value, kind)
        if kind is float:
            ok = isinstance(value, int | float) and not isinstance(value, bool)
        if kind is int:
            ok = isinstance(value, int) and not isinstance(value, bool)
        if not ok or (kind in (int, float) and value < 0):
            raise _bad(
                "rule_params",
                f"规则 {code} 的参数 {name} 应为非负的 {kind.__name__}",
                f"Rule {code}: parameter {name} must be a non-negative {kind.__name__}",
            )
        out[name] = tuple(value) if kind is list else value
    vocab = {"functions": FUNCTIONS, "classes": KINSHIP_CLASSES, "unit_types": UNIT_TYPES}
    for name, table in vocab.items():
        unknown = [v for v in out.get(name, ()) if v not in table]
        if unknown:
            raise _bad(
                "rule_params",
                f"规则 {code} 的参数 {name} 含未知代码：{', '.join(map(str, unknown))}",
                f"Rule {code}: parameter {name} has unknown codes: {', '.join(map(str, unknown))}",
            )
    unknown_scopes = set(out.get("scopes", ())) - {"same_unit", "same_team", "direct_line"}
    if unknown_scopes:
        raise _bad(
            "rule_params",
            f"规则 {code} 的 scopes 含未知值：{', '.join(sorted(unknown_scopes))}",
            f"Rule {code}: unknown scopes {', '.join(sorted(unknown_scopes))}",
        )
    if "min_target_level" in out and out["min_target_level"] not in LEVEL_INDEX:
        raise _bad(
            "rule_params",
            f"规则 {code} 的职级「{out['min_target_level']}」未知",
            f"Rule {code}: unknown level '{out['min_target_level']}'",
        )
    if code == "team_batch_cap" and out["denominator"] == 0:
        raise _bad(
            "rule_params", "规则 team_batch_cap 的分母不能为0", "Rule team_batch_cap: denominator is 0"
        )
    return out


def rule_from_dict(item: Mapping[str, Any]) -> Rule:
    """Build one Rule from its data form, refusing unknown codes, parameters and vocabulary."""
    code = item.get("code")
    if code not in RULE_CODES:
        raise _bad(
            "unknown_rule",
            f"未知的规则代码「{code}」，引擎支持：{', '.join(RULE_CODES)}",
            f"Unknown rule code '{code}'; the engine knows: {', '.join(RULE_CODES)}",
        )
    if not item.get("article"):
        raise _bad("rule_article", f"规则 {code} 缺少出处条款", f"Rule {code} has no source article")
    start = _date(item.get("effective_from"), code)
    if start is None:
        raise _bad("rule_date", f"规则 {code} 缺少生效日期", f"Rule {code} has no effective date")
    return Rule(
        code=code,
        article=str(item["article"]),
        params=MappingProxyType(_check_params(code, item.get("params") or {})),
        effective_from=start,
        effective_to=_date(item.get("effective_to"), code),
        scope=str(item.get("scope", "national")),
        status=str(item.get("status", "⚠")),
        note=str(item.get("note", "")),
    )


@dataclass(frozen=True)
class RuleSet:
    """The rules of one jurisdiction, possibly several dated versions of one code."""

    rules: tuple[Rule, ...] = field(default_factory=tuple)

    @classmethod
    def from_dicts(cls, items: Iterable[Mapping[str, Any]]) -> RuleSet:
        return cls(tuple(rule_from_dict(item) for item in items))

    def active(self, as_of: dt.date) -> Mapping[str, Rule]:
        """The version of each code in force on `as_of`; two versions in force at once is an error."""
        found: dict[str, Rule] = {}
        for rule in self.rules:
            if not rule.in_force(as_of):
                continue
            if rule.code in found:
                raise _bad(
                    "rule_overlap",
                    f"规则 {rule.code} 在 {as_of} 有两个同时生效的版本",
                    f"Rule {rule.code} has two versions in force on {as_of}",
                )
            found[rule.code] = rule
        return MappingProxyType(found)

    def without(self, *codes: str) -> RuleSet:
        return replace(self, rules=tuple(r for r in self.rules if r.code not in codes))

    def with_rules(self, *items: Mapping[str, Any]) -> RuleSet:
        """Add rules given as data, replacing every existing version of the same codes."""
        new = [rule_from_dict(item) for item in items]
        codes = {r.code for r in new}
        return replace(self, rules=tuple(r for r in self.rules if r.code not in codes) + tuple(new))


def default_ruleset() -> RuleSet:
    """The national rules plus the default local settings (min tenure 3 years, age 55, team 1/3, balance)."""
    return RuleSet.from_dicts(NATIONAL_RULES + LOCAL_RULES)
