"""Evaluate one talent application against a county's rule set and the catalogue.

Decision order (every step is reported, so an officer sees why):
1. Each rule of the county set (classes A–C) and of the municipal set (classes D–F: degree and title rules) is
   evaluated: *satisfied* (criteria pass, documents submitted), *needs_documents*, *ambiguous* (a value given
   but unreadable), *needs_evidence* (a field not given) or *failed*.
2. The best class with a satisfied ordinary item is the automatic result, unless something at a *better* class
   is open: an equivalent clause (相当于上述层次的人才) whose rule passes, an ambiguous rule, or a claimed item with
   no rule → `manual_review`; a rule that passes but lacks documents, or a claimed item lacking evidence →
   `incomplete` (the evidence still required is listed). The lower class is reported as `fallback_class`.
3. Nothing satisfied and nothing open → `not_eligible`.
The engine never issues a certificate: the Django layer does, with validity and revocation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .catalogue import COUNTY_CLASSES, Catalogue, CatalogueItem, class_rank
from .decision import (
    _REASONS,
    AMBIGUOUS_RULE,
    CERTIFIED,
    FAILED,
    INCOMPLETE,
    MANUAL_REVIEW,
    NEEDS_DOCUMENTS,
    NEEDS_EVIDENCE,
    NOT_ELIGIBLE,
    SATISFIED,
    ApplicationError,
    Decision,
    QuotaInfo,
    Requirement,
    RuleResult,
)
from .evidence import FAIL, MISSING, PASS, PredicateOutcome, evaluate_node, read_evidence
from .rules import parse_ruleset
from .schema import Rule, RuleProblem, RuleSet, RuleSetError


def _problem(path: str, value: Any, zh: str, en: str, code: str) -> RuleProblem:
    return RuleProblem(path, str(value), zh, en, code)


def _read_application(
    application: dict[str, Any], catalogue: Catalogue
) -> tuple[dict, set, str | None, dt.date | None]:
    problems = []
    evidence = application.get("evidence", {})
    if not isinstance(evidence, dict):
        problems.append(
            _problem("evidence", evidence, "证据应为对象", "evidence must be an object", "type_mismatch")
        )
        evidence = {}
    documents = application.get("documents", [])
    if not isinstance(documents, list | tuple | set) or not all(isinstance(d, str) for d in documents):
        problems.append(
            _problem(
                "documents",
                documents,
                "材料应为代码列表",
                "documents must be a list of codes",
                "type_mismatch",
            )
        )
        documents = []
    claimed = application.get("claimed_item") or None
    if claimed is not None and claimed not in catalogue.items:
        problems.append(
            _problem(
                "claimed_item",
                claimed,
                "目录中没有申请的条目",
                "The claimed item is not in the catalogue",
                "unknown_item",
            )
        )
    as_of = application.get("as_of")
    if isinstance(as_of, str):
        try:
            as_of = dt.date.fromisoformat(as_of)
        except ValueError:
            problems.append(
                _problem("as_of", as_of, "日期格式应为YYYY-MM-DD", "Dates are written YYYY-MM-DD", "bad_date")
            )
            as_of = None
    elif as_of is not None and not isinstance(as_of, dt.date):
        problems.append(_problem("as_of", as_of, "应为日期", "Expected a date", "type_mismatch"))
        as_of = None
    if problems:
        raise ApplicationError(problems)
    return evidence, set(documents), claimed, as_of


def _evaluate_rule(
    rule: Rule, typed: dict, documents: set, catalogue: Catalogue, ruleset: RuleSet
) -> RuleResult:
    trace: list[PredicateOutcome] = []
    outcome = evaluate_node(rule.criteria, typed, catalogue, ruleset.vocabularies, trace)
    missing_docs = tuple(d for d in rule.documents if d not in documents)
    missing_fields = tuple(dict.fromkeys(p.field for p in trace if p.outcome == MISSING))
    if outcome == PASS:
        status = SATISFIED if not missing_docs else NEEDS_DOCUMENTS
    elif outcome == FAIL:
        status = FAILED
    elif outcome == MISSING:
        status = NEEDS_EVIDENCE
    else:
        status = AMBIGUOUS_RULE
    item = catalogue.items[rule.item]
    return RuleResult(
        rule.id,
        rule.ruleset_id,
        rule.item,
        rule.cls,
        item.is_equivalent_clause,
        status,
        tuple(trace),
        missing_fields,
        missing_docs,
    )


def _requirements(result: RuleResult | None, catalogue: Catalogue) -> list[Requirement]:
    if result is None:
        return []
    out = []
    for name in result.missing_fields:
        spec = catalogue.fields[name]
        out.append(Requirement("field", name, spec.zh, spec.en))
    for code in result.missing_documents:
        zh, en = catalogue.document_label(code)
        out.append(Requirement("document", code, zh, en))
    return out


def _quota(ruleset: RuleSet, application: dict, cls: str | None, item: str | None, as_of) -> QuotaInfo | None:
    holders = {("employer", application.get("employer_id")), ("park", application.get("park_id"))}
    for d in ruleset.delegations:
        if (
            d.cls == cls
            and (d.holder_kind, d.holder_id) in holders
            and d.active_on(as_of)
            and (not d.items or item in d.items)
        ):
            return QuotaInfo(d.id, d.holder_kind, d.holder_id, d.holder_name, d.cls, d.quota)
    return None


def _ensure_parsed(ruleset: RuleSet | dict, catalogue: Catalogue) -> RuleSet:
    return ruleset if isinstance(ruleset, RuleSet) else parse_ruleset(ruleset, catalogue)


Blocker = tuple[int, int, str, RuleResult | None, CatalogueItem]  # (class rank, 0 review / 1 incomplete, …)


def _blockers(
    results: list[RuleResult], best_rank: int, claimed: str | None, catalogue: Catalogue, key, warnings: list
) -> list[Blocker]:
    """What is open at a better class than the best automatic result: it stops automatic certification."""
    blockers: list[Blocker] = []
    for r in sorted(results, key=key):
        if class_rank(r.cls) >= best_rank:
            continue
        item = catalogue.items[r.item]
        if r.is_equivalent_clause and r.status in (SATISFIED, NEEDS_DOCUMENTS):
            blockers.append((class_rank(r.cls), 0, "equivalent_clause", r, item))
        elif r.status == AMBIGUOUS_RULE:
            blockers.append((class_rank(r.cls), 0, "ambiguous_evidence", r, item))
        elif r.status == NEEDS_DOCUMENTS:
            blockers.append((class_rank(r.cls), 1, "documents_missing", r, item))
    if claimed is not None:
        item = catalogue.items[claimed]
        claimed_results = [r for r in results if r.item == claimed]
        if class_rank(item.cls) < best_rank and not any(r.status == SATISFIED for r in claimed_results):
            open_results = sorted((r for r in claimed_results if r.status != FAILED), key=key)
            first = open_results[0] if open_results else None
            if item.needs_officer:
                # The rules under an equivalent clause or a class description never cover all of its wording.
                code = (
                    "claimed_equivalent_clause" if item.is_equivalent_clause else "claimed_class_description"
                )
                blockers.append((class_rank(item.cls), 0, code, first, item))
            elif not claimed_results:
                blockers.append((class_rank(item.cls), 0, "claimed_item_without_rule", None, item))
            elif first is not None and first.status == AMBIGUOUS_RULE:
                blockers.append((class_rank(item.cls), 0, "ambiguous_evidence", first, item))
            elif first is not None:
                blockers.append((class_rank(item.cls), 1, "claimed_item_open", first, item))
            else:
                warnings.append(
                    (
                        "claimed_item_not_met",
                        f"申请的条目{claimed}不符合",
                        f"The claimed item {claimed} is not met",
                    )
                )
    return blockers


def evaluate(
    application: dict[str, Any],
    ruleset: RuleSet | dict[str, Any],
    catalogue: Catalogue,
    *,
    municipal: RuleSet | dict[str, Any] | None = None,
) -> Decision:
    """Decide one application: see the module docstring for the order of the steps.

    `ruleset` is the county's (classes A–C); `municipal` holds the city-wide D–F degree/title rules and
    defaults to the shipped set. Raises RuleSetError for an invalid rule set, ApplicationError for bad input.
    """
    county = _ensure_parsed(ruleset, catalogue)
    if county.scope != "county":
        raise RuleSetError(
            [
                _problem(
                    "scope", county.scope, "应提供县市规则集", "A county rule set is expected", "wrong_value"
                )
            ]
        )
    if municipal is None:
        from .shipped import load_municipal_ruleset

        municipal = load_municipal_ruleset(catalogue)
    city = _ensure_parsed(municipal, catalogue)
    evidence, documents, claimed, as_of = _read_application(application, catalogue)
    if application.get("county") and county.county and str(application["county"]) != county.county:
        raise ApplicationError(
            [
                _problem(
                    "county",
                    application["county"],
                    "申请所属县市与规则集不符",
                    "The application belongs to another county's rule set",
                    "wrong_county",
                )
            ]
        )
    if not county.active_on(as_of):
        raise ApplicationError(
            [
                _problem(
                    "as_of",
                    as_of,
                    "该日期规则集未生效",
                    "The rule set is not in force on that date",
                    "not_in_force",
                )
            ]
        )

    warnings: list[tuple[str, str, str]] = []
    typed = read_evidence(evidence, catalogue, county.vocabularies, warnings)
    for doc in sorted(documents - set(county.vocabularies["documents"].codes)):
        warnings.append(("unknown_document", f"未知的材料类型：{doc}", f"Unknown document kind: {doc}"))
    # Counties decide A–C; classes D–F are decided city-wide by degree and title (the policy).
    rules = list(county.rules) + [r for r in city.rules if r.cls not in COUNTY_CLASSES]
    results = [_evaluate_rule(r, typed, documents, catalogue, county) for r in rules]
    order = {id(r): i for i, r in enumerate(results)}

    def key(r: RuleResult) -> tuple[int, int]:
        return class_rank(r.cls), order[id(r)]

    satisfied = sorted((r for r in results if r.status == SATISFIED and not r.is_equivalent_clause), key=key)
    best = satisfied[0] if satisfied else None
    best_rank = class_rank(best.cls) if best else len(COUNTY_CLASSES) + 10
    decision = Decision(NOT_ELIGIBLE, rules=results, warnings=warnings)

    blockers = _blockers(results, best_rank, claimed, catalogue, key, warnings)
    if blockers:
        rank, kind, code, result, item = min(blockers, key=lambda b: (b[0], b[1]))
        decision.decision = MANUAL_REVIEW if kind == 0 else INCOMPLETE
        decision.candidate_class = item.cls
        decision.fallback_class = best.cls if best else None
        decision.item = item
        decision.reasons.append((code, *_REASONS[code]))
        if best:
            decision.reasons.append(
                (
                    "fallback",
                    f"如不予认定为{item.cls}类，可按{best.cls}类认定（规则{best.rule_id}）",
                    f"If class {item.cls} is not granted, class {best.cls} applies (rule {best.rule_id})",
                )
            )
        chosen = result
    elif best is not None:
        decision.decision = CERTIFIED
        decision.certified_class = best.cls
        decision.item = catalogue.items[best.item]
        decision.reasons.append(
            (
                "rule_met",
                f"符合目录条目{best.item}（规则{best.rule_id}）",
                f"Meets catalogue item {best.item} (rule {best.rule_id})",
            )
        )
        chosen = best
    else:
        decision.reasons.append(("no_rule_met", "没有符合的认定规则", "No certification rule is met"))
        chosen = None
    if chosen is not None:
        decision.rule_id, decision.ruleset_id = chosen.rule_id, chosen.ruleset_id
        decision.predicates = list(chosen.predicates)
    decision.evidence_required = _requirements(chosen, catalogue)
    for p in decision.predicates:
        if p.outcome == "ambiguous":
            spec = catalogue.fields[p.field]
            raw = p.actual.get("unreadable") if isinstance(p.actual, dict) else p.actual
            decision.reasons.append(
                (
                    "unreadable_value",
                    f"“{spec.zh}”的值“{raw}”无法识别",
                    f"The value '{raw}' of {spec.en} cannot be read",
                )
            )
            decision.evidence_required.append(Requirement("clarify", p.field, spec.zh, spec.en))
    cls = decision.certified_class or decision.candidate_class
    decision.quota = _quota(county, application, cls, decision.item.key if decision.item else None, as_of)
    return decision
