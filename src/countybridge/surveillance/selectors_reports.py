"""Reads of case reports: scoped lists, audited detail reads, and the case counts that detection uses.

`case_counts` is the one entry point for the detection batch (daily or weekly run): it returns a
numpy-ready matrix of counts, one row per (disease, county) series and one column per day or ISO week.
Counted: active reports (not withdrawn) that are not flagged duplicates, so a patient reported by two
institutions counts once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone

from countybridge.core import access, audit
from countybridge.core.models import AuditEvent, Region

from .access_reports import require_report_reader
from .models import CaseReport, CaseReportVersion, Disease

DATE_FIELDS = {"report": "report_date", "onset": "onset_date", "diagnosis": "diagnosed_at__date"}


def report_list(
    *,
    user,
    disease: str | None = None,
    region_code: str | None = None,
    organisation_id: int | None = None,
    status: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    late: bool | None = None,
    duplicates: bool | None = None,
) -> QuerySet:
    """Reports the user may see (refused for roles without access), newest first, related rows joined."""
    require_report_reader(user)
    qs = access.scope_queryset(
        CaseReport.objects.select_related("disease", "organisation", "region", "duplicate_of"), user
    )
    if disease:
        qs = qs.filter(disease__code=disease)
    if region_code:
        qs = qs.filter(region__code=region_code)
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    if status:
        qs = qs.filter(status=status)
    if since:
        qs = qs.filter(report_date__gte=since)
    if until:
        qs = qs.filter(report_date__lte=until)
    if late is not None:
        qs = qs.filter(is_late=late)
    if duplicates is not None:
        qs = qs.filter(duplicate_of__isnull=not duplicates)
    return qs


def report_get(*, user, pk: int, request=None, purpose: str = "view") -> CaseReport:
    """One report in scope (404 otherwise, so ids cannot be probed); the read is audited."""
    report = report_list(user=user).filter(pk=pk).first()
    if report is None:
        raise Http404("no such case report")
    audit.record(
        actor=user,
        action=AuditEvent.Action.READ_SENSITIVE,
        obj=report,
        request=request,
        details={"purpose": purpose},
    )
    return report


def audit_list_read(*, user, request=None, shown: int, filters: dict, purpose: str) -> None:
    """A page of masked report rows is still health data: one audit row per list read, with the filters
    and how many rows were shown."""
    audit.record(
        actor=user,
        action=AuditEvent.Action.READ_SENSITIVE,
        object_type="surveillance.CaseReport",
        object_repr="case report list",
        region_code=getattr(getattr(user, "region", None), "code", "") or "",
        request=request,
        details={"purpose": purpose, "shown": shown, "filters": {k: str(v) for k, v in filters.items() if v}},
    )


def report_by_client_id(*, user, client_report_id) -> CaseReport | None:
    return report_list(user=user).filter(client_report_id=client_report_id).first()


def report_versions(report: CaseReport) -> QuerySet:
    return (
        CaseReportVersion.objects.filter(report=report)
        .select_related("disease", "township")
        .order_by("version")
    )


def overdue_open(*, user, now: dt.datetime | None = None) -> QuerySet:
    """Reports received after their deadline (shown as overdue on the lists)."""
    return report_list(user=user).filter(is_late=True)


@dataclass
class CaseCounts:
    """Counts per series and period, ready for `surveillance.batch` / `surveillance.detection`.

    - `series`: [(disease_code, region_code)], one per row of `counts` (every requested pair, zeros included);
    - `periods`: the column labels — `datetime.date` per day, or ISO week labels "YYYY-Www" per week;
    - `first_day`: the first day (daily) or the Monday of the first week (weekly);
    - `counts`: int64 array of shape (len(series), len(periods)).
    """

    series: list[tuple[str, str]]
    periods: list
    first_day: dt.date
    period: str
    counts: np.ndarray


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _counted_reports(date_field: str, first: dt.date, last: dt.date) -> QuerySet:
    """Active, non-duplicate reports whose date of the given kind falls in first..last (both included);
    diagnosis times are bounded by the local midnights around that range."""
    qs = CaseReport.objects.filter(status=CaseReport.Status.ACTIVE, duplicate_of__isnull=True)
    if date_field == "diagnosis":
        tz = timezone.get_current_timezone()
        low = timezone.make_aware(dt.datetime.combine(first, dt.time()), tz)
        high = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time()), tz)
        return qs.filter(diagnosed_at__gte=low, diagnosed_at__lt=high)
    field = DATE_FIELDS[date_field]
    return qs.filter(**{f"{field}__gte": first, f"{field}__lte": last})


def case_counts(
    diseases: Iterable[str | Disease] | str | Disease,
    regions: Iterable[str | Region] | str | Region,
    *,
    period: str = "day",
    start: dt.date,
    end: dt.date,
    date_field: str = "report",
    classifications: Iterable[str] | None = None,
) -> CaseCounts:
    """Case counts per (disease, county) and day or ISO week, from `start` to `end` inclusive.

    `date_field`: "report" (the local date the report was received — CIDARS's default), "onset" or
    "diagnosis". `classifications` limits the case classifications counted (default: all).
    Weekly: whole ISO weeks from the week containing `start` to the week containing `end`.
    Not scoped to a user: it serves the detection job and aggregate figures, never a line list.
    """
    if period not in ("day", "week"):
        raise ValueError("period must be 'day' or 'week'")
    if date_field not in DATE_FIELDS:
        raise ValueError(f"date_field must be one of {sorted(DATE_FIELDS)}")
    if end < start:
        raise ValueError("end is before start")
    if isinstance(diseases, str | Disease):
        diseases = [diseases]
    if isinstance(regions, str | Region):
        regions = [regions]
    disease_codes = [d.code if isinstance(d, Disease) else d for d in diseases]
    region_codes = [r.code if isinstance(r, Region) else r for r in regions]
    series = [(d, r) for d in disease_codes for r in region_codes]
    row_of = {key: i for i, key in enumerate(series)}
    if period == "week":
        first = _monday(start)
        n_periods = (_monday(end) - first).days // 7 + 1
        days = [first + dt.timedelta(weeks=i) for i in range(n_periods)]
        labels = [f"{d.isocalendar().year}-W{d.isocalendar().week:02d}" for d in days]
        last = first + dt.timedelta(days=7 * n_periods - 1)
    else:
        first, last = start, end
        n_periods = (end - start).days + 1
        labels = [start + dt.timedelta(days=i) for i in range(n_periods)]
    counts = np.zeros((len(series), n_periods), dtype=np.int64)
    field = DATE_FIELDS[date_field]
    qs = _counted_reports(date_field, first, last).filter(
        disease__code__in=disease_codes, region__code__in=region_codes
    )
    if classifications is not None:
        qs = qs.filter(case_classification__in=list(classifications))
    rows = qs.values_list("disease__code", "region__code", field).annotate(n=Count("id")).order_by()
    for disease_code, region_code, day, n in rows:
        if isinstance(day, dt.datetime):
            day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
        column = (day - first).days // (7 if period == "week" else 1)
        counts[row_of[(disease_code, region_code)], column] += n
    return CaseCounts(series=series, periods=labels, first_day=first, period=period, counts=counts)


@dataclass
class TownshipCounts:
    """Counts of one disease in one county per township (rows) and day (columns), for the space-time scan.

    - `townships`: the county's current townships (code order), one per row of `counts`;
    - `days`: the column dates, `start` … `end`;
    - `counts`: int64 array (len(townships), len(days));
    - `unplaced`: counted reports in the period whose current-address township is missing or lies outside
      the county's current townships (they cannot be placed and are left out of `counts`).
    """

    townships: list[Region]
    days: list[dt.date]
    counts: np.ndarray
    unplaced: int


def township_case_counts(
    disease: str | Disease,
    county: str | Region,
    *,
    start: dt.date,
    end: dt.date,
    date_field: str = "report",
) -> TownshipCounts:
    """Reported cases of one disease in one county per township of the current address and per day, from
    `start` to `end` inclusive. Counted as `case_counts` counts them: active reports (not withdrawn), flagged
    duplicates left out (a patient reported by two institutions counts once), dated by `date_field`.
    Not scoped to a user: aggregate counts for the scan, never a line list."""
    from countybridge.core.models import RegionLevel

    if date_field not in DATE_FIELDS:
        raise ValueError(f"date_field must be one of {sorted(DATE_FIELDS)}")
    if end < start:
        raise ValueError("end is before start")
    disease_code = disease.code if isinstance(disease, Disease) else disease
    county = county if isinstance(county, Region) else Region.objects.get(code=county)
    townships = list(
        Region.objects.filter(level=RegionLevel.TOWNSHIP, parent=county, successor__isnull=True).order_by(
            "code"
        )
    )
    row_of = {t.pk: i for i, t in enumerate(townships)}
    n_days = (end - start).days + 1
    days = [start + dt.timedelta(days=i) for i in range(n_days)]
    counts = np.zeros((len(townships), n_days), dtype=np.int64)
    field = DATE_FIELDS[date_field]
    qs = _counted_reports(date_field, start, end).filter(disease__code=disease_code, region=county)
    unplaced = 0
    for township_id, day, n in qs.values_list("township_id", field).annotate(n=Count("id")).order_by():
        if isinstance(day, dt.datetime):
            day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
        row = row_of.get(township_id)
        if row is None:
            unplaced += n
            continue
        counts[row, (day - start).days] += n
    return TownshipCounts(townships=townships, days=days, counts=counts, unplaced=unplaced)
