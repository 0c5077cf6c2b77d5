"""How well a cadre fits a post, as integer points per component (CP-SAT needs integers).

The components follow the policy text: leaders chosen for grassroots experience and industry skills,
assessment by conduct and results, training, and young cadres without grassroots experience sent to the
grassroots (条例 exchange clause). The weights are settings, not rules: nothing here forbids a move.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .model import ASSESSMENT_SCORES, LEVEL_INDEX, Cadre, Position, age_on


@dataclass(frozen=True)
class FitWeights:
    """Points available per component; the total for one pair is at most about 1,000."""

    fields: int = 300  # share of the post's preferred fields the cadre has
    assessment: int = 200  # mean of the last `assessment_years` grades, 优秀 = full points
    assessment_years: int = 3
    grassroots: int = 150  # years at grassroots, capped; doubled weight for county-city posts
    grassroots_cap_years: float = 10.0
    training: int = 100  # training hours, capped
    training_cap_hours: float = 120.0
    young_to_grassroots: int = 150  # a young cadre short of grassroots years going to a county city
    young_age: int = 40
    young_grassroots_years: float = 2.0
    promotion: int = 80  # development value of a step up
    breadth: int = 50  # a different kind of unit from the current one


DEFAULT_WEIGHTS = FitWeights()

COMPONENT_LABELS = {
    "fields": ("领域匹配", "field match"),
    "assessment": ("考核结果", "assessment"),
    "grassroots": ("基层经历", "grassroots experience"),
    "training": ("培训学时", "training"),
    "development": ("培养价值", "development value"),
}


def cadre_features(c: Cadre, as_of: dt.date, w: FitWeights = DEFAULT_WEIGHTS) -> dict[str, float | bool]:
    """The parts of the fit that depend on the cadre alone, computed once per cadre."""
    recent = c.assessments[-w.assessment_years :]
    return {
        "assessment": round(w.assessment * sum(ASSESSMENT_SCORES[g] for g in recent) / (3 * len(recent)))
        if recent
        else 0,
        "grassroots_share": min(c.grassroots_years, w.grassroots_cap_years) / w.grassroots_cap_years,
        "training": round(w.training * min(c.training_hours, w.training_cap_hours) / w.training_cap_hours),
        "young_without_grassroots": age_on(c.birth_date, as_of) < w.young_age
        and c.grassroots_years < w.young_grassroots_years,
    }


def fit_components(
    c: Cadre,
    p: Position,
    current: Position,
    as_of: dt.date,
    w: FitWeights = DEFAULT_WEIGHTS,
    features: dict[str, float | bool] | None = None,
) -> dict[str, int]:
    """Integer points per component for cadre `c` moving from `current` to `p`."""
    f = features if features is not None else cadre_features(c, as_of, w)
    county = p.unit_type == "county"
    development = w.young_to_grassroots if county and f["young_without_grassroots"] else 0
    if LEVEL_INDEX[p.level] > LEVEL_INDEX[c.level]:
        development += w.promotion
    if p.unit_type != current.unit_type:
        development += w.breadth
    pref = p.preferred_fields
    return {
        "fields": round(w.fields * len(pref & c.fields) / len(pref)) if pref else 0,
        "assessment": int(f["assessment"]),
        "grassroots": round(w.grassroots * f["grassroots_share"] * (1.0 if county else 0.5)),
        "training": int(f["training"]),
        "development": development,
    }
