"""Parsing and validation of county rule sets (the JSON shape is described in `schema`).

Validation collects every problem (unknown field, wrong operator, type mismatch, unknown code or item, class
outside the county's power) and raises one `RuleSetError` listing them all in Chinese and English.
"""

from __future__ import annotations

from typing import Any

from .catalogue import COUNTY_CLASSES, Catalogue, Vocabulary
from .delegations import parse_delegation
from .schema import (
    LIST_OPS,
    OPERATORS,
    QUALIFIERS,
    SCOPES,
    Collector,
    Combinator,
    Node,
    Predicate,
    Rule,
    RuleProblem,
    RuleSet,
    RuleSetError,
    parse_date,
    short,
)

__all__ = ["RuleProblem", "RuleSet", "RuleSetError", "parse_ruleset", "validate_ruleset"]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _vocabularies(data: dict[str, Any], catalogue: Catalogue, out: Collector) -> dict[str, Vocabulary]:
    vocabularies = dict(catalogue.vocabularies)
    extra = data.get("codes") or {}
    if not isinstance(extra, dict):
        out.add("codes", extra, "codes应为对象", "codes must be an object", "type_mismatch")
        return vocabularies
    for name, codes in extra.items():
        path = f"codes.{name}"
        if name not in vocabularies:
            out.add(path, name, "未知代码表", "Unknown code list", "unknown_vocabulary")
        elif vocabularies[name].ordered:
            out.add(
                path, name, "等级代码表不能由县市扩充", "A ranked scale cannot be extended locally", "ordered"
            )
        elif not isinstance(codes, dict) or not all(
            isinstance(v, dict) and v.get("zh") and v.get("en") for v in codes.values()
        ):
            out.add(
                path, codes, "每个代码须有zh和en名称", "Each code needs a zh and an en label", "type_mismatch"
            )
        else:
            vocabularies[name] = vocabularies[name].extended(codes)
    return vocabularies


def _codes(value: Any, vocab: Vocabulary, path: str, out: Collector) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        out.add(path, value, "应为非空的代码列表", "Expected a non-empty list of codes", "type_mismatch")
        return None
    unknown = [v for v in value if v not in vocab.codes]
    if unknown:
        out.add(
            path,
            unknown,
            f"代码表{vocab.name}中没有这些代码",
            f"Codes not in list {vocab.name}",
            "unknown_code",
        )
        return None
    return tuple(value)


def _predicate_value(spec, op: str, value: Any, vocab, path: str, out: Collector) -> Any:
    if spec.type in ("number", "integer"):
        if op == "between":
            ok = isinstance(value, list) and len(value) == 2 and all(_is_number(v) for v in value)
            if not ok or value[0] > value[1]:
                out.add(
                    path,
                    value,
                    "between需要[下限, 上限]两个数字",
                    "between needs [low, high] numbers",
                    "type_mismatch",
                )
                return None
            return (float(value[0]), float(value[1]))
        if not _is_number(value):
            # A number written as text ("9000") is refused: text comparison would rank "12" below "9".
            out.add(
                path,
                value,
                f"{spec.zh}应与数字比较",
                f"{spec.en} must be compared with a number",
                "type_mismatch",
            )
            return None
        return float(value)
    if op in LIST_OPS:
        return _codes(value, vocab, path, out)
    if not isinstance(value, str) or value not in vocab.codes:
        out.add(
            path, value, f"代码表{vocab.name}中没有此代码", f"Not a code of list {vocab.name}", "unknown_code"
        )
        return None
    return value


