"""CUSUM with Rossi's approximate normal transformation, exactly as R `surveillance::cusum`
(`algo.cusum`, package version 1.20.3) with `trans = "rossi"` and its defaults k = 1.04, h = 2.26, m = NULL.

R's cusum has no default range; `start` here is the 0-based index of the first monitored period (R's
`range = (start + 1):n`). For period t ≥ start:

- m = mean(x[0 : start]) (R: the mean of all periods before the range), unless m is given;
- y_t = (x_t − 3m + 2·√(x_t·m)) / (2·√m)  (Rossi et al. 1999);
- S_{start−1} = 0, S_t = max(0, S_{t−1} + y_t − k); alarm_t = S_t ≥ h (no reset after an alarm);
- upperbound_t (the count that would make S_t reach h, from S_{t−1}):
  2h√m + 2k√m − 2S_{t−1}√m + 5m − 2·√(4m² + 2m^{3/2}h + 2m^{3/2}k − 2m^{3/2}S_{t−1}),
  then NaN → 0 and negative → 0, as R does.

With m = 0 (no case in the baseline) y is +Inf for a positive count and NaN (0/0) for a zero count; R
carries that NaN on and returns NA alarms from there on: those periods get status UNDEFINED here (no alarm,
upperbound 0 as R's). Periods before `start` are INSUFFICIENT_HISTORY.
"""

from __future__ import annotations

import numpy as np

from ._common import OK, UNDEFINED, DetectionInputError, as_counts, empty, finish, per_series


def cusum_rossi(counts, *, start: int = 52, k: float = 1.04, h: float = 2.26, m=None):
    """CUSUM (Rossi) upper bounds and alarms for one series (1-D) or many (series × periods).

    `start` defaults to 52 (one year of weekly history for m); `m` may be one value or one per series.
    """
    if int(start) != start or start < 1:
        raise DetectionInputError(
            "cusum_start",
            f"CUSUM 监测起点之前至少要有1期基线: start={start}",
            f"CUSUM needs at least one baseline period before start: start={start}",
        )
    x, one_d = as_counts(counts)
    start = int(start)
    upperbound, alarm, status = empty(x.shape)
    n_series, n_periods = x.shape
    if n_periods <= start:
        return finish(upperbound, alarm, status, one_d)
    mean = x[:, :start].mean(axis=1, keepdims=True) if m is None else per_series(m, n_series, "m")
    if not np.all(np.isfinite(mean) & (mean >= 0)):
        raise DetectionInputError(
            "cusum_m", "CUSUM 期望值 m 应为非负有限数", "CUSUM's expected count m must be finite and ≥ 0"
        )
    obs = x[:, start:]
    with np.errstate(divide="ignore", invalid="ignore"):
        root_m = np.power(mean, 0.5)
        y = (obs - 3.0 * mean + 2.0 * np.sqrt(obs * mean)) / (2.0 * root_m)
        # the recursion runs over periods; periods × series rows keep each step's data contiguous
        steps = np.ascontiguousarray(y.T) - k
        current_t = np.empty_like(steps)  # S_t
        s = np.zeros(n_series)
        for t in range(steps.shape[0]):
            s = np.maximum(0.0, s + steps[t])  # np.maximum keeps NaN, as R's max does
            current_t[t] = s
        current = current_t.T
        previous = np.concatenate([np.zeros((n_series, 1)), current[:, :-1]], axis=1)  # S_{t−1}
        m15 = np.power(mean, 1.5)
        ub = (
            2.0 * h * root_m
            + 2.0 * k * root_m
            - 2.0 * previous * root_m
            + 5.0 * mean
            - 2.0 * np.power(4.0 * mean * mean + 2.0 * m15 * h + 2.0 * m15 * k - 2.0 * m15 * previous, 0.5)
        )
    ub[np.isnan(ub)] = 0.0
    ub[ub < 0] = 0.0
    upperbound[:, start:] = ub
    undefined = np.isnan(current)
    status[:, start:] = np.where(undefined, UNDEFINED, OK)
    alarm[:, start:] = ~undefined & (current >= h)
    return finish(upperbound, alarm, status, one_d)
