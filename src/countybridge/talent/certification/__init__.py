"""Talent certification rule engine (issue #3 item 1): pure, no Django.

catalogue = load_catalogue("2023")
ruleset = parse_ruleset(county_json, catalogue)        # raises RuleSetError listing every problem
decision = evaluate(application, ruleset, catalogue)  # certified / manual_review / incomplete / not_eligible
"""

from .catalogue import (
    CLASSES,
    COUNTY_CLASSES,
    DELEGABLE_CLASSES,
    Catalogue,
    CatalogueItem,
    EvidenceField,
    catalogue_from_dict,
    class_rank,
    load_catalogue,
)
from .decision import (
    CERTIFIED,
    INCOMPLETE,
    MANUAL_REVIEW,
    NOT_ELIGIBLE,
    ApplicationError,
    Decision,
    QuotaInfo,
    Requirement,
    RuleResult,
)
from .engine import evaluate
from .evidence import PredicateOutcome
from .rules import parse_ruleset, validate_ruleset
from .schema import Delegation, Rule, RuleProblem, RuleSet, RuleSetError
from .shipped import load_county_rulesets, load_municipal_ruleset, shipped_ruleset_data

__all__ = [
    "CERTIFIED",
    "CLASSES",
    "COUNTY_CLASSES",
    "DELEGABLE_CLASSES",
    "INCOMPLETE",
    "MANUAL_REVIEW",
    "NOT_ELIGIBLE",
    "ApplicationError",
    "Catalogue",
    "CatalogueItem",
    "Decision",
    "Delegation",
    "EvidenceField",
    "PredicateOutcome",
    "QuotaInfo",
    "Requirement",
    "Rule",
    "RuleProblem",
    "RuleResult",
    "RuleSet",
    "RuleSetError",
    "catalogue_from_dict",
    "class_rank",
    "evaluate",
    "load_catalogue",
    "load_county_rulesets",
    "load_municipal_ruleset",
    "parse_ruleset",
    "shipped_ruleset_data",
    "validate_ruleset",
]
