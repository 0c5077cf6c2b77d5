"""Fixed threshold, CIDARS moving percentile (weekly and daily), edge cases and bad input of every method."""

import datetime as dt

import numpy as np
import pytest

from countybridge.surveillance.detection import (
    INSUFFICIENT_HISTORY,
    OK,
    UNDEFINED,
    DetectionInputError,
    cidars_daily,
    cidars_weekly,
    cusum_rossi,
    ears_c,
    fixed_threshold,
    iso_week_periods,
)

ALL_METHODS = [
    lambda c: fixed_threshold(c),
    lambda c: ears_c(c, method="C1"),
    lambda c: ears_c(c, method="C2"),
    lambda c: ears_c(c, method="C3"),
    lambda c: cusum_rossi(c, start=4),
    lambda c: cidars_weekly(c),
    lambda c: cidars_daily(c, first_day=dt.date(2024, 1, 1)),
]


def test_fixed_threshold_signals_any_single_case():
    result = fixed_threshold([0, 1, 0, 3])
    assert result.alarm.tolist() == [False, True, False, True]
    assert result.upperbound.tolist() == [0, 0, 0, 0]
    assert (result.status == OK).all()


def test_cidars_weekly_percentile_is_type_7():
    rng = np.random.default_rng(4)
    counts = rng.poisson(6, size=(3, 300)).astype(float)
    for percentile in (50, 80, 90):
        result = cidars_weekly(counts, percentile=percentile)
        t = 200
        baseline = counts[:, [t - 52 * k + j for k in (1, 2, 3) for j in (-2, -1, 0, 1, 2)]]
        expected = np.percentile(baseline, percentile, axis=1)  # numpy's default = R type 7
        np.testing.assert_allclose(result.upperbound[:, t], expected, rtol=1e-12)
        x = np.sort(baseline, axis=1)  # the facts file's worked formulas (1-based x₁ … x₁₅)
        worked = {
            50: x[:, 7],
            80: x[:, 11] + 0.2 * (x[:, 12] - x[:, 11]),
            90: x[:, 12] + 0.6 * (x[:, 13] - x[:, 12]),
        }
        np.testing.assert_allclose(result.upperbound[:, t], worked[percentile], rtol=1e-12)
        assert (result.alarm[:, t] == ((counts[:, t] > expected) & (counts[:, t] >= 1))).all()


def test_cidars_weekly_history_rule_and_per_series_percentile():
    counts = np.ones((2, 170))
    result = cidars_weekly(counts, percentile=np.array([50.0, 90.0]))
    # t − 52k + j ≥ 0 for at least 10 of the 15 values from t = 106 (k = 1, 2 complete) on
    assert (result.status[:, :106] == INSUFFICIENT_HISTORY).all()
    assert np.isnan(result.upperbound[:, :106]).all()
    assert (result.status[:, 106:] == OK).all()
    assert not result.alarm.any()  # count 1 is not > a bound of 1


def test_cidars_weekly_zero_baseline_needs_a_case_and_strict_excess():
    counts = np.zeros(200)
    counts[180] = 1
    result = cidars_weekly(counts)
    assert result.alarm.tolist().count(True) == 1 and result.alarm[180]
    assert not cidars_weekly(np.zeros(200)).alarm.any()  # 0 > 0 is false: no signal on zero cases


def test_cidars_weekly_iso_week_53_is_one_more_period():
    labels = [
        f"{y}-W{w:02d}" for y in (2019, 2020, 2021, 2022) for w in range(1, (53 if y == 2020 else 52) + 1)
    ]
    periods = iso_week_periods(labels)
    assert len(periods) == 52 * 4 + 1 and (np.diff(periods) == 1).all()
    counts = np.arange(len(labels), dtype=float) % 7
    result = cidars_weekly(counts)
    t = labels.index("2022-W01")  # 157 periods in, after 2020-W53: "same week" one period off
    assert result.status[labels.index("2020-W53")] == INSUFFICIENT_HISTORY
    index = [t - 52 * k + j for k in (1, 2, 3) for j in (-2, -1, 0, 1, 2)]
    baseline = counts[[i for i in index if i >= 0]]
    assert len(baseline) == 14 and labels[t - 52] == "2021-W01" and labels[t - 104] == "2020-W02"
    assert result.upperbound[t] == pytest.approx(np.percentile(baseline, 80))
    with pytest.raises(DetectionInputError, match="53"):
        iso_week_periods(["2021-W52", "2021-W53"])
    with pytest.raises(DetectionInputError, match="consecutive"):
        iso_week_periods(["2020-W52", "2021-W01"])


def test_cidars_daily_sums_baseline_and_leap_day():
    first = dt.date(2021, 1, 1)
    n = (dt.date(2024, 12, 31) - first).days + 1
    rng = np.random.default_rng(7)
    counts = rng.poisson(2, size=n).astype(float)
    result = cidars_daily(counts, first_day=first, percentile=80, years_back=3)
    t = (dt.date(2024, 2, 29) - first).days
    sums = np.convolve(counts, np.ones(7))[:n]
    assert result.observed[t] == sums[t]
    anchors = [(dt.date(y, 2, 28) - first).days for y in (2023, 2022, 2021)]  # 29 Feb → 28 Feb
    values = [sums[a + 7 * j] for a in anchors for j in (-2, -1, 0, 1, 2) if a + 7 * j >= 6]
    assert len(values) == 15
    assert result.upperbound[t] == pytest.approx(np.percentile(values, 80), rel=1e-12)
    # the first days have no full 7-day sum; the first year has no baseline at all
    assert (result.status[:365] == INSUFFICIENT_HISTORY).all()


