"""Demo case reports: a year for the eight county cities, seeded, with the injected outbreaks visible."""

import datetime as dt

import numpy as np
import pytest

from countybridge.core.demo.loader import demo_load
from countybridge.surveillance.demo import DEMO_OUTBREAKS, surveillance_demo_load, surveillance_demo_reset
from countybridge.surveillance.models import CaseReport, CaseReportVersion
from countybridge.surveillance.selectors_reports import case_counts

COUNTY_CITIES = ["510121", "510129", "510131", "510181", "510182", "510183", "510184", "510185"]


@pytest.mark.django_db
def test_demo_year_with_outbreaks_and_duplicates():
    today = dt.date(2026, 11, 27)
    demo_load(seed=5, scale=0.2)
    counts = surveillance_demo_load(seed=5, scale=0.5, today=today)
    assert counts["case_reports"] == CaseReport.objects.count() > 1000
    assert CaseReportVersion.objects.count() == CaseReport.objects.count()
    assert set(CaseReport.objects.values_list("region__code", flat=True)) == set(COUNTY_CITIES)
    assert CaseReport.objects.filter(duplicate_of__isnull=False).count() == counts["duplicates"] > 0
    assert 0 < counts["late"] < 0.1 * counts["case_reports"]
    first = CaseReport.objects.order_by("report_date").first().report_date
    assert (today - first).days >= 360
    for outbreak in DEMO_OUTBREAKS:
        series = case_counts(
            outbreak.disease, outbreak.county, start=today - dt.timedelta(days=364), end=today
        )
        daily = series.counts[0]
        start = 364 - outbreak.start_days_ago
        window = daily[start : start + outbreak.days].sum()
        # the outbreak's days hold clearly more than the same number of days just before them
        before = daily[max(0, start - 3 * outbreak.days) : start]
        expected = before.mean() * outbreak.days if before.size else 0
        assert window > expected + 0.4 * outbreak.cases * 0.5, (outbreak, window, expected)
        assert np.issubdtype(series.counts.dtype, np.integer)
    assert surveillance_demo_load(seed=5, scale=0.5, today=today) == {}  # loaded once
    surveillance_demo_reset()
    assert CaseReport.objects.count() == 0 and CaseReportVersion.objects.count() == 0


@pytest.mark.django_db
def test_demo_is_reproducible():
    demo_load(seed=9, scale=0.1)
    today = dt.date(2026, 6, 1)
    surveillance_demo_load(seed=9, scale=0.1, today=today)
    first = list(
        CaseReport.objects.order_by("client_report_id").values_list("client_report_id", "disease__code")
    )
    surveillance_demo_reset()
    surveillance_demo_load(seed=9, scale=0.1, today=today)
    again = list(
        CaseReport.objects.order_by("client_report_id").values_list("client_report_id", "disease__code")
    )
    assert first == again
