"""Farrington (improved and classic) against R `surveillance` 1.20.3 farringtonFlexible, plus edge cases and
bad input."""

import numpy as np
import pytest

from countybridge.surveillance.detection import (
    FEW_CASES,
    INSUFFICIENT_HISTORY,
    OK,
    DetectionInputError,
    farrington,
    farrington_flexible,
)
from countybridge.surveillance.detection import farrington_glm as farrington_module

from .reference import (
    ALARM,
    FARRINGTON_DATASETS,
    FARRINGTON_METHODS,
    compare_farrington,
    load_farrington,
)


@pytest.fixture(scope="module", params=FARRINGTON_DATASETS)
def reference(request):
    return load_farrington(request.param)


@pytest.mark.parametrize("method", FARRINGTON_METHODS)
def test_matches_r(reference, method):
    max_rel, alarm_mismatches, nan_mismatches = compare_farrington(method, reference)
    assert nan_mismatches == 0  # bounds missing exactly where R has none
    assert max_rel <= 1e-6
    assert alarm_mismatches == 0


def test_reference_is_not_trivial():
    # the comparison above must cover bounds, alarms and R's limit54 gaps on every method
    for name in FARRINGTON_DATASETS:
        ref = load_farrington(name)
        for method in FARRINGTON_METHODS:
            ub, alarm = ref[method]
            assert np.isfinite(ub).sum() >= 10  # ha: mostly weeks under limit54, so few bounds
            assert np.isnan(ub).sum() > 0
    salm = load_farrington("salmNewport")
    for method in FARRINGTON_METHODS:
        assert (salm[method][1] == ALARM).sum() > 10


def test_batch_equals_one_series_at_a_time_and_blocks_do_not_matter(monkeypatch):
    ref = load_farrington("ha")
    x = ref["observed"]
    whole = farrington_flexible(x)
    for i in (0, 5, x.shape[0] - 1):
        one = farrington_flexible(x[i])
        np.testing.assert_array_equal(one.upperbound, whole.upperbound[i])
        np.testing.assert_array_equal(one.alarm, whole.alarm[i])
        np.testing.assert_array_equal(one.status, whole.status[i])
    monkeypatch.setattr(farrington_module, "BLOCK_VALUES", 500)  # a handful of problems per block
    small_blocks = farrington_flexible(x)
    np.testing.assert_allclose(small_blocks.upperbound, whole.upperbound, rtol=1e-12)
    np.testing.assert_array_equal(small_blocks.alarm, whole.alarm)


def test_statuses():
    rng = np.random.default_rng(7)
    x = rng.poisson(8.0, size=(2, 260)).astype(float)
    x[1, :] = 0.0
    x[1, 240:244] = [0, 2, 0, 3]  # exactly 5 cases in the 4 weeks ending at 243 and at 244
    result = farrington_flexible(x)
    first = 52 * 4 + 3
    assert (result.status[:, :first] == INSUFFICIENT_HISTORY).all()
    assert np.isnan(result.upperbound[:, :first]).all() and not result.alarm[:, :first].any()
    assert (result.status[0, first:] == OK).all() and np.isfinite(result.upperbound[0, first:]).all()
    few = result.status[1] == FEW_CASES
    assert few[first:243].all() and few[245:].all()
    assert np.isnan(result.upperbound[1, few]).all() and not result.alarm[1, few].any()
    assert (result.status[1, 243:245] == OK).all()
    # classic: b = 5 years back, so the first bound is at 52·5 + 3
    classic = farrington(np.tile(x[0], 2))
    assert (classic.status[: 52 * 5 + 3] == INSUFFICIENT_HISTORY).all()
    assert classic.status[52 * 5 + 3] == OK


