"""Reads of signals: who may see them, lists and detail in scope, epidemic curves with the threshold band,
the current-signal map, per-disease and per-county tables and time-to-verification figures.

Signals are for the CDC line: the city administrator and department officers of the CDC or the health
commission see every county; a county officer sees their own county's (through `access.scope_queryset`);
everyone else is refused. Acting on a signal (conclude, record response, escalate) is for the city
administrator, CDC department officers and the county officer of the signal's county.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from countybridge.core import access
from countybridge.core.models import Region, RegionLevel, Role
from countybridge.core.models.access import Domain

from . import batch, response_stats
from .models import Disease, Signal, SignalFrequency, SignalLevel, SignalStatus
from .selectors_reports import case_counts

READ_DOMAINS = {Domain.CDC, Domain.HEALTH}


def can_read_signals(user) -> bool:
    role = access.role_of(user)
    if role in (Role.CITY_ADMIN, Role.COUNTY_OFFICER):
        return True
    return role == Role.DEPARTMENT_OFFICER and user.domain in READ_DOMAINS


def can_act_on_signals(user) -> bool:
    """May conclude, record responses and escalate (within read scope)."""
    role = access.role_of(user)
    if role in (Role.CITY_ADMIN, Role.COUNTY_OFFICER):
        return True
    return role == Role.DEPARTMENT_OFFICER and user.domain == Domain.CDC


def can_run_detection(user) -> bool:
    role = access.role_of(user)
    return role == Role.CITY_ADMIN or (role == Role.DEPARTMENT_OFFICER and user.domain == Domain.CDC)


def require_read(user) -> None:
    if not can_read_signals(user):
        raise PermissionDenied("signals are for the CDC, the health commission and county officers")


def require_act(user) -> None:
    if not can_act_on_signals(user):
        raise PermissionDenied("only CDC officers, county officers and the city administrator act on signals")


def require_run(user) -> None:
    if not can_run_detection(user):
        raise PermissionDenied("only the CDC and the city administrator start detection runs")


def signal_list(*, user, status: str = "", disease: str = "", region: str = "", level: str = "") -> QuerySet:
    """Signals in the user's scope, optionally filtered by status, disease code, county code and level."""
    require_read(user)
    qs = access.scope_queryset(Signal.objects.select_related("disease", "region"), user)
    if status:
        qs = qs.filter(status=status)
    if disease:
        qs = qs.filter(disease__code=disease)
    if region:
        qs = qs.filter(region__code=region)
    if level:
        qs = qs.filter(level=level)
    return qs


def signal_get(*, user, pk: int) -> Signal:
    signal = signal_list(user=user).filter(pk=pk).first()
    if signal is None:
        raise Http404("no such signal in your scope")
    return signal


def signal_events(signal: Signal) -> QuerySet:
    return signal.events.select_related("actor")


def visible_counties(*, user) -> QuerySet:
    """The county cities the user may read signals of (a county officer: their own)."""
    require_read(user)
    qs = Region.objects.filter(level=RegionLevel.COUNTY, is_county_city=True).order_by("code")
    # the counties listed on the pages; the signals themselves are scoped by access.scope_queryset
    return qs.filter(pk=user.region_id) if access.role_of(user) == Role.COUNTY_OFFICER else qs


def county_get(*, user, code: str) -> Region:
    region = visible_counties(user=user).filter(code=code).first()
    if region is None:
        raise Http404("no such county in your scope")
    return region


def detection_diseases() -> QuerySet:
    """Active diseases with a detection method, in catalogue order."""
    return Disease.objects.filter(is_active=True).exclude(detection_method="")


# ---- case counts ---------------------------------------------------------------------------------------


def count_matrix(
    pairs: list[tuple[int, int]], *, start: dt.date, periods: int, frequency: str = SignalFrequency.DAY
) -> np.ndarray:
    """Reported cases per (disease id, region id) row and period: days from `start`, or ISO weeks from the
    Monday `start`, through the reports app's `case_counts` (withdrawn cards and duplicates left out; dated
    by report date unless `settings.SURVEILLANCE_DATE_FIELD` says "onset"). Aggregate counts only."""
    step = 1 if frequency == SignalFrequency.DAY else 7
    matrix = np.zeros((len(pairs), periods))
    if not pairs:
        return matrix
    disease_codes = dict(Disease.objects.filter(pk__in={d for d, _ in pairs}).values_list("pk", "code"))
    region_codes = dict(Region.objects.filter(pk__in={r for _, r in pairs}).values_list("pk", "code"))
    counted = case_counts(
        sorted(set(disease_codes.values())),
        sorted(set(region_codes.values())),
        period=frequency,
        start=start,
        end=start + dt.timedelta(days=periods * step - 1),
        date_field=getattr(settings, "SURVEILLANCE_DATE_FIELD", "report"),
    )
    row_of = {key: i for i, key in enumerate(counted.series)}
    for i, (disease_id, region_id) in enumerate(pairs):
        matrix[i] = counted.counts[row_of[(disease_codes[disease_id], region_codes[region_id])], :periods]
    return matrix


# ---- epidemic curve --------------------------------------------------------------------------------------


