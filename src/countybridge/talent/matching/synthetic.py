"""A seeded synthetic labelled set for evaluating the matching engine (all data invented, labelled so).

Talents and positions are drawn across eight fields and forty specialties (synthetic_vocab). A position's
relevant talents (ground truth) are those of the same specialty who meet its hard requirements, checked
here by a plain per-talent rule independent of the engine's vectorised filter. Texts are made hard on
purpose: positions and talents draw different subsets of a specialty's phrases, talents also describe
themselves in phrases positions never use, a quarter of profiles are terse (one phrase of substance), half
mention adjacent work in a sibling specialty, 30% of postings are vague (two phrases), every text carries
phrases shared by its whole field (same-field distractors) and generic boilerplate, and one talent in ten
has changed career and mixes in another field's specialty. The same seed always gives the same set.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .majors import MAJOR_FAMILIES, family_lookup, normalise_major
from .model import Degree, Position, Talent, Title
from .synthetic_vocab import FIELD_PHRASES, GENERIC_PHRASES, POSITION_BOILERPLATE, SPECIALTIES, Specialty

COUNTY_CITIES = ("510121", "510129", "510131", "510181", "510182", "510183", "510184", "510185")
CENTRAL_DISTRICTS = ("510104", "510105", "510106", "510107", "510108", "510113", "510116")
# Illustrative pairings after the fragments in facts/chengdu.md § 4 (no official list was found).
PAIRINGS = (
    ("510184", "510105"),
    ("510131", "510105"),
    ("510183", "510107"),
    ("510121", "510104"),
    ("510121", "510113"),
    ("510182", "510106"),
)
MIN_YEARS_CHOICES = (0, 0, 1, 2, 3, 3, 5, 5, 8, 10, 12)
_FAMILY = family_lookup(MAJOR_FAMILIES)
_ALL_MAJORS = sorted({m for s in SPECIALTIES for m in s.majors})
_SIBLINGS = {s.key: [o for o in SPECIALTIES if o.field == s.field and o.key != s.key] for s in SPECIALTIES}


@dataclass
class LabelledSet:
    talents: list[Talent]
    positions: list[Position]
    relevant: dict[object, frozenset] = field(default_factory=dict)  # position id → relevant talent ids
    specialty_of: dict[object, str] = field(default_factory=dict)  # talent or position id → specialty key
    pairings: tuple[tuple[str, str], ...] = PAIRINGS


def _sentence(rng: random.Random, phrases: list[str]) -> str:
    rng.shuffle(phrases)
    return "，".join(phrases) + "。"


def _talent(rng: random.Random, i: int, spec: Specialty, other: Specialty | None) -> Talent:
    lo, hi = spec.degree_range
    degree = min(hi, max(lo, round(rng.triangular(lo - 0.5, hi + 0.5, (lo + hi) / 2))))
    years = min(35, int(rng.expovariate(1 / 7)))
    title = min(4, max(0, int(years / 5 + rng.choice((-1, 0, 0, 1))) + (degree >= 3)))
    roll = rng.random()
    major = rng.choice(spec.majors)
    if roll > 0.95:
        major = rng.choice(_ALL_MAJORS)
    elif roll > 0.8:
        siblings = MAJOR_FAMILIES.get(_FAMILY.get(normalise_major(major), ""), ())
        major = rng.choice(siblings) if siblings else major
    if rng.random() < 0.25:  # a terse profile: one phrase of substance
        phrases = rng.sample(spec.core + spec.talent_only, 1)
    else:
        phrases = rng.sample(spec.core, rng.randint(2, 4)) + rng.sample(spec.talent_only, rng.randint(1, 2))
    if rng.random() < 0.5:  # adjacent work in a sibling specialty of the same field
        sibling = rng.choice(_SIBLINGS[spec.key])
        phrases += rng.sample(sibling.core, rng.randint(1, 2))
    phrases += rng.sample(FIELD_PHRASES[spec.field], rng.randint(1, 2))
    phrases += rng.sample(GENERIC_PHRASES, rng.randint(0, 2))
    if other is not None:  # a career changer: part of the text comes from an earlier job
        phrases += rng.sample(other.core, 2) + rng.sample(FIELD_PHRASES[other.field], 1)
    place = COUNTY_CITIES if rng.random() < 0.6 else CENTRAL_DISTRICTS
    return Talent(
        id=f"T{i:06d}",
        degree=Degree(degree),
        major=major,
        title=Title(title),
        years_experience=years,
        skills_text=_sentence(rng, phrases),
        county_code=rng.choice(place),
        field=spec.field,
        expected_salary=rng.choice((None, 4000, 5000, 6000, 8000, 10000, 15000)),
    )


def _position(rng: random.Random, j: int, spec: Specialty) -> Position:
    lo, hi = spec.degree_range
    roll = rng.random()
    if roll < 0.45:
        majors, related = rng.sample(spec.majors, rng.randint(1, len(spec.majors))), rng.random() < 0.3
    elif roll < 0.8:
        majors, related = sorted({_FAMILY.get(normalise_major(m), m) for m in spec.majors}), False
    else:
        majors, related = [], False
    core = rng.sample(spec.core, rng.randint(4, 6) if rng.random() > 0.3 else 2)  # 30% vague postings
    salary_min = rng.choice((3000, 4000, 5000, 6000, 8000))
    return Position(
        id=f"P{j:05d}",
        name=rng.choice(spec.names),
        min_degree=Degree(rng.choice((lo, lo, min(hi, lo + 1)))),
        majors=tuple(majors),
        accept_related_majors=related,
        min_title=Title(rng.choice((0, 0, 1, 1, 2, 3))),
        min_years=rng.choice(MIN_YEARS_CHOICES),
        responsibilities_text=_sentence(
            rng, core[:3] + rng.sample(FIELD_PHRASES[spec.field], 1) + rng.sample(POSITION_BOILERPLATE, 1)
        ),
        skills_text=_sentence(rng, core[3:] + rng.sample(GENERIC_PHRASES, rng.randint(1, 2))),
        county_code=rng.choice(COUNTY_CITIES),
        field=spec.field,
        salary_min=salary_min,
        salary_max=salary_min * rng.choice((1.5, 2, 3)),
    )


def _profile(t: Talent) -> tuple[int, int, float, str, str]:
    major = normalise_major(t.major)
    return int(t.degree), int(t.title), float(t.years_experience), major, _FAMILY.get(major, major)


def _rule(p: Position):
    """The position's hard requirements as a predicate over _profile tuples, one talent at a time."""
    listed = {normalise_major(m) for m in p.majors}
    related = {_FAMILY.get(m, m) for m in listed} if p.accept_related_majors else set()

    def passes(profile: tuple[int, int, float, str, str]) -> bool:
        degree, title, years, major, family = profile
        if degree < p.min_degree or title < p.min_title or years < p.min_years:
            return False
        return not listed or (bool(major) and (major in listed or family in listed or family in related))

    return passes


