"""EARS C1, C2 and C3 exactly as R `surveillance::earsC` (package version 1.20.3) computes them.

With baseline b (default 7, at least 3), z = Φ⁻¹(1 − alpha) (default alpha 0.001 for all three methods,
as in earsC's default control list) and σ* = max(sd, minSigma) (minSigma default 0), for period t:

- C1: reference values x[t−b], …, x[t−1]; upperbound = mean + z·σ*. First period evaluated: t = b
  (0-based; R's default range starts at b + 1, 1-based).
- C2: reference values x[t−b−2], …, x[t−3] (a guard band of two periods); upperbound = mean + z·σ*.
  First period: t = b + 2.
- C3: R computes the C2 statistic c2[u] = (x[u] − mean_u)/σ*_u for u = t−2, t−1, t and sets
  upperbound = max(0, x[t] + σ*_t·(z − max(0, c2[t−2] − 1) − max(0, c2[t−1] − 1))).
  So the alarm x[t] > upperbound holds when the two previous periods' excess statistics sum past z; this
  is R's formula (not the textbook C3 that also adds c2[t]) and we keep it, since R is the reference.
  First period: t = b + 4. With minSigma = 0 and a constant reference window, c2 is ±Inf or NaN (0/0) and
  R returns NA; those periods get status UNDEFINED here (upperbound NaN, no alarm).

alarm = x[t] > upperbound for all three. sd is the sample standard deviation (n − 1), as R's sd().
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._common import CHUNK, OK, UNDEFINED, DetectionInputError, as_counts, check_range, empty, finish

METHODS = ("C1", "C2", "C3")
FIRST_PERIOD_OFFSET = {"C1": 0, "C2": 2, "C3": 4}


def ears_c(counts, *, method: str = "C1", baseline: int = 7, alpha: float = 0.001, min_sigma: float = 0.0):
    """EARS C1/C2/C3 upper bounds and alarms for one series (1-D) or many (series × periods)."""
    if method not in METHODS:
        raise DetectionInputError(
            "ears_method",
            f"EARS 方法应为 C1、C2 或 C3: {method}",
            f"EARS method must be C1, C2 or C3: {method}",
        )
    if int(baseline) != baseline or baseline < 3:
        raise DetectionInputError(
            "ears_baseline",
            f"基线期数至少为3: {baseline}",
            f"The baseline needs at least 3 periods: {baseline}",
        )
    if not 0.0 < alpha < 1.0:
        raise DetectionInputError(
            "parameter_range",
            f"alpha 应在0与1之间(不含): {alpha}",
            f"alpha must lie strictly between 0 and 1: {alpha}",
        )
    check_range("min_sigma", min_sigma, 0.0)
    x, one_d = as_counts(counts)
    baseline = int(baseline)
    z = NormalDist().inv_cdf(1.0 - alpha)  # Wichura's AS 241, the algorithm of R's qnorm
    upperbound, alarm, status = empty(x.shape)
    first = baseline + FIRST_PERIOD_OFFSET[method]
    if x.shape[1] > first:
        for start in range(0, x.shape[0], CHUNK):
            block = slice(start, start + CHUNK)
            ub = _upperbound(x[block], method, baseline, z, min_sigma)
            upperbound[block, first:] = ub
    computed = upperbound[:, first:]
    status[:, first:] = np.where(np.isnan(computed), UNDEFINED, OK)
    with np.errstate(invalid="ignore"):
        alarm[:, first:] = x[:, first:] > computed  # False where the bound is NaN (R: NA)
    return finish(upperbound, alarm, status, one_d)


def _reference_stats(x: np.ndarray, baseline: int, lag: int, first: int):
    """Mean and σ* inputs of the window ending `lag` periods before t, for t = first … T−1."""
    windows = sliding_window_view(x, baseline, axis=1)  # windows[:, i] = x[:, i : i + baseline]
    # the window for period t starts at t − lag − baseline
    windows = windows[:, first - lag - baseline : x.shape[1] - lag - baseline]
    return windows.mean(axis=-1), windows.std(axis=-1, ddof=1)


def _upperbound(x: np.ndarray, method: str, baseline: int, z: float, min_sigma: float) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "C1":
            mean, sd = _reference_stats(x, baseline, 0, baseline)
            return mean + z * np.maximum(sd, min_sigma)
        if method == "C2":
            mean, sd = _reference_stats(x, baseline, 2, baseline + 2)
            return mean + z * np.maximum(sd, min_sigma)
        # C3: the C2 statistic from t = b + 2 on, then two lags of it at each t ≥ b + 4
        mean, sd = _reference_stats(x, baseline, 2, baseline + 2)
        sigma = np.maximum(sd, min_sigma)
        c2 = (x[:, baseline + 2 :] - mean) / sigma
        lag2 = np.maximum(0.0, c2[:, :-2] - 1.0)
        lag1 = np.maximum(0.0, c2[:, 1:-1] - 1.0)
        ub = x[:, baseline + 4 :] + sigma[:, 2:] * (z - (lag2 + lag1))
        return np.maximum(0.0, ub)  # np.maximum keeps NaN, as R's pmax does
