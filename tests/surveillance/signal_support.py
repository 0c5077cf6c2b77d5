"""Fixtures and helpers of the signal tests: diseases with detection settings, case reports by count,
and signals stored through the detection run (so the tests exercise the real path)."""

import datetime as dt

import pytest
from django.utils import timezone

from countybridge.core.models import Organisation, Region
from countybridge.surveillance.models import CaseReport, Disease, Signal

JIANYANG, DAYI = "510185", "510129"
AS_OF = dt.date(2026, 11, 20)


@pytest.fixture
def diseases(db):
    return {
        "cholera": Disease.objects.create(code="cholera", name_zh="霍乱", name_en="Cholera", kind="notifiable",
                                          detection_method="fixed", detection_params={"threshold": 1}),
        "dysentery": Disease.objects.create(code="dysentery", name_zh="细菌性和阿米巴性痢疾",
                                            name_en="Dysentery", kind="notifiable",
                                            detection_method="cidars-percentile",
                                            detection_params={"percentile": 90, "min_cases": 1, "years_back": 3}),
        "leprosy": Disease.objects.create(code="leprosy", name_zh="麻风病", name_en="Leprosy", kind="notifiable",
                                          detection_method=""),
    }  # fmt: skip


def add_cases(disease: Disease, county: str, day: dt.date, n: int = 1) -> None:
    region = Region.objects.get(code=county)
    org = Organisation.objects.filter(region=region).first() or Organisation.objects.create(
        kind="hospital",
        name=f"{county} 人民医院",
        region=region,
        hospital_level=2,
        hospital_grade="甲",
        beds=300,
    )
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    CaseReport.objects.bulk_create(
        CaseReport(organisation=org, region=region, disease=disease, case_classification="confirmed",
                   diagnosed_at=at, onset_date=day, report_date=day, legal_class="B", deadline_hours=24,
                   deadline_at=at + dt.timedelta(hours=24), reported_at=at, patient_key=f"k{i}",
                   patient_name_masked="张*")
        for i in range(n)
    )  # fmt: skip


@pytest.fixture
def two_county_signals(diseases):
    """A cholera case in 简阳 and in 大邑 on AS_OF; the daily run stores one fixed-threshold signal each
    (and a CIDARS signal for dysentery in 简阳)."""
    from countybridge.surveillance.services_signals import detection_run

    add_cases(diseases["cholera"], JIANYANG, AS_OF)
    add_cases(diseases["cholera"], DAYI, AS_OF)
    add_cases(diseases["dysentery"], JIANYANG, AS_OF, 3)
    summary = detection_run(frequency="day", as_of=AS_OF)
    return {
        "summary": summary,
        "jianyang": Signal.objects.get(region__code=JIANYANG, disease__code="cholera"),
        "dayi": Signal.objects.get(region__code=DAYI, disease__code="cholera"),
        "jianyang_mpm": Signal.objects.get(region__code=JIANYANG, disease__code="dysentery"),
    }