def test_cidars_daily_repeat_suppression():
    first = dt.date(2020, 1, 1)
    n = (dt.date(2023, 3, 1) - first).days
    counts = np.zeros(n)
    start = (dt.date(2023, 2, 1) - first).days
    counts[start] = 2  # C = 2 for seven days: one signal, six suppressed
    counts[start + 3] = 2  # C = 4 ≥ 2 × 2 on day +3: a new signal, restarting the 7 days
    counts[start + 20] = 1  # a later episode, more than 7 days after: a fresh signal
    result = cidars_daily(counts, first_day=first)
    sent = np.flatnonzero(result.alarm)
    assert sent.tolist() == [start, start + 3, start + 20]
    assert np.flatnonzero(result.suppressed).tolist() == [
        start + 1,
        start + 2,
        *range(start + 4, start + 10),
        *range(start + 21, start + 27),
    ]
    assert not (result.alarm & result.suppressed).any()


@pytest.mark.parametrize("method", range(len(ALL_METHODS)))
def test_all_zero_series_never_crashes_or_signals(method):
    result = ALL_METHODS[method](np.zeros((3, 800)))
    assert result.alarm.shape == (3, 800) and not result.alarm.any()


def test_all_zero_undefined_where_r_gives_na():
    c3 = ears_c(np.zeros(30), method="C3")
    assert (c3.status[11:] == UNDEFINED).all() and np.isnan(c3.upperbound[11:]).all()
    assert (ears_c(np.zeros(30), method="C3", min_sigma=1).status[11:] == OK).all()
    cusum = cusum_rossi(np.zeros(30), start=10)
    assert (cusum.status[10:] == UNDEFINED).all() and (cusum.upperbound[10:] == 0).all()


@pytest.mark.parametrize("method", range(len(ALL_METHODS)))
def test_short_series_is_insufficient_history_not_a_crash(method):
    for length in (0, 1, 3):
        result = ALL_METHODS[method](np.ones(length))
        assert result.upperbound.shape == (length,)
        if method:  # all but the fixed threshold need history
            assert (result.status == INSUFFICIENT_HISTORY).all() and not result.alarm.any()


def test_first_evaluated_period_per_method():
    counts = np.arange(40.0) % 5
    assert np.flatnonzero(ears_c(counts, method="C1").status == OK)[0] == 7
    assert np.flatnonzero(ears_c(counts, method="C2").status == OK)[0] == 9
    assert np.flatnonzero(ears_c(counts, method="C3").status == OK)[0] == 11
    assert np.flatnonzero(cusum_rossi(counts, start=20).status == OK)[0] == 20


@pytest.mark.parametrize(
    ("counts", "fragment"),
    [
        ([1, -1, 2], "negative"),
        ([1, np.nan, 2], "NaN"),
        ([1.5, 2], "whole"),
        ([[1, 2], [3]], "same length"),
        (np.zeros((2, 2, 2)), "1-D"),
        (["a", "b"], "numeric"),
    ],
)
@pytest.mark.parametrize("method", range(len(ALL_METHODS)))
def test_bad_counts_raise_a_bilingual_error(method, counts, fragment):
    with pytest.raises(DetectionInputError, match=fragment) as info:
        ALL_METHODS[method](counts)
    assert isinstance(info.value, ValueError)
    assert info.value.message_zh and info.value.message_en
    assert any("\u4e00" <= ch <= "\u9fff" for ch in info.value.message_zh)


def test_bad_parameters_raise_a_bilingual_error():
    counts = np.ones((3, 120))
    cases = [
        (lambda: cidars_weekly(counts, percentile=np.array([80.0, 90.0])), "one per series"),
        (lambda: cidars_weekly(counts, percentile=120), "percentile"),
        (lambda: cidars_weekly(counts, years_back=2), "3 to 5"),
        (lambda: cusum_rossi(counts, m=np.ones(4)), "one per series"),
        (lambda: cusum_rossi(counts, start=0), "baseline"),
        (lambda: cusum_rossi(counts, m=-1.0), "expected count"),
        (lambda: cusum_rossi(counts, m=np.nan), "expected count"),
        (lambda: ears_c(counts, method="C4"), "C1, C2 or C3"),
        (lambda: ears_c(counts, baseline=2), "at least 3"),
        (lambda: ears_c(counts, alpha=1.5), "alpha"),
        (lambda: fixed_threshold(counts, threshold=0), "threshold"),
        (lambda: cidars_daily(counts, first_day="2024-01-01"), "date"),
    ]
    for call, fragment in cases:
        with pytest.raises(DetectionInputError, match=fragment):
            call()


def test_one_and_two_dimensional_inputs_agree():
    rng = np.random.default_rng(1)
    counts = rng.poisson(3, size=(4, 120)).astype(float)
    for method in ALL_METHODS:
        batch = method(counts)
        for i in range(4):
            single = method(counts[i])
            np.testing.assert_array_equal(single.upperbound, batch.upperbound[i])
            np.testing.assert_array_equal(single.alarm, batch.alarm[i])
