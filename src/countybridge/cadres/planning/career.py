"""Promotion figures derived from a cadre's recorded career (pure, no Django).

The 条例's minimums read years at the current level, years one level down, posts held at each and years
at grassroots. A cadre's file carries those figures as entered from the paper record, which goes stale as
time passes; the recorded career (posts with levels and dates) gives them as of any day. The planner uses
the larger of the two for each figure: the recorded career is a lower bound that keeps growing, while the
entered figure may cover service from before the platform's records began.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .model import LEVEL_INDEX, LEVELS

_LEVEL_NAMES = list(LEVELS)
DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class RecordedPost:
    """One post of the career: its level, dates (end None: held now) and whether it was at grassroots
    (a county-city unit or below)."""

    level: str
    start: dt.date
    end: dt.date | None
    grassroots: bool = False


@dataclass(frozen=True)
class CareerFigures:
    years_at_level: float
    years_one_level_down: float
    posts_at_level: int
    posts_one_level_down: int
    grassroots_years: float


def _years(post: RecordedPost, as_of: dt.date) -> float:
    end = min(post.end or as_of, as_of)
    return max((end - post.start).days, 0) / DAYS_PER_YEAR


def figures_from_career(posts: Iterable[RecordedPost], level: str, as_of: dt.date) -> CareerFigures:
    """Figures for a cadre now at `level`, counting only what happened up to `as_of` (rounded to 0.1 y).
    Overlapping posts (a concurrent appointment) are not double counted for grassroots years."""
    posts = [p for p in posts if p.start <= as_of]
    rung = LEVEL_INDEX[level]
    below = _LEVEL_NAMES[rung - 1] if rung > 0 else None
    at_level = [p for p in posts if p.level == level]
    one_down = [p for p in posts if below is not None and p.level == below]
    return CareerFigures(
        years_at_level=round(sum(_years(p, as_of) for p in at_level), 1),
        years_one_level_down=round(sum(_years(p, as_of) for p in one_down), 1),
        posts_at_level=len(at_level),
        posts_one_level_down=len(one_down),
        grassroots_years=round(_union_years([p for p in posts if p.grassroots], as_of), 1),
    )


def _union_years(posts: list[RecordedPost], as_of: dt.date) -> float:
    spans = sorted((p.start, min(p.end or as_of, as_of)) for p in posts)
    total, current_start, current_end = 0, None, None
    for start, end in spans:
        if current_end is None or start > current_end:
            if current_end is not None:
                total += (current_end - current_start).days
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None:
        total += (current_end - current_start).days
    return max(total, 0) / DAYS_PER_YEAR


def merge_figures(entered: CareerFigures, recorded: CareerFigures) -> CareerFigures:
    """The larger of the entered and the recorded figure, field by field."""
    return CareerFigures(
        *(max(getattr(entered, f), getattr(recorded, f)) for f in CareerFigures.__dataclass_fields__)
    )