def _predicate(node: dict[str, Any], path: str, ctx, out: Collector) -> Predicate | None:
    catalogue, vocabularies = ctx
    name = node.get("field")
    allowed_keys = {"field", "op", "value", *QUALIFIERS}
    for key in node:
        if key not in allowed_keys:
            out.add(f"{path}.{key}", key, "未知的条件属性", "Unknown predicate key", "unknown_key")
    spec = catalogue.fields.get(name) if isinstance(name, str) else None
    if spec is None:
        known = ", ".join(catalogue.fields)
        out.add(
            f"{path}.field",
            name,
            f"未知的证据字段（可用：{known}）",
            f"Unknown evidence field (known: {known})",
            "unknown_field",
        )
        return None
    op = node.get("op")
    if op not in OPERATORS[spec.type]:
        ops = " ".join(sorted(OPERATORS[spec.type]))
        out.add(
            f"{path}.op",
            op,
            f"{spec.zh}不能用此运算符（可用：{ops}）",
            f"Operator not valid for {spec.en} (valid: {ops})",
            "wrong_operator",
        )
        return None
    if "value" not in node:
        out.add(f"{path}.value", None, "缺少比较值", "The value to compare with is missing", "missing")
        return None
    vocab = vocabularies.get(spec.vocabulary) if spec.vocabulary else None
    value = _predicate_value(spec, op, node["value"], vocab, f"{path}.value", out)
    qualifiers: dict[str, int] = {}
    for key in QUALIFIERS:
        if key in node:
            if not spec.qualified:
                out.add(
                    f"{path}.{key}",
                    key,
                    f"{spec.zh}不带名次或年份",
                    f"{spec.en} has no rank or year",
                    "wrong_operator",
                )
            elif not isinstance(node[key], int) or isinstance(node[key], bool) or node[key] < 0:
                out.add(
                    f"{path}.{key}",
                    node[key],
                    "应为非负整数",
                    "Expected a non-negative integer",
                    "type_mismatch",
                )
            else:
                qualifiers[key] = node[key]
    if value is None:
        return None
    return Predicate(field=name, op=op, value=value, path=path, **qualifiers)


def _node(node: Any, path: str, ctx, out: Collector) -> Node | None:
    if not isinstance(node, dict):
        out.add(path, node, "条件应为对象", "A criterion must be an object", "type_mismatch")
        return None
    combinators = [k for k in ("all", "any") if k in node]
    if combinators:
        kind = combinators[0]
        if len(node) != 1:
            out.add(
                path,
                list(node),
                "all/any须单独成一个对象",
                "all/any must stand alone in its object",
                "type_mismatch",
            )
        children = node[kind]
        if not isinstance(children, list) or not children:
            out.add(f"{path}.{kind}", children, "应为非空列表", "Expected a non-empty list", "type_mismatch")
            return None
        parsed = [_node(child, f"{path}.{kind}[{i}]", ctx, out) for i, child in enumerate(children)]
        if any(p is None for p in parsed):
            return None
        return Combinator(kind, tuple(p for p in parsed if p is not None), path)
    return _predicate(node, path, ctx, out)


def _rule(row: Any, path: str, ctx, data: dict[str, Any], out: Collector) -> Rule | None:
    catalogue, vocabularies = ctx
    if not isinstance(row, dict):
        out.add(path, row, "规则应为对象", "A rule must be an object", "type_mismatch")
        return None
    rule_id = row.get("id")
    if not isinstance(rule_id, str) or not rule_id:
        out.add(f"{path}.id", rule_id, "规则须有编号", "A rule needs an id", "missing")
    item = catalogue.items.get(row.get("item")) if isinstance(row.get("item"), str) else None
    if item is None:
        out.add(
            f"{path}.item",
            row.get("item"),
            f"{catalogue.version}版目录中没有此条目",
            f"No such item in catalogue {catalogue.version}",
            "unknown_item",
        )
    elif data.get("scope") == "county" and item.cls not in COUNTY_CLASSES:
        out.add(
            f"{path}.item",
            item.key,
            "县市只能认定A–C类人才",
            "A county may only certify classes A to C",
            "class_not_delegated",
        )
    criteria = _node(row.get("criteria"), f"{path}.criteria", ctx, out) if "criteria" in row else None
    if "criteria" not in row:
        out.add(f"{path}.criteria", None, "规则须有条件", "A rule needs criteria", "missing")
    documents = row.get("documents", [])
    doc_vocab = vocabularies["documents"]
    if not isinstance(documents, list) or not all(isinstance(d, str) for d in documents):
        out.add(
            f"{path}.documents",
            documents,
            "应为材料代码列表",
            "Expected a list of document codes",
            "type_mismatch",
        )
        documents = []
    for doc in documents:
        if doc not in doc_vocab.codes:
            out.add(f"{path}.documents", doc, "未知的证明材料", "Unknown document kind", "unknown_code")
    if item is None or criteria is None or not isinstance(rule_id, str) or not rule_id:
        return None
    return Rule(
        rule_id,
        item.key,
        item.cls,
        criteria,
        tuple(documents),
        str(data.get("id", "")),
        str(row.get("note", "")),
    )


