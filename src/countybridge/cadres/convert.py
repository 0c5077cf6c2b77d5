"""DB rows -> the planning engine's dataclasses, and rule-set rows -> a RuleSet.

The engine speaks codes (cadre code, position code); this module is the one place that maps them."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Sum

from .models import Assessment, Cadre, CareerPost, Position, Relative, RuleSetVersion
from .planning import Cadre as PlanCadre
from .planning import CurrentPost, RuleSet, default_ruleset
from .planning import Position as PlanPosition
from .planning.career import CareerFigures, RecordedPost, figures_from_career, merge_figures
from .planning.rules import LOCAL_RULES, NATIONAL_RULES


def default_rule_dicts() -> list[dict]:
    """The engine's national rules plus its default local settings, as JSON-safe dicts."""
    return [dict(r, params=dict(r["params"])) for r in NATIONAL_RULES + LOCAL_RULES]


def ruleset_of(version: RuleSetVersion | None) -> RuleSet:
    return RuleSet.from_dicts(version.rules) if version is not None else default_ruleset()


def engine_positions(qs=None) -> list[PlanPosition]:
    rows = (qs if qs is not None else Position.objects.all()).select_related("region", "reports_to")
    return [
        PlanPosition(
            id=p.code,
            unit=p.unit_name,
            unit_type=p.unit_type,
            region=p.region.code,
            level=p.level,
            is_chief=p.is_chief,
            function=p.function,
            team_id=p.team or None,
            reports_to=p.reports_to.code if p.reports_to_id else None,
            required_fields=frozenset(p.required_fields or ()),
            preferred_fields=frozenset(p.preferred_fields or ()),
            open=p.is_open,
            title=p.title,
        )
        for p in rows
    ]


def recorded_posts(posts) -> list[RecordedPost]:
    """CareerPost rows -> the engine's view; a post in a county-city unit counts as grassroots."""
    return [
        RecordedPost(
            p.level, p.start, p.end, grassroots=bool(p.position_id and p.position.unit_type == "county")
        )
        for p in posts
    ]


def entered_figures(cadre: Cadre) -> CareerFigures:
    return CareerFigures(cadre.years_at_level, cadre.years_one_level_down, cadre.posts_at_level,
                         cadre.posts_one_level_down, cadre.grassroots_years)  # fmt: skip


def cadre_figures(cadre: Cadre, posts, as_of: dt.date) -> tuple[CareerFigures, CareerFigures, CareerFigures]:
    """(entered, from the recorded career, used by the planner) for one cadre."""
    entered = entered_figures(cadre)
    recorded = figures_from_career(recorded_posts(posts), cadre.level, as_of)
    return entered, recorded, merge_figures(entered, recorded)


def engine_cadres(qs=None, as_of: dt.date | None = None) -> list[PlanCadre]:
    """Cadres holding a post now, with their current post, grades (oldest first), hours and relatives.
    Promotion figures are the larger of the entered ones and those of the recorded career as of `as_of`."""
    as_of = as_of or today()
    rows = (
        (qs if qs is not None else Cadre.objects.all())
        .filter(career__end__isnull=True, career__position__isnull=False)
        .annotate(hours=Sum("training__hours", distinct=False))
        .prefetch_related(
            Prefetch(
                "career",
                queryset=CareerPost.objects.filter(end__isnull=True).select_related("position"),
                to_attr="current",
            ),
            Prefetch("career", queryset=CareerPost.objects.select_related("position"), to_attr="history"),
            Prefetch("assessments", queryset=Assessment.objects.order_by("year"), to_attr="grades"),
            Prefetch("relatives", queryset=Relative.objects.select_related("relative"), to_attr="kin"),
        )
    )
    out = []
    for c in rows:
        post = c.current[0]
        figures = cadre_figures(c, c.history, as_of)[2]
        out.append(
            PlanCadre(
                id=c.code,
                name=c.name,
                birth_date=c.birth_date,
                home_region=c.home_region,
                work_start=c.work_start,
                grassroots_years=figures.grassroots_years,
                fields=frozenset(c.fields or ()),
                post=CurrentPost(post.position.code, post.start, post.consecutive_terms),
                level=c.level,
                years_at_level=figures.years_at_level,
                years_one_level_down=figures.years_one_level_down,
                posts_at_level=figures.posts_at_level,
                posts_one_level_down=figures.posts_one_level_down,
                assessments=tuple(a.grade for a in c.grades),
                training_hours=float(c.hours or 0),
                relatives=tuple((r.relative.code, r.kinship) for r in c.kin),
            )
        )
    return out


def today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()
