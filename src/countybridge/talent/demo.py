"""Synthetic talent demo data on top of the core demo (`countybridge demo_data`): talent profiles for some
synthetic people, positions of synthetic county employers (jointly with the paired district where one exists),
applications, certification applications, a few expert groups, demands, stations, events and programmes."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from countybridge.core import audit
from countybridge.core.models import AuditEvent, Organisation, Pairing, Person

from . import models as m
from .matching.synthetic import generate

N_TALENTS, N_POSITIONS, N_APPLICATIONS = 400, 120, 600


def _code(level) -> str:
    return level.name.lower()


@transaction.atomic
def talent_demo_load(*, seed: int, scale: float = 1.0) -> dict[str, int]:
    if m.TalentProfile.objects.filter(is_synthetic=True).exists():
        return {}
    rng = random.Random(seed)
    n_t, n_p = max(20, int(N_TALENTS * scale)), max(5, int(N_POSITIONS * scale))
    # every county city gets talents: take the synthetic people round-robin over their counties
    by_county: dict[int, list] = {}
    for person in Person.objects.filter(is_synthetic=True, talent_profile__isnull=True).select_related(
        "region"
    ):
        by_county.setdefault(person.region_id, []).append(person)
    queues = list(by_county.values())
    people = [q[i] for i in range(max(map(len, queues), default=0)) for q in queues if i < len(q)][:n_t]
    employers = list(Organisation.objects.filter(is_synthetic=True, kind="employer").select_related("region"))
    if not people or not employers:
        return {}
    data = generate(len(people), n_p, seed=seed)
    talents = [
        m.TalentProfile(
            person=person,
            region=person.region,
            employer=rng.choice(employers) if rng.random() < 0.5 else None,
            degree=_code(t.degree),
            major=t.major,
            title=_code(t.title),
            field=t.field,
            years_experience=int(t.years_experience),
            skills_text=t.skills_text,
            is_synthetic=True,
        )
        for person, t in zip(people, data.talents, strict=False)
    ]
    m.TalentProfile.objects.bulk_create(talents, batch_size=500)
    pairings = {p.county_city_id: p for p in Pairing.objects.all()}
    flexible = [v for v in m.Position.FlexibleHire.values]
    positions = []
    for p in data.positions:
        employer = rng.choice(employers)
        positions.append(
            m.Position(
                employer=employer,
                region=employer.region,
                pairing=pairings.get(employer.region_id),
                name=p.name,
                field=p.field,
                min_degree=_code(p.min_degree),
                majors=list(p.majors),
                min_title=_code(p.min_title),
                min_years=int(p.min_years),
                responsibilities_text=p.responsibilities_text,
                skills_text=p.skills_text,
                salary_min=int(p.salary_min) if p.salary_min else None,
                salary_max=int(p.salary_max) if p.salary_max else None,
                flexible_hire=rng.choice(flexible),
                benefits="人才公寓、子女入学协调",
                is_synthetic=True,
            )
        )
    m.Position.objects.bulk_create(positions, batch_size=500)
    pairs = {
        (rng.randrange(len(positions)), rng.randrange(len(talents)))
        for _ in range(int(N_APPLICATIONS * scale))
    }
    m.JobApplication.objects.bulk_create(
        [
            m.JobApplication(
                position=positions[i],
                talent=talents[j],
                region=positions[i].region,
                status=rng.choice(["applied", "recommended", "hired"]),
                is_synthetic=True,
            )
            for i, j in pairs
        ],
        batch_size=1000,
    )
    m.CertificationApplication.objects.bulk_create(
        [
            m.CertificationApplication(
                talent=t,
                region=t.region,
                evidence={"degree": t.get_degree_display()},
                documents=["id_document", "degree_certificate"],
                is_synthetic=True,
            )
            for t in rng.sample(talents, min(60, len(talents)))
        ]
    )
    today = dt.date.today()
    regions = sorted({e.region for e in employers}, key=lambda r: r.code)
    for i, region in enumerate(regions):
        station = m.ServiceStation.objects.create(
            name=f"{region.name_zh}人才服务站",
            region=region,
            kinds=list(m.ServiceRequest.Kind.values),
            is_synthetic=True,
        )
        for t in [t for t in talents if t.region_id == region.pk][:5]:
            m.ServiceRequest.objects.create(
                talent=t,
                region=region,
                station=station,
                kind=rng.choice(m.ServiceRequest.Kind.values),
                deadline=today + dt.timedelta(days=rng.randint(5, 60)),
                satisfaction=rng.choice([None, 3, 4, 5]),
                is_synthetic=True,
            )
        m.Event.objects.create(
            region=region,
            kind=m.Event.Kind.values[i % 3],
            title=f"{region.name_zh}人才活动",
            date=today + dt.timedelta(days=10 + i),
            is_synthetic=True,
        )
        m.TrainingProgramme.objects.create(
            region=region,
            kind=m.TrainingProgramme.Kind.values[i % 4],
            name=f"{region.name_zh}技能培训",
            capacity=40,
            start=today,
            end=today + dt.timedelta(days=90),
            is_synthetic=True,
        )
        m.CountyDemand.objects.create(
            region=region,
            topic="专家巡回服务",
            specialty=rng.choice(["医疗", "农业", "制造"]),
            lat=30.5 + rng.random() * 0.5,
            lon=103.5 + rng.random() * 0.8,
            start=today + dt.timedelta(days=7),
            end=today + dt.timedelta(days=21),
            is_synthetic=True,
        )
    days = [str(today + dt.timedelta(days=d)) for d in range(7, 22)]
    for k, specialty in enumerate(["医疗", "农业", "制造"]):
        m.ExpertGroup.objects.create(
            name=f"{specialty}专家组",
            region=regions[k % len(regions)],
            base_lat=30.66,
            base_lon=104.06,
            available_days=days,
            max_travel_minutes=300,
            max_days=6,
            members=[{"name": f"专家{k}{j}", "specialties": [specialty]} for j in range(3)],
            is_synthetic=True,
        )
    counts = {"talents": len(talents), "positions": len(positions), "applications": len(pairs)}
    audit.record(actor=None, action=AuditEvent.Action.IMPORT, object_type="talent.demo", details=counts)
    return counts


def talent_demo_reset() -> None:
    """Synthetic talent rows go before the core demo's synthetic people and employers they point to."""
    m.QuotaUse.objects.filter(application__is_synthetic=True).delete()
    m.ServiceRecord.objects.filter(demand__is_synthetic=True).delete()  # the schedule job's rows
    m.Certificate.objects.filter(application__is_synthetic=True).delete()
    for model in (m.ServiceRecord, m.ServiceRequest, m.EventSignup, m.Enrolment):
        model.objects.filter(is_synthetic=True).delete()
    for model in (
        m.Certificate,
        m.CertificationApplication,
        m.JobApplication,
        m.Quota,
        m.Position,
        m.ServiceStation,
        m.Event,
        m.TrainingProgramme,
        m.CountyDemand,
        m.ExpertGroup,
        m.TalentProfile,
    ):
        model.objects.filter(is_synthetic=True).delete()
