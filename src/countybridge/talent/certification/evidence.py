"""Typed reading of an application's evidence and three-valued evaluation of rule criteria.

Evidence arrives from forms as text. Every value is converted to its field's type before comparing, so an
income of "120000" is the number 120000 (never the text, which would rank below "9000"). A value that cannot be
read ("约30万", "博士在读") is *ambiguous*, a value not given is *missing*; both leave a predicate undecided and
an undecided rule is never certified automatically.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from .catalogue import Catalogue, EvidenceField, Vocabulary
from .rules import Combinator, Node, Predicate

PASS, FAIL, MISSING, AMBIGUOUS = "pass", "fail", "missing", "ambiguous"

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_UNITS = {"万": 10_000, "亿": 100_000_000}
_NOISE = str.maketrans("", "", ",，  _")


class Ambiguous:
    """A value that was given but cannot be read as the field's type; keeps the original for display."""

    def __init__(self, raw: Any, reason_zh: str, reason_en: str):
        self.raw, self.reason_zh, self.reason_en = raw, reason_zh, reason_en

    def __repr__(self) -> str:
        return f"Ambiguous({self.raw!r})"


@dataclass(frozen=True)
class Entry:
    """One member of a multi-valued field; awards may carry the completer rank and the year."""

    code: str
    rank: int | None = None
    year: int | None = None
    unreadable: bool = False  # a rank or year was given but cannot be read


def parse_number(value: Any, *, integer: bool = False) -> float | int | Ambiguous:
    if isinstance(value, bool):
        return Ambiguous(value, "应为数字", "Expected a number")
    if isinstance(value, int | float):
        number: float = float(value)
    else:
        text = str(value).strip().translate(_NOISE)
        for token in ("元", "¥", "￥", "RMB", "CNY", "岁", "年"):
            text = text.replace(token, "")
        factor = 1
        if text and text[-1] in _UNITS:
            factor, text = _UNITS[text[-1]], text[:-1]
        if not _NUMBER.match(text):
            return Ambiguous(value, "无法识别为数字", "Cannot be read as a number")
        number = float(text) * factor
    if math.isnan(number) or math.isinf(number):
        return Ambiguous(value, "无法识别为数字", "Cannot be read as a number")
    if integer:
        if number != int(number):
            return Ambiguous(value, "应为整数", "Expected a whole number")
        return int(number)
    return number


def _small_int(value: Any) -> int | None | Ambiguous:
    if value in (None, ""):
        return None
    parsed = parse_number(value, integer=True)
    return parsed if not isinstance(parsed, Ambiguous) else Ambiguous(value, "", "")


def read_value(spec: EvidenceField, vocab: Vocabulary | None, raw: Any, warnings: list) -> Any:
    """The typed value of one evidence field: None when missing, Ambiguous when unreadable."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if spec.type in ("number", "integer"):
        return parse_number(raw, integer=spec.type == "integer")
    assert vocab is not None
    if spec.type in ("ordinal", "code"):
        if not isinstance(raw, str):
            return Ambiguous(raw, "应为文字代码", "Expected a code")
        code = vocab.normalise(raw)
        return (
            code
            if code is not None
            else Ambiguous(raw, f"不在代码表{vocab.name}中", f"Not in list {vocab.name}")
        )
    entries: list[Entry] = []
    for item in raw if isinstance(raw, list | tuple) else [raw]:
        given = item.get("code") if isinstance(item, dict) else item
        code = vocab.normalise(given) if isinstance(given, str) else None
        if code is None:
            # An unrecognised award or programme is shown to the officer but does not make every rule undecided.
            warnings.append(
                (
                    "unrecognised_code",
                    f"{spec.zh}中未识别的值：{given}",
                    f"Unrecognised {spec.en} value: {given}",
                )
            )
            continue
        rank = _small_int(item.get("rank")) if isinstance(item, dict) else None
        year = _small_int(item.get("year")) if isinstance(item, dict) else None
        unreadable = isinstance(rank, Ambiguous) or isinstance(year, Ambiguous)
        entries.append(
            Entry(
                code,
                None if isinstance(rank, Ambiguous) else rank,
                None if isinstance(year, Ambiguous) else year,
                unreadable,
            )
        )
    return tuple(entries)


def read_evidence(
    evidence: dict[str, Any], catalogue: Catalogue, vocabularies: dict[str, Vocabulary], warnings: list
) -> dict[str, Any]:
    typed: dict[str, Any] = {}
    for name, raw in evidence.items():
        spec = catalogue.fields.get(name)
        if spec is None:
            warnings.append(
                (
                    "unknown_evidence_field",
                    f"未知的证据字段已忽略：{name}",
                    f"Unknown evidence field ignored: {name}",
                )
            )
            continue
        vocab = vocabularies.get(spec.vocabulary) if spec.vocabulary else None
        typed[name] = read_value(spec, vocab, raw, warnings)
    return typed


@dataclass(frozen=True)
class PredicateOutcome:
    path: str
    field: str
    op: str
    expected: Any
    actual: Any
    outcome: str
    qualifiers: tuple[tuple[str, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "field": self.field,
            "op": self.op,
            "expected": self.expected,
            "qualifiers": dict(self.qualifiers),
            "actual": self.actual,
            "outcome": self.outcome,
        }


def _compare(op: str, left: float, right: Any) -> bool:
    if op == "between":
        return right[0] <= left <= right[1]
    return {
        ">=": left >= right,
        ">": left > right,
        "<=": left <= right,
        "<": left < right,
        "==": left == right,
    }[op]


def _entry_state(pred: Predicate, entry: Entry) -> str:
    """Whether one award entry meets the predicate's rank and year qualifiers."""
    checks = []
    if pred.rank_min is not None or pred.rank_max is not None:
        if entry.rank is None:
            return AMBIGUOUS if entry.unreadable else MISSING
        checks.append(
            (pred.rank_min or 0) <= entry.rank <= (pred.rank_max if pred.rank_max is not None else 10**9)
        )
    if pred.year_min is not None:
        if entry.year is None:
            return AMBIGUOUS if entry.unreadable else MISSING
        checks.append(entry.year >= pred.year_min)
    return PASS if all(checks) else FAIL


