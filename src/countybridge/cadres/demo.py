"""Synthetic demo cadres: the engine's generated round written into the database (people registered through
core services, careers, grades, training, relatives), plus recruitment quotas per county."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from countybridge.core import crypto
from countybridge.core.identifiers import make_resident_id, mask_id, parse_resident_id
from countybridge.core.models import Person, Region

from .models import (
    Assessment,
    Cadre,
    CareerPost,
    ExchangePlan,
    Position,
    QuotaKind,
    RecruitmentQuota,
    Relative,
    TrainingRecord,
)
from .planning import generate_round

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ("伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "涛", "明", "超", "霞", "平", "刚")


def _person(number: str, name: str, region: Region) -> Person:
    """The synthetic person behind a cadre, stored the way core's demo loader stores people."""
    digest = crypto.keyed_hash(f"resident_id:{number}")
    found = Person.objects.filter(id_type="resident_id", id_number_hash=digest).first()
    if found is not None:
        return found
    parsed = parse_resident_id(number)
    return Person.objects.create(
        id_type="resident_id", id_number_encrypted=crypto.encrypt(number), id_number_hash=digest,
        id_number_masked=mask_id(number), name=name, sex=parsed.sex, birth_date=parsed.birth_date,
        region=region, is_synthetic=True,
    )  # fmt: skip


def cadres_present() -> bool:
    return Cadre.objects.filter(is_synthetic=True).exists()


@transaction.atomic
def load_cadres_demo(
    *, actor=None, n_cadres: int = 300, n_open: int = 80, seed: int = 7, as_of=None, reset: bool = False
) -> dict:
    """Idempotent: does nothing when synthetic cadres exist (unless `reset`). Returns counts."""
    if reset:
        ExchangePlan.objects.filter(moves__cadre__is_synthetic=True).distinct().delete()
        Cadre.objects.filter(is_synthetic=True).delete()
        Position.objects.filter(is_synthetic=True).update(reports_to=None)
        Position.objects.filter(is_synthetic=True).delete()
        RecruitmentQuota.objects.all().delete()
    if cadres_present():
        return {"cadres": 0}
    as_of = as_of or dt.date.today()
    rng = random.Random(seed)
    rnd = generate_round(n_cadres, n_open, seed=seed, as_of=as_of, min_regions=16)  # all 8 county cities
    regions = {r.code: r for r in Region.objects.filter(level__in=["city", "county"], valid_to__isnull=True)}
    positions = {}
    for p in rnd.positions:
        positions[p.id] = Position.objects.create(
            code=p.id, title=p.title or p.id, unit_name=p.unit, unit_type=p.unit_type, region=regions[p.region],
            level=p.level, is_chief=p.is_chief, function=p.function, team=p.team_id or "",
            required_fields=sorted(p.required_fields), preferred_fields=sorted(p.preferred_fields),
            is_open=p.open, is_synthetic=True,
        )  # fmt: skip
    for p in rnd.positions:
        if p.reports_to:
            Position.objects.filter(pk=positions[p.id].pk).update(reports_to=positions[p.reports_to])
    made = {}
    for i, c in enumerate(rnd.cadres):
        seat = positions[c.post.position_id]
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(("", *GIVEN))
        person = _person(make_resident_id(c.home_region, c.birth_date, (2 * i + 1) % 1000), name,
                         regions[c.home_region])  # fmt: skip
        made[c.id] = Cadre.objects.create(
            person=person, code=c.id, name=name, birth_date=c.birth_date, home_region=c.home_region,
            work_start=c.work_start, grassroots_years=c.grassroots_years, fields=sorted(c.fields), level=c.level,
            years_at_level=c.years_at_level, years_one_level_down=c.years_one_level_down,
            posts_at_level=c.posts_at_level, posts_one_level_down=c.posts_one_level_down, region=seat.region,
            is_synthetic=True,
        )  # fmt: skip
        CareerPost.objects.create(cadre=made[c.id], position=seat, title=f"{seat.unit_name} {seat.title}",
                                  level=c.level, start=c.post.since, consecutive_terms=c.post.consecutive_terms)  # fmt: skip
        for k, grade in enumerate(c.assessments):
            Assessment.objects.create(cadre=made[c.id], year=as_of.year - len(c.assessments) + k, grade=grade)
        TrainingRecord.objects.create(
            cadre=made[c.id], title="党校主体班", year=as_of.year - 1, hours=c.training_hours
        )
    for c in rnd.cadres:
        for other, kinship in c.relatives:
            Relative.objects.create(cadre=made[c.id], relative=made[other], kinship=kinship)
    quotas = 0
    for region in Region.objects.filter(level="county", valid_to__isnull=True):
        for kind in QuotaKind.values:
            planned = rng.randint(5, 40)
            RecruitmentQuota.objects.create(region=region, year=as_of.year, kind=kind, planned=planned,
                                            filled=rng.randint(0, planned))  # fmt: skip
            quotas += 1
    return {"cadres": len(made), "positions": len(positions), "quotas": quotas}
