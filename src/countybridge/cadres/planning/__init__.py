"""Cadre-exchange planning (干部交流方案): pure computation, no Django.

    from countybridge.cadres.planning import plan_exchange, check_plan, default_ruleset
    result = plan_exchange(cadres, positions, default_ruleset(), as_of=date(2025, 3, 1), time_limit_s=30)
    result.moves, result.objective, result.best_bound, result.gap, result.check.violations

Inputs are `Cadre` and `Position` dataclasses; rules are data (`RuleSet.from_dicts`), each with its
article and effective dates. Bad input raises `PlanningInputError`, a ValueError in Chinese and English.
"""

from .checker import check_plan
from .eligibility import Finding
from .explain import explain_pair
from .fit import FitWeights
from .model import (
    ASSESSMENT_SCORES,
    FUNCTIONS,
    KINSHIP,
    KINSHIP_CLASSES,
    LEVELS,
    UNIT_TYPES,
    Cadre,
    CurrentPost,
    PlanningInputError,
    Position,
)
from .results import CheckReport, Move, MustMove, PlanResult
from .rules import LOCAL_RULES, NATIONAL_RULES, OPTIONAL_RULES, Rule, RuleSet, default_ruleset
from .solver import plan_exchange
from .synthetic import generate_round

__all__ = [
    "ASSESSMENT_SCORES",
    "FUNCTIONS",
    "KINSHIP",
    "KINSHIP_CLASSES",
    "LEVELS",
    "LOCAL_RULES",
    "NATIONAL_RULES",
    "OPTIONAL_RULES",
    "UNIT_TYPES",
    "Cadre",
    "CheckReport",
    "CurrentPost",
    "Finding",
    "FitWeights",
    "Move",
    "MustMove",
    "PlanResult",
    "PlanningInputError",
    "Position",
    "Rule",
    "RuleSet",
    "check_plan",
    "default_ruleset",
    "explain_pair",
    "generate_round",
    "plan_exchange",
]
