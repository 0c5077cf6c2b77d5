"""The matching engine over the database: a MatchIndex built from talents and positions, cached per process
and rebuilt when `selectors.data_version()` changes (a talent or position was added, changed or removed)."""

from __future__ import annotations

import threading

from countybridge.core.models import Pairing

from . import selectors
from .matching import MatchIndex
from .matching import Position as EnginePosition
from .matching import Talent as EngineTalent
from .models import Position, TalentProfile

_lock = threading.Lock()
_cache: dict = {"version": None, "index": None}


def engine_talent(t: TalentProfile) -> EngineTalent:
    return EngineTalent(
        id=t.pk,
        degree=t.degree,
        major=t.major,
        title=t.title,
        years_experience=t.years_experience,
        skills_text=t.skills_text,
        county_code=t.region.code,
        field=t.field,
    )


def engine_position(p: Position) -> EnginePosition:
    return EnginePosition(
        id=p.pk,
        min_degree=p.min_degree,
        majors=tuple(p.majors or ()),
        min_title=p.min_title,
        min_years=p.min_years,
        responsibilities_text=p.responsibilities_text,
        skills_text=p.skills_text,
        county_code=p.region.code,
        name=p.name,
        field=p.field,
        salary_min=p.salary_min,
        salary_max=p.salary_max,
    )


def index() -> MatchIndex:
    version = selectors.data_version()
    with _lock:
        if _cache["index"] is None or _cache["version"] != version:
            talents = [engine_talent(t) for t in TalentProfile.objects.select_related("region")]
            positions = [
                engine_position(p) for p in Position.objects.filter(is_open=True).select_related("region")
            ]
            pairs = Pairing.objects.values_list("county_city__code", "district__code")
            _cache["index"] = MatchIndex.build(talents, positions, pairings=list(pairs))
            _cache["version"] = version
        return _cache["index"]


def rank_talents_for(position: Position, user, k: int = 10):
    """Candidates for a position among the talents the user may see: the scope goes to the engine as
    `within`, so it ranks only inside it and returns k whenever k eligible talents exist there."""
    visible = list(selectors.scoped(TalentProfile, user).values_list("pk", flat=True))
    result = index().rank_talents(engine_position(position), k=k, explain=True, within=visible)
    talents = TalentProfile.objects.select_related("person", "region").in_bulk(result.ids)
    return result, [(talents[mt.id], mt) for mt in result.matches if mt.id in talents]


def rank_positions_for(talent: TalentProfile, user, k: int = 10):
    """Positions for a talent among the open positions the user may read (same `within` rule)."""
    visible = list(selectors.open_positions(user).filter(is_open=True).values_list("pk", flat=True))
    result = index().rank_positions(engine_talent(talent), k=k, explain=True, within=visible)
    positions = Position.objects.select_related("employer", "region").in_bulk(result.ids)
    return result, [(positions[mt.id], mt) for mt in result.matches if mt.id in positions]


def explanation_dict(match) -> dict:
    e = match.explanation
    return {
        "score": round(match.score, 4),
        "requirements": [
            {
                "code": r.code,
                "label_zh": r.label_zh,
                "label_en": r.label_en,
                "required": r.required,
                "actual": r.actual,
                "passed": r.passed,
            }
            for r in e.requirements
        ],
        "matched_terms": [{"term": t.term, "bm25": round(t.bm25, 3)} for t in e.matched_terms],
        "components": [
            {
                "name": c.name,
                "value": round(c.value, 3),
                "weight": round(c.weight, 3),
                "contribution": round(c.contribution, 4),
            }
            for c in e.components
        ],
    }
