"""The optional second stage on an MPM (CIDARS) signal: a prospective space-time permutation scan over the
county's townships (facts: surveillance.md § 2.1, last bullet) whose outcome is stored on the signal.

- Data: the signal's disease in the signal's county, per township of the current address × day, the
  372 days ending on the signal's period end (the last 7 days against the prior 365), counted as the
  detection counts them (`selectors_reports.township_case_counts`: withdrawn cards and duplicates left
  out, dated by `settings.SURVEILLANCE_DATE_FIELD`). Reports without a township cannot be placed; they are
  left out and their number is stored with the result.
- Scan (`detection.spacetime_scan`): prospective (windows end on the signal's last day), windows of 1 … 7
  days, circles holding at most 50 % of the cases, 999 replicas, the scan's default minimum of cases, and a
  seed derived from the signal (disease, county, period, method) so a rescan gives the same result on the
  same data. The signal is "spatially confirmed" when the most likely cluster has p < 0.05.
- Coordinates: the townships' `core.Region` lon/lat. Townships without a case in the study period cannot
  change any cylinder's count (a circle's cases are the same with or without them), so only townships with
  cases need coordinates; when one of those lacks them the scan does not run (status `no_coordinates`,
  naming them: the regions import takes longitude and latitude columns).
- It never drops a signal nor changes anything else on it. Each scan is one transaction with a
  'spatial_scan' history event and an audit row; a signal already scanned is not scanned again unless
  `rescan=True`.
"""

from __future__ import annotations

import datetime as dt
import inspect
import math
import zlib

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from countybridge.core import audit
from countybridge.core.models import AuditEvent

from .detection.spacetime_scan import SCAN_OK, SCAN_TOO_FEW_CASES, spacetime_permutation_scan
from .models import Signal, SignalEvent, SpatialStatus
from .selectors_reports import township_case_counts
from .services_signals import _check_scope, _event, _invalid, _locked

MPM_METHODS = ("cidars-daily", "cidars-weekly")
STUDY_DAYS = 372  # the last 7 days against the prior 365
MAX_WINDOW_DAYS = 7
MAX_CASE_SHARE = 0.5
REPLICAS = 999
ALPHA = 0.05
MIN_CASES = int(inspect.signature(spacetime_permutation_scan).parameters["min_cases"].default)
_LISTED = 20  # townships named in a message


def is_mpm(signal: Signal) -> bool:
    return signal.method in MPM_METHODS


def scan_seed(signal: Signal) -> int:
    """The signal's own seed: the same signal scans the same way on the same data."""
    key = f"{signal.disease.code}|{signal.region.code}|{signal.period}|{signal.method}"
    return zlib.crc32(key.encode("utf-8"))


def _names(townships, lang: str) -> str:
    shown = [
        f"{t.name_zh}({t.code})" if lang == "zh" else f"{t.name_en or t.name_zh} ({t.code})"
        for t in townships[:_LISTED]
    ]
    rest = len(townships) - len(shown)
    if rest > 0:
        shown.append(f"等{rest}个" if lang == "zh" else f"and {rest} more")
    return ("、" if lang == "zh" else ", ").join(shown)


def _number(value: float) -> float | None:
    return round(float(value), 6) if math.isfinite(value) else None