def epidemic_curve(
    *,
    user,
    disease: Disease,
    region: Region,
    end: dt.date,
    frequency: str = SignalFrequency.WEEK,
    periods: int = 104,
) -> dict:
    """Counts of one disease in one county over the last `periods` periods ending with `end`, the
    disease's detection threshold for each period (the band) and the stored signals on it."""
    require_read(user)
    county = county_get(user=user, code=region.code)
    method = batch.batch_method(disease.detection_method, frequency) or batch.batch_method(
        "cidars-percentile", frequency
    )
    params = batch.method_params(method, disease.detection_params)
    years = int(params.get("years_back", 3)) if method.startswith("cidars") else 3
    if frequency == SignalFrequency.DAY:
        history = 366 * years + 30
        first = end - dt.timedelta(days=periods + history - 1)
        labels = [response_stats.day_label(first + dt.timedelta(days=i)) for i in range(periods + history)]
    else:
        last = response_stats.week_monday(end)
        history = 52 * years + 3
        first = last - dt.timedelta(weeks=periods + history - 1)
        labels = [response_stats.week_label(first + dt.timedelta(weeks=i)) for i in range(periods + history)]
    counts = count_matrix(
        [(disease.pk, county.pk)], start=first, periods=periods + history, frequency=frequency
    )
    config = batch.SeriesConfig.of((disease.pk, county.pk), method, params)
    result = batch.run_batch(counts, [config], first_day=first, keep_results=True)
    detail = next(iter(result.results.values()))
    observed = getattr(detail, "observed", None)
    observed = counts if observed is None else observed
    bound = np.asarray(detail.upperbound)[0, history:]
    stored = signal_list(user=user, disease=disease.code, region=county.code).filter(frequency=frequency)
    return {
        "disease": disease.code,
        "region": county.code,
        "frequency": frequency,
        "method": method,
        "params": params,
        "periods": labels[history:],
        "counts": [int(v) for v in counts[0, history:]],
        "observed": [None if np.isnan(v) else float(v) for v in np.asarray(observed)[0, history:]],
        "threshold": [None if np.isnan(v) else round(float(v), 3) for v in bound],
        "signals": [
            {
                "id": s.pk,
                "period": s.period,
                "status": s.status,
                "observed": s.observed,
                "threshold": s.threshold,
            }
            for s in stored.filter(period__in=labels[history:])
        ],
    }


# ---- summaries -----------------------------------------------------------------------------------------


def _since(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def county_signal_map(*, user, days: int = 30) -> list[dict]:
    """Per visible county city: open signals, escalated open ones and all signals of the last `days` days."""
    counties = list(visible_counties(user=user))
    qs = signal_list(user=user)
    open_ = Counter(qs.filter(status=SignalStatus.PENDING).values_list("region_id", flat=True))
    escalated = Counter(
        qs.filter(status=SignalStatus.PENDING, level=SignalLevel.CITY).values_list("region_id", flat=True)
    )
    recent = Counter(qs.filter(detected_at__gte=_since(days)).values_list("region_id", flat=True))
    return [
        {
            "code": c.code,
            "name_zh": c.name_zh,
            "name_en": c.name_en,
            "map_name": c.map_name or c.name_zh,
            "open": open_.get(c.pk, 0),
            "escalated": escalated.get(c.pk, 0),
            "recent": recent.get(c.pk, 0),
        }
        for c in counties
    ]


def _table(qs: QuerySet, field: str) -> list[dict]:
    rows = (
        qs.values(field)
        .annotate(
            total=Count("id"),
            pending=Count("id", filter=Q(status=SignalStatus.PENDING)),
            verified=Count("id", filter=Q(status=SignalStatus.VERIFIED)),
            false_alarm=Count("id", filter=Q(status=SignalStatus.FALSE_ALARM)),
            escalated=Count("id", filter=Q(level=SignalLevel.CITY)),
        )
        .order_by(field)
    )
    return list(rows)


def _figures_by(qs: QuerySet, field: str, now: dt.datetime) -> dict:
    groups: dict = defaultdict(list)
    for key, detected, deadline, verified in qs.values_list(
        field, "detected_at", "deadline_at", "verified_at"
    ):
        groups[key].append(response_stats.SignalTiming(detected, deadline, verified))
    return {k: response_stats.verification_figures(v, now=now).as_dict() for k, v in groups.items()}


def signal_table(*, user, by: str = "disease", days: int = 365) -> list[dict]:
    """Signals of the last `days` days per disease or per county: totals by status, escalated, and the
    time-to-verification figures of each row."""
    qs = signal_list(user=user).filter(detected_at__gte=_since(days))
    now = timezone.now()
    if by == "county":
        field, names = "region__code", {r.code: r for r in visible_counties(user=user)}
    else:
        field, names = "disease__code", {d.code: d for d in Disease.objects.all()}
    figures = _figures_by(qs, field, now)
    out = []
    for row in _table(qs, field):
        key = row.pop(field)
        obj = names.get(key)
        out.append(
            {
                "code": key,
                "name_zh": getattr(obj, "name_zh", key),
                "name_en": getattr(obj, "name_en", key),
                **row,
                **{k: v for k, v in figures.get(key, {}).items() if k not in ("signals",)},
            }
        )
    return out


def verification_summary(*, user, days: int = 365) -> dict:
    qs = signal_list(user=user).filter(detected_at__gte=_since(days))
    timings = [
        response_stats.SignalTiming(*v) for v in qs.values_list("detected_at", "deadline_at", "verified_at")
    ]
    return response_stats.verification_figures(timings, now=timezone.now()).as_dict()