def _code_set(pred: Predicate, entries: tuple[Entry, ...]) -> str:
    wanted = set(pred.value)
    states: dict[str, list[str]] = {code: [] for code in wanted}
    for entry in entries:
        if entry.code in wanted:
            states[entry.code].append(_entry_state(pred, entry))

    def best(code: str) -> str:
        found = states[code]
        if PASS in found:
            return PASS
        for state in (AMBIGUOUS, MISSING):
            if state in found:
                return state
        return FAIL

    per_code = [best(code) for code in wanted]
    if pred.op == "any_in":
        return _any(per_code)
    if pred.op == "all_in":
        return _all(per_code)
    negated = {PASS: FAIL, FAIL: PASS}
    return negated.get(_any(per_code), _any(per_code))  # none_in


def _all(outcomes: list[str]) -> str:
    for state in (FAIL, AMBIGUOUS, MISSING):
        if state in outcomes:
            return state
    return PASS


def _any(outcomes: list[str]) -> str:
    for state in (PASS, AMBIGUOUS, MISSING):
        if state in outcomes:
            return state
    return FAIL


def _display(value: Any) -> Any:
    if isinstance(value, Ambiguous):
        return {"unreadable": str(value.raw)}
    if isinstance(value, tuple) and value and isinstance(value[0], Entry):
        return [{"code": e.code, "rank": e.rank, "year": e.year} for e in value]
    if isinstance(value, tuple):
        return list(value)
    return value


def evaluate_predicate(
    pred: Predicate, typed: dict[str, Any], vocabularies: dict[str, Vocabulary], spec: EvidenceField
) -> str:
    value = typed.get(pred.field)
    if value is None:
        return MISSING
    if isinstance(value, Ambiguous):
        return AMBIGUOUS
    if spec.type in ("number", "integer"):
        return PASS if _compare(pred.op, float(value), pred.value) else FAIL
    if spec.type == "code_set":
        return _code_set(pred, value)
    if pred.op == "in":
        return PASS if value in pred.value else FAIL
    if pred.op == "not_in":
        return PASS if value not in pred.value else FAIL
    if spec.type == "ordinal":
        vocab = vocabularies[spec.vocabulary or ""]
        return PASS if _compare(pred.op, vocab.rank(value), vocab.rank(pred.value)) else FAIL
    return PASS if value == pred.value else FAIL


def evaluate_node(
    node: Node,
    typed: dict[str, Any],
    catalogue: Catalogue,
    vocabularies: dict[str, Vocabulary],
    trace: list[PredicateOutcome],
) -> str:
    """Three-valued: all = fail if any fails, else undecided if any is; any = pass if any passes."""
    if isinstance(node, Combinator):
        outcomes = [evaluate_node(child, typed, catalogue, vocabularies, trace) for child in node.children]
        return _all(outcomes) if node.kind == "all" else _any(outcomes)
    spec = catalogue.fields[node.field]
    outcome = evaluate_predicate(node, typed, vocabularies, spec)
    expected: Any = list(node.value) if isinstance(node.value, tuple) else node.value
    qualifiers = tuple(
        (key, getattr(node, key))
        for key in ("rank_min", "rank_max", "year_min")
        if getattr(node, key) is not None
    )
    actual = _display(typed.get(node.field))
    trace.append(PredicateOutcome(node.path, node.field, node.op, expected, actual, outcome, qualifiers))
    return outcome
