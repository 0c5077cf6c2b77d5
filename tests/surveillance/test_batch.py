"""Batch detection (pure): grouping by method and shared parameters, one call per group, the vectorised
batch equal to the series-by-series reference, and signal keys that make a rerun a no-op."""

import datetime as dt
from dataclasses import replace

import numpy as np
import pytest

from countybridge.surveillance import batch
from countybridge.surveillance.batch import SeriesConfig, group_series, run_batch, run_per_series, signal_keys

FIRST_DAY = dt.date(2022, 1, 1)


def _daily_counts(n_series: int, n_days: int, seed: int = 7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    lam = rng.uniform(0.2, 3.0, size=(n_series, 1))
    x = rng.poisson(lam, size=(n_series, n_days)).astype(float)
    # a few outbreaks late in the series
    for i in range(0, n_series, 3):
        x[i, n_days - 30 : n_days - 25] += 8
    return x


def test_grouping_splits_on_shared_params_not_on_per_series_ones():
    configs = [
        SeriesConfig.of(("A", "510185"), "cidars-daily", {"percentile": 90, "min_cases": 1}),
        SeriesConfig.of(("B", "510185"), "cidars-daily", {"percentile": 80, "min_cases": 2}),
        SeriesConfig.of(("C", "510185"), "cidars-daily", {"percentile": 50, "min_cases": 1, "years_back": 4}),
        SeriesConfig.of(("D", "510185"), "fixed", {"threshold": 1}),
        SeriesConfig.of(("E", "510185"), "fixed", {"threshold": 2}),
        SeriesConfig.of(("F", "510185"), "ears-c1"),
        SeriesConfig.of(("G", "510185"), "ears-c2"),
        SeriesConfig.of(("H", "510185"), "fixed", {"threshold": 1}),
    ]
    groups = group_series(configs)
    as_sets = {(k.method, k.shared): v for k, v in groups.items()}
    assert as_sets[("cidars-daily", ())] == [0, 1]  # percentile and min_cases are per series
    assert as_sets[("cidars-daily", (("years_back", 4),))] == [2]
    assert as_sets[("fixed", (("threshold", 1),))] == [3, 7]
    assert as_sets[("fixed", (("threshold", 2),))] == [4]
    assert len(groups) == 6


def test_each_group_is_one_call_on_a_2d_block(monkeypatch):
    calls = []
    spec = batch.METHODS["cidars-daily"]

    def counting(counts, **kwargs):
        calls.append((np.asarray(counts).shape, kwargs.get("percentile")))
        return spec.func(counts, **kwargs)

    monkeypatch.setitem(batch.METHODS, "cidars-daily", replace(spec, func=counting))
    x = _daily_counts(12, 3 * 365 + 60)
    configs = [
        SeriesConfig.of(
            (f"d{i}", "510129"), "cidars-daily", {"percentile": [50, 80, 90][i % 3], "min_cases": 1}
        )
        for i in range(12)
    ]
    result = run_batch(x, configs, first_day=FIRST_DAY)
    assert len(calls) == 1 and result.calls == 1
    shape, percentile = calls[0]
    assert shape == (12, x.shape[1])
    assert list(percentile) == [50, 80, 90] * 4  # passed per series, not split


def test_vectorised_batch_equals_series_by_series():
    n_days = 3 * 365 + 90
    x = _daily_counts(18, n_days)
    methods = [
        ("cidars-daily", {"percentile": 90, "min_cases": 1}),
        ("cidars-daily", {"percentile": 50, "min_cases": 3}),
        ("fixed", {"threshold": 1}),
        ("ears-c1", {}),
        ("ears-c3", {"baseline": 7}),
        ("cusum", {"start": 365}),
    ]
    configs = [SeriesConfig.of((f"d{i}", "510185"), *methods[i % len(methods)]) for i in range(18)]
    start = n_days - 60
    together = run_batch(x, configs, first_day=FIRST_DAY, evaluate_from=start)
    alone = run_per_series(x, configs, first_day=FIRST_DAY, evaluate_from=start)
    assert together.signals == alone
    assert len(together.signals) > 0
    assert {s.method for s in together.signals} >= {"cidars-daily", "fixed"}
    assert all(s.period_index >= start for s in together.signals)


def test_weekly_cidars_in_batch_matches_the_method():
    rng = np.random.default_rng(3)
    x = rng.poisson(4, size=(5, 52 * 3 + 20)).astype(float)
    x[2, -3] = 40
    configs = [SeriesConfig.of(("flu", c), "cidars-weekly", {"percentile": 80}) for c in "abcde"]
    got = run_batch(x, configs)
    direct = batch.detection.cidars_weekly(x, percentile=80)
    rows, cols = np.nonzero(direct.alarm)
    assert [(s.key[1], s.period_index) for s in got.signals] == [
        ("abcde"[r], c) for r, c in zip(rows, cols, strict=True)
    ]
    spike = [s for s in got.signals if s.key == ("flu", "c") and s.period_index == x.shape[1] - 3]
    assert spike and spike[0].observed == 40 and spike[0].threshold < 40


def test_daily_observed_is_the_seven_day_sum_and_threshold_exceeded():
    n_days = 3 * 365 + 40
    x = np.ones((1, n_days))
    x[0, -5:] = 6  # the last 5 days
    result = run_batch(
        x, [SeriesConfig.of(("d", "r"), "cidars-daily", {"percentile": 80})], first_day=FIRST_DAY
    )
    first = result.signals[0]
    assert first.period_index == n_days - 5
    assert first.observed == 6 + 6  # 1·6 + 6
    assert first.observed > first.threshold == 7.0
    # repeat suppression: the later days of the same outbreak are not new signals unless C doubles
    assert result.suppressed >= 1


def test_rerun_gives_the_same_keys_and_keys_are_unique():
    x = _daily_counts(9, 3 * 365 + 30)
    configs = [SeriesConfig.of((f"d{i}", "510131"), "cidars-daily", {"percentile": 50}) for i in range(9)]
    once = run_batch(x, configs, first_day=FIRST_DAY, evaluate_from=3 * 365)
    twice = run_batch(x, configs, first_day=FIRST_DAY, evaluate_from=3 * 365)
    keys = signal_keys(once.signals)
    assert keys == signal_keys(twice.signals)
    assert len(keys) == len(once.signals) > 0
    # overlapping windows (yesterday's run covered today's first periods) meet on the same keys
    later = run_batch(x, configs, first_day=FIRST_DAY, evaluate_from=3 * 365 + 10)
    assert signal_keys(later.signals) <= keys


def test_no_baseline_is_counted_not_signalled():
    x = np.full((2, 400), 5.0)  # one year of history: CIDARS daily has no baseline
    result = run_batch(
        x, [SeriesConfig.of(("d", i), "cidars-daily", {}) for i in range(2)], first_day=FIRST_DAY
    )
    assert result.signals == []
    assert result.no_baseline == result.evaluated == 800


def test_progress_reports_each_call():
    seen = []
    x = np.zeros((3, 30))
    configs = [SeriesConfig.of(1, "fixed"), SeriesConfig.of(2, "ears-c1"), SeriesConfig.of(3, "fixed")]
    run_batch(x, configs, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(2, 3), (3, 3)]


@pytest.mark.parametrize(
    ("counts", "configs", "kwargs", "code"),
    [
        (np.zeros((2, 10)), [SeriesConfig.of(1, "fixed")], {}, "batch_shape"),
        (np.zeros((1, 10)), [SeriesConfig.of(1, "magic")], {}, "batch_method"),
        (np.zeros((1, 10)), [SeriesConfig.of(1, "cidars-daily")], {}, "batch_first_day"),
        (np.zeros((1, 10)), [SeriesConfig.of(1, "fixed")], {"evaluate_from": 11}, "batch_window"),
        (np.full((1, 10), -1.0), [SeriesConfig.of(1, "fixed")], {}, "counts_negative"),
    ],
)
def test_bad_input_is_refused_in_both_languages(counts, configs, kwargs, code):
    with pytest.raises(batch.DetectionInputError) as err:
        run_batch(counts, configs, **kwargs)
    assert err.value.code == code
    assert err.value.message_zh and err.value.message_en


def test_a_vector_param_missing_for_one_series_of_a_group_is_refused():
    configs = [SeriesConfig.of(1, "cidars-weekly", {"percentile": 90}), SeriesConfig.of(2, "cidars-weekly")]
    with pytest.raises(batch.BatchInputError) as err:
        run_batch(np.zeros((2, 200)), configs)
    assert err.value.code == "batch_param_missing"


def test_catalogue_methods_map_to_batch_methods_per_frequency():
    assert batch.batch_method("cidars-percentile", "day") == "cidars-daily"
    assert batch.batch_method("cidars-percentile", "week") == "cidars-weekly"
    assert batch.batch_method("fixed", "day") == "fixed"
    assert batch.batch_method("", "day") is None
    assert batch.batch_method("farrington-flexible", "day") is None  # weekly counts only
    params = {"percentile": 90, "min_cases": 1, "years_back": 3, "note": "x"}
    assert batch.method_params("cidars-daily", params) == {"percentile": 90, "min_cases": 1, "years_back": 3}
    assert batch.method_params("ears-c2", {"alpha": 0.001, "baseline": 7, "method": "C3"}) == {
        "alpha": 0.001,
        "baseline": 7,
    }


def test_farrington_flexible_in_batch_matches_the_method():
    if "farrington-flexible" not in batch.METHODS:
        pytest.skip("the detection package has no Farrington yet")
    rng = np.random.default_rng(11)
    x = rng.poisson(3, size=(4, 52 * 3 + 30)).astype(float)
    x[1, -2] = 30
    params = {"b": 3, "w": 3, "alpha": 0.01}
    configs = [SeriesConfig.of(("ili", i), "farrington-flexible", params) for i in range(4)]
    got = run_batch(x, configs)
    assert got.calls == 1
    direct = batch.detection.farrington_flexible(x, **params)
    rows, cols = np.nonzero(direct.alarm)
    assert [(s.key[1], s.period_index) for s in got.signals] == list(
        zip(rows.tolist(), cols.tolist(), strict=True)
    )
    assert (1, x.shape[1] - 2) in {(s.key[1], s.period_index) for s in got.signals}
