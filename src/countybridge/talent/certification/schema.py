"""County rule sets as data: the JSON shape and its parsed form.

A rule set is plain JSON that a county edits without code:

    {"id": "510185-2023-v1", "scope": "county", "county": "510185", "catalogue_version": "2023",
     "valid_from": "2024-01-01", "valid_to": null,           # valid_to is exclusive
     "codes": {"awards": {"local_award": {"zh": "…", "en": "…"}}},   # optional local codes
     "rules": [{"id": "JY-B-07", "item": "2023-B-sci_tech-07",
                "criteria": {"any": [{"field": "awards", "op": "any_in", "value": ["natural_science_1st"],
                                      "rank_min": 2, "rank_max": 5},
                                     {"field": "annual_income", "op": ">=", "value": 300000}]},
                "documents": ["award_certificate"]}],
     "delegations": [{"id": "…", "holder_kind": "park", "holder_id": "…", "class": "C", "quota": 5}]}

Validation collects every problem (unknown field, wrong operator, type mismatch, unknown code or item, class
outside the county's power) and raises one `RuleSetError` listing them all in Chinese and English.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .catalogue import Vocabulary

OPERATORS: dict[str, frozenset[str]] = {
    "ordinal": frozenset({">=", ">", "<=", "<", "==", "in"}),
    "code": frozenset({"==", "in", "not_in"}),
    "code_set": frozenset({"any_in", "all_in", "none_in"}),
    "number": frozenset({">=", ">", "<=", "<", "==", "between"}),
    "integer": frozenset({">=", ">", "<=", "<", "==", "between"}),
}
LIST_OPS = frozenset({"in", "not_in", "any_in", "all_in", "none_in"})
QUALIFIERS = ("rank_min", "rank_max", "year_min")
SCOPES = ("county", "municipal")
HOLDER_KINDS = ("employer", "park")


@dataclass(frozen=True)
class RuleProblem:
    """One problem in a rule set; the shape matches core's FieldProblem so services can pass it on."""

    field: str
    value: str
    message_zh: str
    message_en: str
    code: str = "invalid"


class RuleSetError(ValueError):
    """A rule set that cannot be used; lists every problem found, in Chinese and English."""

    def __init__(self, problems: list[RuleProblem]):
        self.problems = problems
        lines = [f"{p.field}: {p.message_zh} / {p.message_en}" for p in problems]
        super().__init__(
            f"规则集有{len(problems)}处错误 / Rule set has {len(problems)} problem(s):\n" + "\n".join(lines)
        )


@dataclass(frozen=True)
class Predicate:
    field: str
    op: str
    value: Any  # typed: code, tuple of codes, float, or (low, high)
    path: str
    rank_min: int | None = None
    rank_max: int | None = None
    year_min: int | None = None


@dataclass(frozen=True)
class Combinator:
    kind: str  # "all" or "any"
    children: tuple[Predicate | Combinator, ...]
    path: str


Node = Predicate | Combinator


@dataclass(frozen=True)
class Rule:
    id: str
    item: str
    cls: str
    criteria: Node
    documents: tuple[str, ...]
    ruleset_id: str
    note: str = ""


@dataclass(frozen=True)
class Delegation:
    """Self-certification of class C granted to an employer or a park, with a quota of certificates."""

    id: str
    holder_kind: str
    holder_id: str
    cls: str
    quota: int
    holder_name: str = ""
    items: tuple[str, ...] = ()  # empty: every item of the class
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None  # exclusive

    def active_on(self, day: dt.date | None) -> bool:
        return day is None or (
            (self.valid_from is None or self.valid_from <= day)
            and (self.valid_to is None or day < self.valid_to)
        )


@dataclass(frozen=True)
class RuleSet:
    id: str
    scope: str
    county: str | None
    catalogue_version: str
    rules: tuple[Rule, ...]
    delegations: tuple[Delegation, ...]
    vocabularies: dict[str, Vocabulary]
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    version: int = 1
    source: str = ""
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def active_on(self, day: dt.date | None) -> bool:
        return day is None or (
            (self.valid_from is None or self.valid_from <= day)
            and (self.valid_to is None or day < self.valid_to)
        )


class Collector:
    """Gathers every problem of a rule set so that one error lists them all."""

    def __init__(self) -> None:
        self.problems: list[RuleProblem] = []

    def add(self, path: str, value: Any, zh: str, en: str, code: str) -> None:
        self.problems.append(RuleProblem(path, short(value), zh, en, code))


def short(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def parse_date(value: Any, path: str, out: Collector) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        out.add(path, value, "日期格式应为YYYY-MM-DD", "Dates are written YYYY-MM-DD", "bad_date")
        return None