def meets_requirements(t: Talent, p: Position) -> bool:
    """Reference rule, written independently of the engine's vectorised filter: half of the ground truth."""
    return _rule(p)(_profile(t))


def generate(n_talents: int, n_positions: int, seed: int = 0) -> LabelledSet:
    """Talents and positions with ground truth; specialties drawn uniformly."""
    rng = random.Random(seed)
    data = LabelledSet([], [])
    by_specialty: dict[str, list[tuple[object, tuple]]] = {s.key: [] for s in SPECIALTIES}
    for i in range(n_talents):
        spec = rng.choice(SPECIALTIES)
        other = rng.choice(SPECIALTIES) if rng.random() < 0.1 else None
        other = other if other is not None and other.field != spec.field else None
        t = _talent(rng, i, spec, other)
        data.talents.append(t)
        data.specialty_of[t.id] = spec.key
        by_specialty[spec.key].append((t.id, _profile(t)))
    for j in range(n_positions):
        spec = rng.choice(SPECIALTIES)
        p = _position(rng, j, spec)
        data.positions.append(p)
        data.specialty_of[p.id] = spec.key
        passes = _rule(p)
        data.relevant[p.id] = frozenset(tid for tid, profile in by_specialty[spec.key] if passes(profile))
    return data


def precision_at_k(ranked_ids, relevant: frozenset, k: int = 10) -> float:
    """Share of the first k ranked ids that are relevant (fewer than k returned counts as misses)."""
    return sum(1 for x in list(ranked_ids)[:k] if x in relevant) / k
