"""Results of a certification evaluation: the decision, each rule's outcome, evidence still required."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .catalogue import CatalogueItem
from .evidence import PredicateOutcome
from .schema import RuleProblem

CERTIFIED, MANUAL_REVIEW, INCOMPLETE, NOT_ELIGIBLE = (
    "certified",
    "manual_review",
    "incomplete",
    "not_eligible",
)
SATISFIED, NEEDS_DOCUMENTS, AMBIGUOUS_RULE, NEEDS_EVIDENCE, FAILED = (
    "satisfied",
    "needs_documents",
    "ambiguous",
    "needs_evidence",
    "failed",
)


class ApplicationError(ValueError):
    """An application that cannot be evaluated (wrong shape, wrong county, rule set not in force)."""

    def __init__(self, problems: list[RuleProblem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.field}: {p.message_zh} / {p.message_en}" for p in problems))


@dataclass(frozen=True)
class Requirement:
    kind: str  # "field" (not given), "document" (not submitted) or "clarify" (given but unreadable)
    code: str
    zh: str
    en: str


@dataclass(frozen=True)
class RuleResult:
    rule_id: str
    ruleset_id: str
    item: str
    cls: str
    is_equivalent_clause: bool
    status: str
    predicates: tuple[PredicateOutcome, ...]
    missing_fields: tuple[str, ...]
    missing_documents: tuple[str, ...]


@dataclass(frozen=True)
class QuotaInfo:
    delegation_id: str
    holder_kind: str
    holder_id: str
    holder_name: str
    cls: str
    quota: int


@dataclass
class Decision:
    decision: str
    certified_class: str | None = None
    candidate_class: str | None = None
    fallback_class: str | None = None
    item: CatalogueItem | None = None
    rule_id: str | None = None
    ruleset_id: str | None = None
    reasons: list[tuple[str, str, str]] = field(default_factory=list)  # (code, zh, en)
    predicates: list[PredicateOutcome] = field(default_factory=list)
    evidence_required: list[Requirement] = field(default_factory=list)
    quota: QuotaInfo | None = None
    rules: list[RuleResult] = field(default_factory=list)
    warnings: list[tuple[str, str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form, stored with the application so the decision can be shown later as it was made."""
        return {
            "decision": self.decision,
            "certified_class": self.certified_class,
            "candidate_class": self.candidate_class,
            "fallback_class": self.fallback_class,
            "item": self.item.to_dict() if self.item else None,
            "rule_id": self.rule_id,
            "ruleset_id": self.ruleset_id,
            "reasons": [{"code": c, "zh": zh, "en": en} for c, zh, en in self.reasons],
            "predicates": [p.to_dict() for p in self.predicates],
            "evidence_required": [r.__dict__ for r in self.evidence_required],
            "quota": self.quota.__dict__ if self.quota else None,
            "rules": [
                {
                    "rule_id": r.rule_id,
                    "ruleset_id": r.ruleset_id,
                    "item": r.item,
                    "class": r.cls,
                    "status": r.status,
                    "missing_fields": list(r.missing_fields),
                    "missing_documents": list(r.missing_documents),
                }
                for r in self.rules
            ],
            "warnings": [{"code": c, "zh": zh, "en": en} for c, zh, en in self.warnings],
        }


_REASONS = {
    "equivalent_clause": (
        "仅“相当于上述层次的人才”条款可能适用，须由认定部门人工审核",
        "Only an 'equivalent to the above' clause could apply; an officer must review",
    ),
    "ambiguous_evidence": (
        "证据的值无法识别，须人工审核",
        "Some evidence cannot be read; an officer must review",
    ),
    "documents_missing": (
        "条件已满足，但证明材料不全",
        "The criteria are met but supporting documents are missing",
    ),
    "claimed_equivalent_clause": (
        "申请按“相当于上述层次的人才”认定，须人工审核",
        "The application claims the 'equivalent' clause; an officer must review",
    ),
    "claimed_class_description": (
        "申请的类别只有类别描述、没有认定规则，须人工审核",
        "The claimed class has only its description and no rule; an officer must review",
    ),
    "claimed_item_without_rule": (
        "本县市规则集未覆盖申请的条目，须人工审核",
        "The county's rule set has no rule for the claimed item; an officer must review",
    ),
    "claimed_item_open": ("申请的条目尚缺证据", "The claimed item still lacks evidence"),
}