def parse_ruleset(data: dict[str, Any], catalogue: Catalogue) -> RuleSet:
    """Validate a rule set against a catalogue and return it parsed; raise RuleSetError listing every problem."""
    out = Collector()
    if not isinstance(data, dict):
        raise RuleSetError(
            [RuleProblem("", short(data), "规则集应为对象", "A rule set must be an object", "type_mismatch")]
        )
    if not isinstance(data.get("id"), str) or not data.get("id"):
        out.add("id", data.get("id"), "规则集须有编号", "A rule set needs an id", "missing")
    scope = data.get("scope", "county")
    if scope not in SCOPES:
        out.add(
            "scope", scope, "范围应为county或municipal", "The scope is county or municipal", "wrong_value"
        )
    if scope == "county" and not data.get("county"):
        out.add(
            "county",
            data.get("county"),
            "县市规则集须写明县市代码",
            "A county rule set needs its county code",
            "missing",
        )
    if str(data.get("catalogue_version")) != catalogue.version:
        out.add(
            "catalogue_version",
            data.get("catalogue_version"),
            f"规则集对应的目录版本与{catalogue.version}版不符",
            f"The rule set is not written for catalogue {catalogue.version}",
            "version_mismatch",
        )
    start = parse_date(data.get("valid_from"), "valid_from", out)
    end = parse_date(data.get("valid_to"), "valid_to", out)
    if start and end and end <= start:
        out.add(
            "valid_to",
            data.get("valid_to"),
            "截止日期应晚于开始日期",
            "The end must be after the start",
            "bad_window",
        )
    vocabularies = _vocabularies(data, catalogue, out)
    ctx = (catalogue, vocabularies)
    rows = data.get("rules")
    if not isinstance(rows, list):
        out.add("rules", rows, "rules应为列表", "rules must be a list", "type_mismatch")
        rows = []
    rules = [_rule(row, f"rules[{i}]", ctx, {**data, "scope": scope}, out) for i, row in enumerate(rows)]
    seen: set[str] = set()
    for i, row in enumerate(rows):
        rule_id = row.get("id") if isinstance(row, dict) else None
        if isinstance(rule_id, str) and rule_id in seen:
            out.add(f"rules[{i}].id", rule_id, "规则编号重复", "Duplicate rule id", "duplicate")
        if isinstance(rule_id, str):
            seen.add(rule_id)
    raw_delegations = data.get("delegations") or []
    if not isinstance(raw_delegations, list):
        out.add(
            "delegations",
            raw_delegations,
            "delegations应为列表",
            "delegations must be a list",
            "type_mismatch",
        )
        raw_delegations = []
    if raw_delegations and scope != "county":
        out.add(
            "delegations",
            "…",
            "只有县市规则集可授权自主认定",
            "Only a county rule set delegates self-certification",
            "wrong_value",
        )
    delegations = [
        parse_delegation(row, f"delegations[{i}]", catalogue, out) for i, row in enumerate(raw_delegations)
    ]
    if out.problems:
        raise RuleSetError(out.problems)
    return RuleSet(
        id=data["id"],
        scope=scope,
        county=data.get("county"),
        catalogue_version=catalogue.version,
        rules=tuple(r for r in rules if r is not None),
        delegations=tuple(d for d in delegations if d is not None),
        vocabularies=vocabularies,
        valid_from=start,
        valid_to=end,
        version=int(data.get("version", 1)),
        source=str(data.get("source", "")),
        raw=data,
    )


def validate_ruleset(data: dict[str, Any], catalogue: Catalogue) -> list[RuleProblem]:
    """Every problem of a rule set, or an empty list (for an editor's "check" button)."""
    try:
        parse_ruleset(data, catalogue)
    except RuleSetError as exc:
        return exc.problems
    return []