def test_all_zero_baseline_matches_r():
    # R 1.20.3: x <- rep(0, 260); x[241:244] <- c(0, 2, 0, 3); farringtonFlexible(range = 212:260, …)
    x = np.zeros(260)
    x[240:244] = [0, 2, 0, 3]
    improved = farrington_flexible(x)
    assert improved.upperbound[243] == 0 and improved.upperbound[244] == 0  # R: 0, 0
    assert improved.alarm[243] and not improved.alarm[244]  # R: TRUE, FALSE
    assert (improved.status[240:243] == FEW_CASES).all() and (improved.status[245:] == FEW_CASES).all()
    classic_b4 = farrington_flexible(
        x, no_periods=1, past_weeks_not_included=3, weights_threshold=1, threshold_method="delta"
    )
    np.testing.assert_allclose(classic_b4.upperbound[243:245], 0.0020762070137112071, rtol=1e-12)
    assert classic_b4.alarm[243] and not classic_b4.alarm[244]


def test_outbreak_signals_and_upperbound_is_a_count_for_nbplugin():
    rng = np.random.default_rng(11)
    x = rng.poisson(10.0, size=300).astype(float)
    x[280] = 60.0
    result = farrington_flexible(x)
    assert result.alarm[280] and result.upperbound[280] < 60
    ok = result.status == OK
    assert np.all(result.upperbound[ok] == np.floor(result.upperbound[ok]))  # a quantile of a count model
    assert result.alarm.sum() <= 0.1 * ok.sum()
    delta = farrington(np.concatenate([x, x]))
    assert delta.alarm[300 + 280]


def test_smaller_alpha_raises_the_bound():
    x = np.random.default_rng(3).poisson(8.0, size=(3, 280)).astype(float)
    loose = farrington_flexible(x, alpha=0.05).upperbound
    strict = farrington_flexible(x, alpha=0.001).upperbound
    ok = np.isfinite(loose) & np.isfinite(strict)
    assert ok.sum() > 100 and np.all(strict[ok] >= loose[ok]) and np.any(strict[ok] > loose[ok])


def test_start_evaluates_only_the_later_periods():
    x = np.random.default_rng(9).poisson(7.0, size=(4, 300)).astype(float)
    full = farrington_flexible(x)
    late = farrington_flexible(x, start=290)
    np.testing.assert_array_equal(late.upperbound[:, 290:], full.upperbound[:, 290:])
    np.testing.assert_array_equal(late.alarm[:, 290:], full.alarm[:, 290:])
    assert (late.status[:, :290] == INSUFFICIENT_HISTORY).all() and not late.alarm[:, :290].any()
    early = farrington_flexible(x, start=5)  # never before b years of history
    np.testing.assert_array_equal(early.status, full.status)


def test_too_short_history_gives_no_bound():
    result = farrington_flexible(np.full((2, 211), 9.0))  # one period short of 4 years + 3 weeks
    assert (result.status == INSUFFICIENT_HISTORY).all() and not result.alarm.any()
    assert np.isnan(result.upperbound).all()


@pytest.mark.parametrize(
    "counts, options, code",
    [
        ([[1, 2, -1] + [0] * 300], {}, "counts_negative"),
        ([1.5] * 300, {}, "counts_fraction"),
        ([np.nan] * 300, {}, "counts_missing"),
        ([0] * 300, {"alpha": 0}, "parameter_range"),
        ([0] * 300, {"alpha": 1.5}, "parameter_range"),
        ([0] * 300, {"b": 0}, "parameter_range"),
        ([0] * 300, {"w": 30}, "parameter_range"),
        ([0] * 300, {"threshold_method": "muan"}, "farrington_threshold_method"),
        ([0] * 300, {"no_periods": 50}, "farrington_no_periods"),
        ([0] * 300, {"past_weeks_not_included": 400}, "farrington_baseline"),
        ([0] * 300, {"weights_threshold": 0}, "parameter_range"),
        ([0] * 300, {"b": 1, "w": 0, "no_periods": 1, "past_weeks_not_included": 0}, "farrington_baseline"),
        ([0] * 300, {"start": -1}, "parameter_range"),
    ],
)
def test_bad_input(counts, options, code):
    with pytest.raises(DetectionInputError) as caught:
        farrington_flexible(counts, **options)
    assert caught.value.code == code
    assert caught.value.message_zh and caught.value.message_en
