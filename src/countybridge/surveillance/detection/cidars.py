"""China's moving-percentile method (CIDARS MPM), exactly as the platform defines it
(../shared/facts/surveillance.md § 2; the published texts leave these details open, so this is the reference).

Weekly form (`cidars_weekly`, for `series,period,count` data):
- observation: the count of period t;
- baseline: the counts of periods t − 52k + j, k = 1 … years_back (default 3), j = −2 … +2 (15 values);
  fewer than 10 of them inside the series → no bound (INSUFFICIENT_HISTORY);
- upperbound: the type-7 percentile (linear interpolation, R type 7 = numpy's default) of the baseline at
  `percentile` (default 80): with n sorted values and h = (n − 1)·p/100, x₍⌊h⌋+1₎ + (h − ⌊h⌋)·(next − it);
- alarm: count > upperbound (strict, so an all-zero baseline never signals on zero cases) and
  count ≥ min_cases (default 1).
  A 53-week ISO year shifts the "same week" by one period; the ±2-period block absorbs that.

Daily form (`cidars_daily`, what the platform runs each day):
- C(t): the sum of the 7 days t−6 … t (days with no report count 0; a sum needs all 7 days inside the series);
- baseline: for k = 1 … years_back, the same calendar day k years earlier (29 Feb → 28 Feb) and the 7-day
  sums ending at it ± 7, ± 14 days: 15 values for 3 years; fewer than 10 → INSUFFICIENT_HISTORY ("no baseline");
- threshold T: the type-7 percentile at the disease's percentile (P90 / P80 / P50, per series);
- exceedance: C > T and C ≥ min_cases;
- repeat suppression: after a signal on day s, exceedances on days s+1 … s+6 (whose 7-day sums overlap the
  one that signalled) are `suppressed`, not signals, unless C reaches twice the C that triggered the signal;
  such a doubling is a new signal and restarts the 7 days with its own C.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from ._common import (
    CHUNK,
    INSUFFICIENT_HISTORY,
    OK,
    DetectionInputError,
    DetectionResult,
    as_counts,
    check_range,
    empty,
    finish,
    per_series,
    type7_percentile,
)

MIN_BASELINE_VALUES = 10
OFFSETS = (-2, -1, 0, 1, 2)
WINDOW_DAYS = 7


def _check_common(percentile, years_back: int, min_cases) -> None:
    for p in np.atleast_1d(np.asarray(percentile, dtype=np.float64)):
        check_range("percentile", float(p), 0.0, 100.0)
    if int(years_back) != years_back or not 3 <= years_back <= 5:  # the facts file's setting range
        raise DetectionInputError(
            "cidars_years_back",
            f"基线回溯年数应为3到5之间的整数: {years_back}",
            f"Years back must be a whole number from 3 to 5: {years_back}",
        )
    for c in np.atleast_1d(np.asarray(min_cases, dtype=np.float64)):
        check_range("min_cases", float(c), 0.0)


def _bounds(values: np.ndarray, index: np.ndarray, percentile: np.ndarray) -> np.ndarray:
    """Percentile of values[:, index[t, :]] per period t; index −1 means 'not in the series'."""
    available = index >= 0
    n_valid = available.sum(axis=1)
    out = np.full(values.shape, np.nan)
    # series per block: keep the (series, periods, 15) gather near 4 million values (32 MB)
    rows = max(1, min(CHUNK, 4_000_000 // max(1, index.size)))
    for start in range(0, values.shape[0], rows):
        block = slice(start, start + rows)
        baseline = values[block][:, np.where(available, index, 0)]  # (series, periods, m)
        baseline[:, ~available] = np.nan
        out[block] = type7_percentile(baseline, n_valid[np.newaxis, :], percentile[block])
    out[:, n_valid < MIN_BASELINE_VALUES] = np.nan
    return out


def cidars_weekly(counts, *, percentile=80.0, years_back: int = 3, min_cases=1, periods_per_year: int = 52):
    """Weekly MPM upper bounds and alarms; `percentile` and `min_cases` may be given per series."""
    _check_common(percentile, years_back, min_cases)
    x, one_d = as_counts(counts)
    n_series, n_periods = x.shape
    p = per_series(percentile, n_series, "percentile")
    floor = per_series(min_cases, n_series, "min_cases")
    t = np.arange(n_periods)[:, np.newaxis]
    lags = np.array([periods_per_year * k - j for k in range(1, years_back + 1) for j in OFFSETS])
    index = t - lags[np.newaxis, :]
    index[index < 0] = -1
    upperbound = _bounds(x, index, p)
    status = np.where(np.isnan(upperbound), INSUFFICIENT_HISTORY, OK).astype(np.int8)
    with np.errstate(invalid="ignore"):
        alarm = (x > upperbound) & (x >= floor)
    return finish(upperbound, alarm, status, one_d)


@dataclass(frozen=True)
class DailyResult(DetectionResult):
    """Daily MPM output: `observed` is the 7-day sum C(t), `upperbound` the threshold T, `alarm` the signals
    sent and `suppressed` the exceedances held back by repeat suppression."""

    observed: np.ndarray | None = None
    suppressed: np.ndarray | None = None


def _same_day_years_back(day: dt.date, k: int) -> dt.date:
    try:
        return day.replace(year=day.year - k)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - k, day=28)


def cidars_daily(counts, *, first_day: dt.date, percentile=50.0, years_back: int = 3, min_cases=1):
    """Daily MPM over day counts starting at `first_day` (by report date); per-series percentile allowed."""
    _check_common(percentile, years_back, min_cases)
    if not isinstance(first_day, dt.date) or isinstance(first_day, dt.datetime):
        raise DetectionInputError(
            "cidars_first_day", "first_day 应为日期", "first_day must be a date (datetime.date)"
        )
    x, one_d = as_counts(counts)
    n_series, n_days = x.shape
    p = per_series(percentile, n_series, "percentile")
    floor = per_series(min_cases, n_series, "min_cases")
    upperbound, alarm, status = empty(x.shape)
    sums = np.full(x.shape, np.nan)
    suppressed = np.zeros(x.shape, dtype=bool)
    if n_days >= WINDOW_DAYS:
        csum = np.concatenate([np.zeros((n_series, 1)), np.cumsum(x, axis=1)], axis=1)
        sums[:, WINDOW_DAYS - 1 :] = csum[:, WINDOW_DAYS:] - csum[:, :-WINDOW_DAYS]
        index = np.full((n_days, len(OFFSETS) * years_back), -1)
        for t in range(n_days):
            day = first_day + dt.timedelta(days=t)
            for k in range(1, years_back + 1):
                anchor = (_same_day_years_back(day, k) - first_day).days
                for i, j in enumerate(OFFSETS):
                    index[t, (k - 1) * len(OFFSETS) + i] = anchor + 7 * j
        index[index < WINDOW_DAYS - 1] = -1  # the 7-day sum must lie wholly inside the series
        upperbound = _bounds(sums, index, p)
        upperbound[np.isnan(sums)] = np.nan
        status = np.where(np.isnan(upperbound), INSUFFICIENT_HISTORY, OK).astype(np.int8)
        with np.errstate(invalid="ignore"):
            exceeds = (sums > upperbound) & (sums >= floor)
        alarm, suppressed = _suppress_repeats(sums, exceeds)
    if one_d:
        sums, suppressed = sums[0], suppressed[0]
    base = finish(upperbound, alarm, status, one_d)
    return DailyResult(base.upperbound, base.alarm, base.status, observed=sums, suppressed=suppressed)


def _suppress_repeats(sums: np.ndarray, exceeds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Split exceedances into signals and repeats within 7 days (a doubled C is a new signal)."""
    sent = np.zeros(exceeds.shape, dtype=bool)
    last_day = np.full(exceeds.shape[0], -(10**9))
    last_sum = np.zeros(exceeds.shape[0])
    for t in range(exceeds.shape[1]):
        fresh = (t - last_day) >= WINDOW_DAYS
        doubled = sums[:, t] >= 2.0 * last_sum
        send = exceeds[:, t] & (fresh | doubled)
        sent[:, t] = send
        last_day = np.where(send, t, last_day)
        last_sum = np.where(send, sums[:, t], last_sum)
    return sent, exceeds & ~sent
