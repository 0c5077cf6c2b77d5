"""Synthetic case reports for the demo (`countybridge demo_data`): one year of reports from the synthetic
hospitals and clinics of the eight county cities, with seasonality, a few late and duplicate reports, and
injected outbreaks (`DEMO_OUTBREAKS`) so detection and the pages have something to find.

Rates are a quarter of typical reported incidence (per 100,000 a year; synthetic, labelled as such) so the
demo loads in seconds; `scale` multiplies them. Seeded: the same seed gives the same reports.
Written with bulk_create (two inserts per 1,000 reports); patient identifiers encrypted as in the services.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import uuid
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.utils import timezone

from countybridge.core import audit, crypto
from countybridge.core.identifiers import make_resident_id, mask_id
from countybridge.core.models import AuditEvent, Organisation, Region, RegionLevel

from . import deadlines
from .models import CaseReport, CaseReportVersion, Disease, DiseaseKind
from .selectors_catalogue import classification_on
from .services_catalogue import catalogue_load
from .services_reports import mask_name

DAYS = 365
RATE_FACTOR = 0.25
# disease code → (cases per 100,000 a year, seasonal amplitude 0–1, peak day of year, subtype, age band)
BASELINE = {
    "influenza": (300, 0.9, 15, "", (0, 80)),
    "hfmd": (120, 0.7, 160, "", (1, 5)),
    "other_diarrhoea": (80, 0.4, 200, "", (0, 80)),
    "mumps": (12, 0.3, 120, "", (4, 15)),
    "varicella": (40, 0.5, 330, "", (3, 15)),
    "tuberculosis": (40, 0.1, 90, "pathogen_positive", (20, 80)),
    "viral_hepatitis": (60, 0.0, 1, "b", (20, 70)),
    "syphilis": (30, 0.0, 1, "latent", (20, 70)),
    "scarlet_fever": (4, 0.5, 120, "", (3, 10)),
    "dysentery": (3, 0.6, 210, "bacillary", (1, 80)),
    "ili": (200, 0.9, 15, "", (0, 80)),
    "acute_diarrhoea": (100, 0.4, 200, "", (0, 80)),
}
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红梅鑫波斌宇浩凯健俊帆欣怡佳雨婷晨轩"


@dataclass(frozen=True)
class DemoOutbreak:
    """An injected cluster: `cases` extra reports of `disease` in `county` over `days` days from
    `start_days_ago` days before the load date (report dates)."""

    disease: str
    county: str
    start_days_ago: int
    days: int
    cases: int
    age_band: tuple[int, int]


DEMO_OUTBREAKS = (
    DemoOutbreak("hfmd", "510185", 120, 14, 60, (1, 5)),  # 简阳: a kindergarten-centred HFMD cluster
    DemoOutbreak("other_diarrhoea", "510129", 45, 5, 35, (7, 12)),  # 大邑: a school norovirus outbreak
    DemoOutbreak("ili", "510181", 20, 10, 80, (5, 60)),  # 都江堰: an influenza-like illness surge
)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _expected(rate: float, amplitude: float, peak: int, population: int, days: list[dt.date]) -> np.ndarray:
    doy = np.array([d.timetuple().tm_yday for d in days])
    season = 1 + amplitude * np.cos(2 * math.pi * (doy - peak) / 365.25)
    return rate * RATE_FACTOR * population / 100_000 / 365.25 * season


def demo_township_coordinates(*, seed: int) -> int:
    """For the demo only: give the eight county cities' townships that have no coordinates a synthetic point
    (the EMS demo's township demand point when there is one, else a seeded point around the county seat:
    streets near it, towns farther out) and mark it `coordinates_are_synthetic`, so the space-time scan of
    MPM signals can run. Real coordinates are never overwritten. Returns how many townships got a point."""
    from django.apps import apps

    demand = {}
    if apps.is_installed("countybridge.ems"):
        DemandPoint = apps.get_model("ems", "DemandPoint")
        demand = {
            township_id: (lon, lat)
            for township_id, lon, lat in DemandPoint.objects.filter(township__isnull=False)
            .order_by("pk")
            .values_list("township_id", "lon", "lat")
        }
    rng = random.Random(f"township-coordinates:{seed}")
    filled = []
    for county in Region.objects.filter(level=RegionLevel.COUNTY, is_county_city=True).order_by("code"):
        if county.lon is None or county.lat is None:
            continue
        for township in Region.objects.filter(level=RegionLevel.TOWNSHIP, parent=county).order_by("code"):
            # drawn for every township, so one township's point does not depend on which others had one
            street = township.name_zh.endswith("街道")
            radius = rng.uniform(0.005, 0.04) if street else rng.uniform(0.05, 0.22)
            angle = rng.uniform(0.0, 2 * math.pi)
            point = (county.lon + radius * math.cos(angle), county.lat + 0.8 * radius * math.sin(angle))
            if township.lon is not None or township.lat is not None:
                continue  # real (or earlier) coordinates stay
            township.lon, township.lat = demand.get(township.pk, point)
            township.lon, township.lat = round(township.lon, 6), round(township.lat, 6)
            township.coordinates_are_synthetic = True
            filled.append(township)
    Region.objects.bulk_update(filled, ["lon", "lat", "coordinates_are_synthetic"])
    return len(filled)


@transaction.atomic
def surveillance_demo_load(*, seed: int, scale: float = 1.0, today: dt.date | None = None) -> dict[str, int]:
    """Generate the demo reports (nothing when synthetic reports exist already)."""
    demo_township_coordinates(seed=seed)
    if CaseReport.objects.filter(is_synthetic=True).exists():
        return {}
    catalogue_load()
    today = today or timezone.localdate()
    rng = random.Random(seed)
    nprng = np.random.default_rng(seed)
    counties = list(
        Region.objects.filter(level=RegionLevel.COUNTY, is_county_city=True, successor__isnull=True).order_by(
            "code"
        )
    )
    institutions: dict[int, list[Organisation]] = {}
    for org in Organisation.objects.filter(is_synthetic=True, kind__in=("hospital", "primary_care")).order_by(
        "pk"
    ):
        institutions.setdefault(org.region_id, []).append(org)
    townships: dict[int, list[Region]] = {}
    for t in Region.objects.filter(level=RegionLevel.TOWNSHIP, parent__in=counties).order_by("code"):
        townships.setdefault(t.parent_id, []).append(t)
    diseases = {
        d.code: d
        for d in Disease.objects.filter(code__in=set(BASELINE) | {o.disease for o in DEMO_OUTBREAKS})
    }
    classes = {code: classification_on(d, today) for code, d in diseases.items()}
    days = [today - dt.timedelta(days=DAYS - 1 - i) for i in range(DAYS)]
    planned: list[tuple[Region, str, dt.date, tuple[int, int], bool]] = []
    for county in counties:
        if not institutions.get(county.pk):
            continue
        population = county.population_2020 or 500_000
        for code, (rate, amplitude, peak, _subtype, ages) in BASELINE.items():
            counts = nprng.poisson(_expected(rate * scale, amplitude, peak, population, days))
            for day, n in zip(days, counts, strict=True):
                planned.extend((county, code, day, ages, False) for _ in range(int(n)))
    by_code = {c.code: c for c in counties}
    for outbreak in DEMO_OUTBREAKS:
        county = by_code.get(outbreak.county)
        if county is None or not institutions.get(county.pk):
            continue
        for _ in range(max(1, int(outbreak.cases * scale))):
            day = today - dt.timedelta(days=outbreak.start_days_ago - rng.randrange(outbreak.days))
            planned.append((county, outbreak.disease, day, outbreak.age_band, True))
    reports, versions, patients = [], [], []
    focus_rng, focus = random.Random(f"outbreak-townships:{seed}"), {}
    order = 0
    for county, code, report_day, (age_low, age_high), in_outbreak in planned:
        disease, classification = diseases[code], classes[code]
        organisation = rng.choice(institutions[county.pk])
        order += 1
        age = rng.randint(age_low, age_high)
        birth = report_day - dt.timedelta(days=365 * age + rng.randrange(365))
        number = make_resident_id(county.code, birth, order % 1000)
        name = _name(rng)
        onset = report_day - dt.timedelta(days=rng.choice((0, 1, 1, 2, 2, 3, 4, 6)))
        hours = deadlines.deadline_hours(
            classification, outbreak=False, unexplained=disease.kind == DiseaseKind.UNEXPLAINED
        )
        diagnosed = timezone.make_aware(dt.datetime.combine(report_day, dt.time(rng.randint(8, 17))))
        diagnosed -= dt.timedelta(days=1 if rng.random() < 0.2 else 0)
        onset = min(onset, timezone.localtime(diagnosed).date())
        late = rng.random() < 0.03
        reported = diagnosed + dt.timedelta(
            minutes=rng.randint(10, 60 * hours - 10) if not late else 60 * hours + rng.randint(30, 600)
        )
        township = rng.choice(townships.get(county.pk) or [None])
        if in_outbreak and township is not None and focus_rng.random() < 0.8:
            # an outbreak centres on one township (a kindergarten, a school); drawn from its own stream so
            # the other reports stay as they were
            township = focus.setdefault(county.pk, focus_rng.choice(townships[county.pk]))
        due = deadlines.deadline_at(diagnosed, hours)
        key = crypto.keyed_hash(f"resident_id:{number}")
        subtype = BASELINE.get(code, ("", 0, 0, ""))[3]
        report = CaseReport(
            client_report_id=uuid.UUID(int=rng.getrandbits(128), version=4),
            organisation=organisation,
            region=county,
            township=township,
            disease=disease,
            disease_subtype=subtype,
            case_classification=rng.choice(("clinical", "confirmed", "confirmed", "suspected")),
            diagnosed_at=diagnosed,
            onset_date=onset,
            report_date=timezone.localtime(reported).date(),
            outbreak_related=in_outbreak and rng.random() < 0.5,
            legal_class=classification.legal_class,
            managed_as_a=classification.managed_as_a,
            deadline_hours=hours,
            deadline_at=due,
            reported_at=reported,
            is_late=deadlines.is_late(reported, due),
            patient_key=key,
            patient_name_masked=mask_name(name),
            id_number_masked=mask_id(number),
            is_synthetic=True,
        )
        reports.append(report)
        patients.append((name, number, township, age, subtype))
    CaseReport.objects.bulk_create(reports, batch_size=1000)
    address_of = {}
    for report, (name, number, township, age, subtype) in zip(reports, patients, strict=True):
        place = township.name_zh if township else report.region.name_zh
        address = address_of.setdefault(place, crypto.encrypt(f"{report.region.name_zh}{place}"))
        versions.append(
            CaseReportVersion(
                report=report,
                version=1,
                kind=CaseReportVersion.Kind.INITIAL,
                patient_name_encrypted=crypto.encrypt(name),
                guardian_name_encrypted=crypto.encrypt(_name(rng)) if age < 14 else "",
                id_type="resident_id",
                id_number_encrypted=crypto.encrypt(number),
                id_number_masked=report.id_number_masked,
                sex="M" if int(number[16]) % 2 else "F",
                birth_date=dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
                patient_origin="county",
                township=township,
                address_encrypted=address,
                population_group=_group(age, rng),
                case_classification=report.case_classification,
                disease=report.disease,
                disease_subtype=subtype,
                onset_date=report.onset_date,
                diagnosed_at=report.diagnosed_at,
                outbreak_related=report.outbreak_related,
                reporting_doctor=_name(rng) + "医生",
                filled_date=timezone.localtime(report.diagnosed_at).date(),
                actor_username="demo",
                created_at=report.reported_at,
            )
        )
    CaseReportVersion.objects.bulk_create(versions, batch_size=1000)
    duplicates = _duplicates(reports, institutions, rng)
    counts = {
        "case_reports": len(reports) + duplicates,
        "duplicates": duplicates,
        "late": sum(r.is_late for r in reports),
        "outbreaks": len(DEMO_OUTBREAKS),
    }
    audit.record(actor=None, action=AuditEvent.Action.IMPORT, object_type="surveillance.demo", details=counts)
    return counts


def _group(age: int, rng: random.Random) -> str:
    if age < 3:
        return "scattered_child"
    if age < 7:
        return "nursery_child"
    if age < 19:
        return "student"
    if age >= 65:
        return "retired"
    return rng.choice(("farmer", "farmer", "worker", "migrant_worker", "clerk", "household", "service"))


def _duplicates(reports: list[CaseReport], institutions: dict, rng: random.Random) -> int:
    """About 1 % of reports are reported again by a second institution of the county within days:
    stored as their own reports, linked to the first and counted once."""
    copies, versions = [], []
    for original in reports:
        others = [o for o in institutions[original.region_id] if o.pk != original.organisation_id]
        if not others or rng.random() >= 0.01:
            continue
        later = original.reported_at + dt.timedelta(hours=rng.randint(2, 72))
        copy = CaseReport(
            **{
                f.attname: getattr(original, f.attname)
                for f in CaseReport._meta.concrete_fields
                if f.attname not in ("id", "client_report_id", "organisation_id", "created_at", "updated_at")
            }
        )
        copy.client_report_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        copy.organisation = rng.choice(others)
        copy.reported_at, copy.report_date = later, timezone.localtime(later).date()
        copy.is_late = deadlines.is_late(later, copy.deadline_at)
        copy.duplicate_of_id = original.pk
        copies.append(copy)
    CaseReport.objects.bulk_create(copies, batch_size=1000)
    first_versions = {
        v.report_id: v
        for v in CaseReportVersion.objects.filter(report_id__in=[c.duplicate_of_id for c in copies])
    }
    for copy in copies:
        version = first_versions[copy.duplicate_of_id]
        version.pk, version.report, version.created_at = None, copy, copy.reported_at
        versions.append(version)
    CaseReportVersion.objects.bulk_create(versions, batch_size=1000)
    return len(copies)


def surveillance_demo_reset() -> None:
    """Synthetic reports go before the synthetic institutions they point to. Versions are never deleted
    through the model; this queryset delete of synthetic rows is the demo reset's alone."""
    synthetic = CaseReport.objects.filter(is_synthetic=True)
    CaseReport.objects.filter(duplicate_of__in=synthetic).update(duplicate_of=None)
    CaseReportVersion.objects.filter(report__in=synthetic).delete()  # a queryset delete: no per-row guard
    synthetic.delete()
    Region.objects.filter(coordinates_are_synthetic=True).update(
        lon=None, lat=None, coordinates_are_synthetic=False
    )