def compute_spatial(signal: Signal, *, replicas: int = REPLICAS) -> dict:
    """The scan's outcome for a signal as the fields to store (status, p, cluster, detail). Reads only."""
    end = signal.period_end
    start = end - dt.timedelta(days=STUDY_DAYS - 1)
    date_field = getattr(settings, "SURVEILLANCE_DATE_FIELD", "report")
    counted = township_case_counts(signal.disease, signal.region, start=start, end=end, date_field=date_field)
    seed = scan_seed(signal)
    rows = [i for i in range(len(counted.townships)) if counted.counts[i].sum() > 0]
    townships = [counted.townships[i] for i in rows]
    total = int(counted.counts.sum())
    detail = {
        "study_start": start.isoformat(),
        "study_end": end.isoformat(),
        "date_field": date_field,
        "total_cases": total,
        "unplaced_cases": counted.unplaced,
        "townships_in_county": len(counted.townships),
        "townships_with_cases": len(townships),
        "max_window_days": MAX_WINDOW_DAYS,
        "max_case_share": MAX_CASE_SHARE,
        "min_cases": MIN_CASES,
        "replicas": int(replicas),
        "seed": seed,
        "alpha": ALPHA,
    }
    if total < MIN_CASES:
        detail.update(
            message_zh=f"研究期内可定位到乡镇的病例{total}例,少于时空扫描所需的{MIN_CASES}例,未进行扫描",
            message_en=f"{total} cases placed in townships in the study period, fewer than the "
            f"{MIN_CASES} a space-time scan needs: not scanned",
        )
        return {"status": SpatialStatus.TOO_FEW_CASES, "p": None, "cluster": {}, "detail": detail}
    missing = [t for t in townships if t.lon is None or t.lat is None]
    if missing:
        detail.update(
            missing_townships=[t.code for t in missing],
            message_zh=f"以下{len(missing)}个乡镇(街道)缺少坐标,无法如实进行时空扫描:{_names(missing, 'zh')}。"
            "可通过行政区划导入(经度、纬度列)补充坐标。",
            message_en=f"{len(missing)} township(s) lack coordinates, so the space-time scan cannot run "
            f"honestly: {_names(missing, 'en')}. Coordinates can be imported with the regions import "
            "(longitude and latitude columns).",
        )
        return {"status": SpatialStatus.NO_COORDINATES, "p": None, "cluster": {}, "detail": detail}
    result = spacetime_permutation_scan(
        counted.counts[rows],
        [(t.lon, t.lat) for t in townships],
        geometry="lonlat",
        prospective=True,
        max_window=MAX_WINDOW_DAYS,
        max_case_share=MAX_CASE_SHARE,
        replicas=int(replicas),
        seed=seed,
        max_clusters=1,
    )
    detail["coordinates_synthetic"] = any(t.coordinates_are_synthetic for t in townships)
    if result.status == SCAN_TOO_FEW_CASES:  # not reached while MIN_CASES is the scan's own default
        detail.update(message_zh=result.message_zh, message_en=result.message_en)
        return {"status": SpatialStatus.TOO_FEW_CASES, "p": None, "cluster": {}, "detail": detail}
    cluster = result.most_likely
    if result.status != SCAN_OK or cluster is None:
        detail.update(message_zh=result.message_zh, message_en=result.message_en)
        return {"status": SpatialStatus.NOT_CONFIRMED, "p": None, "cluster": {}, "detail": detail}
    members = [townships[i] for i in cluster.locations]
    first, last = counted.days[cluster.start], counted.days[cluster.end]
    p = cluster.p_value
    confirmed = p is not None and p < ALPHA
    record = {
        "townships": [
            {
                "code": t.code,
                "name_zh": t.name_zh,
                "name_en": t.name_en,
                "coordinates_synthetic": t.coordinates_are_synthetic,
            }
            for t in members
        ],
        "centre": townships[cluster.centre].code,
        "radius_km": round(cluster.radius_km, 3),
        "start": first.isoformat(),
        "end": last.isoformat(),
        "days": cluster.end - cluster.start + 1,
        "observed": cluster.observed,
        "expected": round(cluster.expected, 4),
        "relative_risk": _number(cluster.relative_risk),
        "llr": round(cluster.llr, 6),
        "p_value": p,
        "recurrence_interval_days": _number(cluster.recurrence_interval)
        if cluster.recurrence_interval is not None
        else None,
        "coordinates_synthetic": any(t.coordinates_are_synthetic for t in members),
    }
    where_zh, where_en = _names(members, "zh"), _names(members, "en")
    p_text = f"{p:.3f}" if p is not None else "—"
    if confirmed:
        detail.update(
            message_zh=f"时空扫描确认聚集(p={p_text}):{where_zh},{first}至{last},"
            f"观察{cluster.observed}例,期望{cluster.expected:.1f}例",
            message_en=f"Spatially confirmed (p = {p_text}): {where_en}, {first} to {last}, "
            f"{cluster.observed} cases observed against {cluster.expected:.1f} expected",
        )
    else:
        detail.update(
            message_zh=f"最可能聚集不显著(p={p_text}, 须 p<{ALPHA}):{where_zh},{first}至{last}",
            message_en=f"The most likely cluster is not significant (p = {p_text}, p < {ALPHA} needed): "
            f"{where_en}, {first} to {last}",
        )
    status = SpatialStatus.CONFIRMED if confirmed else SpatialStatus.NOT_CONFIRMED
    return {"status": status, "p": p, "cluster": record, "detail": detail}


def _store(signal: Signal, outcome: dict, *, actor, request=None, rescan: bool = False) -> Signal:
    with transaction.atomic():
        signal = _locked(signal)
        if signal.spatial_status != SpatialStatus.NOT_RUN and not rescan:
            return signal  # scanned meanwhile by another call
        before = (signal.status, signal.level)
        now = timezone.now()
        signal.spatial_status = outcome["status"]
        signal.spatial_p = outcome["p"]
        signal.spatial_cluster = outcome["cluster"]
        signal.spatial_detail = outcome["detail"]
        signal.spatial_scanned_at = now
        signal.save(
            update_fields=[
                "spatial_status",
                "spatial_p",
                "spatial_cluster",
                "spatial_detail",
                "spatial_scanned_at",
                "updated_at",
            ]
        )
        note = f"{outcome['status']}: {outcome['detail'].get('message_zh', '')} / {outcome['detail'].get('message_en', '')}"
        _event(signal, actor, SignalEvent.Kind.SPATIAL_SCAN, before=before, note=note[:2000], at=now)
        audit.record(actor=actor, action=AuditEvent.Action.UPDATE, obj=signal, request=request,
                     details={"signal": "spatial_scan", "status": outcome["status"], "p": outcome["p"],
                              "cluster": [t["code"] for t in outcome["cluster"].get("townships", [])],
                              "seed": outcome["detail"].get("seed")})  # fmt: skip
    return signal


def signal_spatial_scan(
    *, actor, signal: Signal, rescan: bool = False, request=None, replicas: int = REPLICAS
) -> Signal:
    """Scan one MPM signal on demand (the county's officer, CDC officers, the city administrator). A signal
    already scanned is returned unchanged unless `rescan`; a signal of another method is refused
    (bilingual 422, nothing stored)."""
    _check_scope(actor, signal)
    if not is_mpm(signal):
        raise _invalid(
            "method",
            signal.method,
            f"时空扫描只用于移动百分位数法(CIDARS MPM)信号,该信号的方法为 {signal.method}",
            f"The space-time scan applies to moving-percentile (CIDARS MPM) signals only; this signal's "
            f"method is {signal.method}",
            "not_mpm",
        )
    if signal.spatial_status != SpatialStatus.NOT_RUN and not rescan:
        return signal
    outcome = compute_spatial(signal, replicas=replicas)
    return _store(signal, outcome, actor=actor, request=request, rescan=rescan)


def spatial_scan_signals(signals, *, actor=None, replicas: int = REPLICAS) -> dict[str, int]:
    """The detection run's second stage: scan the MPM signals among `signals` not scanned yet (a rerun
    scans none again). Returns how many ended in each status."""
    tally: dict[str, int] = {}
    for signal in signals:
        if not is_mpm(signal) or signal.spatial_status != SpatialStatus.NOT_RUN:
            continue
        signal = _store(signal, compute_spatial(signal, replicas=replicas), actor=actor)
        tally[signal.spatial_status] = tally.get(signal.spatial_status, 0) + 1
    return tally
