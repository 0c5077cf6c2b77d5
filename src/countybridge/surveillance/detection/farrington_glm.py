"""Farrington outbreak detection exactly as R `surveillance::farringtonFlexible` (package version 1.20.3)
computes it with `fitFun = "algo.farrington.fitGLM.flexible"`, evaluated for many series at once.

Two settings (Noufaily et al. 2013 showed the second to give far fewer false alarms):

- `farrington` (classic, Farrington et al. 1996, as farringtonFlexible runs it): b = 5 years back, windows of
  ±w = 3 weeks, noPeriods = 1, pastWeeksNotIncluded = w, weightsThreshold = 1, thresholdMethod = "delta";
- `farrington_flexible` (improved, Noufaily et al. 2013): b = 4, w = 3, noPeriods = 10,
  pastWeeksNotIncluded = 26, weightsThreshold = 2.58, thresholdMethod = "nbPlugin".

Both: alpha = 0.05 (one-sided), trend = TRUE, pThresholdTrend = 0.05, reweight = TRUE, limit54 = (5, 4),
powertrans = "2/3", no population offset. Periods are indexes (R's sts with epochAsDate = FALSE): the
reference weeks of period t are t − 52·i, i = 1 … b, so a 53-week ISO year simply shifts them by one week.

For period t (0-based; the first evaluated is t = 52·b + w, R's default range start freq·b + w + 1):

1. Baseline. Periods t − 52i − w … t − 52i + w (i = 1 … b) and t − w … t form the reference level; with
   noPeriods = p > 1 the stretch between two consecutive windows is cut into p − 1 blocks (the first
   `rest` blocks one period longer), levels 1 … p − 1, repeated each year. Periods t − pastWeeksNotIncluded … t
   are then left out. Model: log μ = level effect [+ γ·time] (time = the period index).
2. Fit. A quasi-Poisson GLM by R's glm.fit IRLS: start μ = y + 0.1, at most 25 iterations, stop when
   |dev − dev_old| / (|dev| + 0.1) < 1e-8. If the fit with trend does not converge, the model without trend
   is used; if that does not converge either, R gives no result (UNDEFINED here).
   φ = max(1, Σ w·r² / (n − rank)) with w the last IRLS working weights and r the working residuals.
3. Reweighting. Anscombe residuals s = 3/2·(y^{2/3}·μ^{−1/6} − μ^{1/2}) / √(φ·(1 − h)) (h the hat values);
   ω = γ·s^{−2} where s > weightsThreshold, ω = γ elsewhere, γ such that mean ω = 1; the model is refitted
   with prior weights ω and φ recomputed as in 2.
4. Trend. Kept only when b ≥ 3, its p-value (t-test with n − rank degrees of freedom) is < 0.05 and the
   predicted count at t is not above the largest baseline count; otherwise steps 2–3 are redone without it.
   R's fitGLM.flexible replaces the model's working weights by ω before this test, so the dispersion of the
   t-test and of the prediction's standard error is Σ ω·r² / (n − rank) (φ keeps the working weights): we do
   the same.
5. Threshold (η₀ the predicted log mean at t, se its standard error, z = Φ⁻¹(1 − alpha)):
   - delta: μ₀ = e^{η₀}, τ = φ + (se·μ₀)²/μ₀, upperbound = (μ₀^{2/3} + z·√(4/9·μ₀^{1/3}·τ))^{3/2};
   - nbPlugin: upperbound = the (1 − alpha) quantile of the negative binomial with mean e^{η₀} and size
     e^{η₀}/(φ − 1) (Poisson when φ = 1).
6. Alarm when score = (y − f)/(upperbound − f) > 1 and y > 0, f being μ₀ (delta) or η₀ (nbPlugin, R's
   choice). Fewer than 5 cases in periods t − 3 … t (limit54): no bound and no alarm (status FEW_CASES).

Where R's code would stop with an error instead of returning a value (a NaN trend p-value would make
`if (doTrend == FALSE)` fail; a non-finite deviance) we drop the trend, or give UNDEFINED; no such case
occurs in the reference data. The negative
binomial and Poisson quantiles come from scipy (smallest count whose distribution function reaches
1 − alpha); R's search differs only when that function lies within ~1e-15 of 1 − alpha.

Vectorisation: the model design depends only on the offsets from t, so every (series, period) pair is one
row of a batch. The design is level indicators [+ time], so XᵀWX is an "arrow" matrix (diagonal over
levels, one dense time row/column) and each IRLS step is solved in closed form from per-level weighted sums
(matrix products with the level indicator matrix). Each problem stops iterating exactly when R's glm.fit
would, so the results match R's to rounding.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
from scipy import special, stats

from ._common import (
    FEW_CASES,
    OK,
    UNDEFINED,
    DetectionInputError,
    as_counts,
    empty,
    finish,
)

THRESHOLD_METHODS = ("nbPlugin", "delta")
MAXIT = 25  # glm.control()
EPSILON = 1e-8
DBL_EPS = np.finfo(np.float64).eps
# problems (series × period pairs) per block × observations per problem: keeps each float array ~2 MB,
# so that the dozen passes of an IRLS iteration mostly stay in cache
BLOCK_VALUES = 250_000


@dataclass(frozen=True)
class _Design:
    rel: np.ndarray  # (n,) offsets of the baseline periods from t (all < 0)
    level: np.ndarray  # (n,) level index 0 … L−1 of each baseline period
    indicator: np.ndarray  # (n, L) level indicators
    time: np.ndarray  # (n,) centred time of each baseline period
    time_now: float  # centred time of t
    level_now: int  # level of the windows (R's noPeriods level, which t is predicted in)
    starts: np.ndarray  # (L,) first observation of each level: observations are sorted by level


def _design(b: int, w: int, no_periods: int, past_weeks_not_included: int, freq: int) -> _Design:
    """R's `blocks()` and `algo.farrington.data.glm()` for a period t, as offsets from t."""
    labels: dict[int, int] = {}
    for r in range(-w, 1):  # the current window
        labels[r] = no_periods
    refs = [-freq * i for i in range(b + 1)]  # t, t − 52, …, t − 52b
    for i in range(1, b + 1):
        ref = refs[i]
        for r in range(ref - w, ref + w + 1):
            labels[r] = no_periods
        if no_periods != 1:
            period = refs[i - 1] - 2 * w - 1 - ref
            if period < no_periods - 1:
                raise DetectionInputError(
                    "farrington_no_periods",
                    f"noPeriods={no_periods} 太大:两个窗口之间只有{period}期",
                    f"noPeriods={no_periods} is too large: only {period} periods lie between two windows",
                )
            length, rest = divmod(period, no_periods - 1)
            start = ref + w + 1
            for j in range(1, no_periods):
                size = length + (1 if j <= rest else 0)
                for r in range(start, start + size):
                    labels[r] = j
                start += size
    # observations sorted by level (then time), so that per-level sums are sums over contiguous columns
    kept = sorted((labels[r], r) for r in labels if r < -past_weeks_not_included)
    rel = np.array([r for _, r in kept], dtype=np.intp)
    raw = np.array([label for label, _ in kept])
    present = np.unique(raw)
    level = np.searchsorted(present, raw)
    if no_periods not in present:
        raise DetectionInputError(
            "farrington_baseline",
            "基线中没有参考窗口(pastWeeksNotIncluded 太大)",
            "No reference window is left in the baseline (pastWeeksNotIncluded is too large)",
        )
    if rel.size <= present.size + 1:  # R: no residual degrees of freedom, a NaN dispersion
        raise DetectionInputError(
            "farrington_baseline",
            f"基线只有{rel.size}期,不足以拟合{present.size + 1}个参数",
            f"The baseline has only {rel.size} periods, too few to fit {present.size + 1} parameters",
        )
    indicator = (level[:, np.newaxis] == np.arange(present.size)[np.newaxis, :]).astype(np.float64)
    centre = float(rel.mean())
    time = rel - centre
    return _Design(
        rel=rel,
        level=level,
        indicator=indicator,
        time=time,
        time_now=-centre,
        level_now=int(np.searchsorted(present, no_periods)),
        starts=np.flatnonzero(np.r_[True, level[1:] != level[:-1]]),
    )


@dataclass
class _Fit:
    """The parts of an R glm object the method uses, one row per problem."""

    converged: np.ndarray  # (M,)
    mu: np.ndarray  # (M, n) fitted means
    work: np.ndarray  # (M, n) working weights of the last IRLS iteration (prior weight × μ before the update)
    a: np.ndarray  # (M, L) Σ work per level (the last solve's XᵀWX blocks …)
    bt: np.ndarray | None  # (M, L) Σ work·time per level
    schur: np.ndarray | None  # (M,) Σ work·time² − Σ bt²/a: 1 / the time entry of (XᵀWX)⁻¹
    beta: np.ndarray  # (M, L) level effects
    gamma: np.ndarray | None  # (M,) time trend
    rank: int


def _deviance(y, ylogy, mu, prior):
    """Σ quasi-Poisson deviance residuals 2·pw·(y·log(y/μ) − (y − μ)) (used for the starting values)."""
    dev = ylogy - y * np.log(mu) - y + mu
    if prior is not None:
        dev = dev * prior
    return 2.0 * dev.sum(axis=1)


def _irls(y, ylogy, prior, d: _Design, trend: bool) -> _Fit:
    """R's glm.fit for family quasipoisson(link = "log") on every row of y, each stopping as R would.

    Iteration j (R's `for (iter in 1:25)`): working weights W = pw·μ and response z = η + (y − μ)/μ, a
    weighted least-squares solve gives the new η, μ = max(e^η, ε), and the fit stops when
    |dev − dev_old| / (|dev| + 0.1) < 1e-8. Rows are dropped from the working set as they stop.

    To touch each (problem × observation) value as few times as possible, the solve needs only per-level
    sums (np.add.reduceat over the level-sorted observations) and time-weighted totals (matrix-vector
    products): XᵀWX from W, Xᵀ(W·z) = Xᵀ(W·η) + Xᵀ(pw·y) − XᵀW; and the deviance comes from per-level sums:
    dev = 2·(Σ pw·(y·log y − y) − Σ pw·y·η + Σ W) (log μ = η; μ is clamped at ε only when η < log ε ≈ −36,
    a fit R itself cannot get right).
    """
    m, n = y.shape
    n_levels = d.indicator.shape[1]
    fit = _Fit(
        converged=np.zeros(m, dtype=bool),
        mu=np.full((m, n), np.nan),
        work=np.full((m, n), np.nan),
        a=np.full((m, n_levels), np.nan),
        bt=np.full((m, n_levels), np.nan) if trend else None,
        schur=np.full(m, np.nan) if trend else None,
        beta=np.full((m, n_levels), np.nan),
        gamma=np.full(m, np.nan) if trend else None,
        rank=n_levels + int(trend),
    )
    weighted_y = y if prior is None else prior * y
    py = np.add.reduceat(weighted_y, d.starts, axis=1)
    py_t = weighted_y @ d.time if trend else None
    c0 = (ylogy - y if prior is None else prior * (ylogy - y)).sum(axis=1)
    pa = prior
    mu = np.maximum(y + 0.1, DBL_EPS)  # e^{log(y + 0.1)}
    eta = np.log(y + 0.1)
    devold = _deviance(y, ylogy, mu, prior)
    active = np.arange(m)
    prev = None
    for iteration in range(MAXIT + 1):
        if iteration:
            with np.errstate(over="ignore"):
                mu = np.exp(eta)
            np.maximum(mu, DBL_EPS, out=mu)
        work = mu if pa is None else pa * mu
        a = np.add.reduceat(work, d.starts, axis=1)
        if iteration:
            beta, gamma = prev[4], prev[5]
            eta_y = (beta * py).sum(axis=1)
            if trend:
                eta_y = eta_y + gamma * py_t
            with np.errstate(invalid="ignore"):
                dev = 2.0 * (c0 - eta_y + a.sum(axis=1))
                finite = np.isfinite(dev)
                done = finite & (np.abs(dev - devold) / (np.abs(dev) + 0.1) < EPSILON)
            last = iteration == MAXIT
            store = (done | last) & finite
            if store.any():
                rows = active[store]
                fit.converged[rows] = done[store]
                fit.mu[rows] = mu[store]
                fit.work[rows] = prev[0][store]
                fit.a[rows] = prev[1][store]
                fit.beta[rows] = beta[store]
                if trend:
                    fit.bt[rows] = prev[2][store]
                    fit.schur[rows] = prev[3][store]
                    fit.gamma[rows] = gamma[store]
            keep = ~done & finite  # a non-finite deviance: R would halve the step or stop; no result here
            if last or not keep.any():
                break
            if not keep.all():
                active = active[keep]
                eta, work, a = eta[keep], work[keep], a[keep]
                py, c0, dev = py[keep], c0[keep], dev[keep]
                py_t = None if py_t is None else py_t[keep]
                pa = None if pa is None else pa[keep]
            devold = dev
        we = work * eta
        zl = np.add.reduceat(we, d.starts, axis=1) + py - a
        if trend:
            wt = work * d.time
            bt = np.add.reduceat(wt, d.starts, axis=1)
            zt = we @ d.time + py_t - bt.sum(axis=1)
            schur = wt @ d.time - (bt * bt / a).sum(axis=1)
            gamma = (zt - (bt * zl / a).sum(axis=1)) / schur
            beta = (zl - bt * gamma[:, np.newaxis]) / a
            eta = beta[:, d.level] + gamma[:, np.newaxis] * d.time
            prev = (work, a, bt, schur, beta, gamma)
        else:
            beta = zl / a
            eta = beta[:, d.level]
            prev = (work, a, None, None, beta, None)
    return fit


def _dispersion(fit: _Fit, y, weights) -> np.ndarray:
    """summary.glm's dispersion Σ weights·r² / (n − rank), r = (y − μ)/μ the working residuals."""
    r = (y - fit.mu) / fit.mu
    return (weights * r * r).sum(axis=1) / (y.shape[1] - fit.rank)


def _hat(fit: _Fit, d: _Design) -> np.ndarray:
    """hatvalues(): w_i·x_iᵀ(XᵀWX)⁻¹x_i from the last IRLS solve (values within 10ε of 1 set to 1, as R)."""
    a_i = fit.a[:, d.level]
    h = fit.work / a_i
    if fit.schur is not None:
        dev = d.time - fit.bt[:, d.level] / a_i
        h = h + fit.work * dev * dev / fit.schur[:, np.newaxis]
    h[h > 1.0 - 10.0 * DBL_EPS] = 1.0
    return h


def _fit_model(y, ylogy, d: _Design, trend: bool, reweight: bool, weights_threshold: float):
    """algo.farrington.fitGLM.flexible: (fit, φ, the dispersion the returned R model reports, ok)."""
    first = _irls(y, ylogy, None, d, trend)
    ok = first.converged
    phi = np.maximum(_dispersion(first, y, first.work), 1.0)
    if not reweight:
        return first, phi, _dispersion(first, y, first.work), ok
    mu = first.mu
    with np.errstate(divide="ignore", invalid="ignore"):
        cube_y = np.cbrt(y)
        root_mu = np.sqrt(mu)
        # y^{2/3}·μ^{−1/6} − μ^{1/2}, with cube roots and square roots (much cheaper than pow)
        s = 1.5 * (cube_y * cube_y / np.sqrt(np.cbrt(mu)) - root_mu)
        s /= np.sqrt(phi[:, np.newaxis] * (1.0 - _hat(first, d)))
        big = s > weights_threshold
        inv2 = np.where(big, 1.0 / (s * s), 1.0)
        gamma = y.shape[1] / inv2.sum(axis=1)
        omega = gamma[:, np.newaxis] * inv2
    omega[~ok] = 1.0  # no refit is used for these; keep the arithmetic finite
    second = _irls(y, ylogy, omega, d, trend)
    phi = np.maximum(_dispersion(second, y, second.work), 1.0)
    # fitGLM.flexible sets model$weights <- omega, so summary()/predict() see ω instead of working weights
    return second, phi, _dispersion(second, y, omega), ok & np.isfinite(phi)


def _take(fit: _Fit, rows: np.ndarray, d: _Design):
    """η₀ and Var(η₀)/dispersion at t for the given rows of a fit."""
    lp = d.level_now
    eta0 = fit.beta[rows, lp]
    var0 = 1.0 / fit.a[rows, lp]
    if fit.gamma is not None:
        eta0 = eta0 + fit.gamma[rows] * d.time_now
        off = d.time_now - fit.bt[rows, lp] / fit.a[rows, lp]
        var0 = var0 + off * off / fit.schur[rows]
    return eta0, var0


def _predict(y, ylogy, d: _Design, *, trend, reweight, weights_threshold, p_threshold_trend, b):
    """algo.farrington.glm: (ok, η₀, se(η₀), φ) per problem."""
    m = y.shape[0]
    eta0 = np.full(m, np.nan)
    se0 = np.full(m, np.nan)
    phi0 = np.full(m, np.nan)
    ok = np.zeros(m, dtype=bool)
    need_plain = np.ones(m, dtype=bool)
    if trend:
        fit, phi, disp, conv = _fit_model(y, ylogy, d, True, reweight, weights_threshold)
        rows = np.flatnonzero(conv)
        e, v = _take(fit, rows, d)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            tval = fit.gamma[rows] / np.sqrt(disp[rows] / fit.schur[rows])
            pval = 2.0 * special.stdtr(y.shape[1] - fit.rank, -np.abs(tval))
            no_extrapolation = np.maximum(np.exp(e), DBL_EPS) <= y[rows].max(axis=1)
        keep = (b >= 3) & (pval < p_threshold_trend) & no_extrapolation
        kept = rows[keep]
        eta0[kept] = e[keep]
        se0[kept] = np.sqrt(disp[kept] * v[keep])
        phi0[kept] = phi[kept]
        ok[kept] = True
        need_plain[kept] = False
    rows = np.flatnonzero(need_plain)
    if rows.size:
        fit, phi, disp, conv = _fit_model(y[rows], ylogy[rows], d, False, reweight, weights_threshold)
        good = np.flatnonzero(conv)
        e, v = _take(fit, good, d)
        target = rows[good]
        eta0[target] = e
        se0[target] = np.sqrt(disp[good] * v)
        phi0[target] = phi[good]
        ok[target] = True
    return ok, eta0, se0, phi0


def _upper(eta0, se0, phi, alpha, method):
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        if method == "delta":
            mu0 = np.maximum(np.exp(eta0), DBL_EPS)  # predict(type = "response")
            se_fit = se0 * mu0
            tau = phi + se_fit * se_fit / mu0
            se = np.sqrt(4.0 / 9.0 * np.power(mu0, 1.0 / 3.0) * tau)
            z = NormalDist().inv_cdf(1.0 - alpha)
            return np.power(np.power(mu0, 2.0 / 3.0) + z * se, 1.5), mu0
        mu0 = np.exp(eta0)  # nbPlugin: exp of the linear predictor, Inf → no bound
        upper = np.full(eta0.shape, np.nan)
        finite = np.isfinite(mu0)
        nb = finite & (phi > 1.0)
        pois = finite & ~(phi > 1.0)
        if nb.any():
            upper[nb] = stats.nbinom.ppf(1.0 - alpha, mu0[nb] / (phi[nb] - 1.0), 1.0 / phi[nb])
        if pois.any():
            upper[pois] = stats.poisson.ppf(1.0 - alpha, mu0[pois])
        return upper, eta0


def _check(alpha, b, w, no_periods, past, weights_threshold, method, limit54, freq):
    if not 0.0 < alpha < 1.0:
        raise DetectionInputError(
            "parameter_range",
            f"alpha 应在0与1之间(不含): {alpha}",
            f"alpha must lie strictly between 0 and 1: {alpha}",
        )
    for name, value, low in (
        ("b", b, 1),
        ("w", w, 0),
        ("noPeriods", no_periods, 1),
        ("pastWeeksNotIncluded", past, 0),
        ("periods_per_year", freq, 2),
    ):
        if int(value) != value or value < low:
            raise DetectionInputError(
                "parameter_range",
                f"参数 {name} 应为不小于{low}的整数: {value}",
                f"Parameter {name} must be a whole number ≥ {low}: {value}",
            )
    if 2 * w + 1 > freq:
        raise DetectionInputError(
            "parameter_range",
            f"窗口 2w+1={2 * w + 1} 超过一年的期数 {freq}",
            f"The window 2w+1={2 * w + 1} is longer than a year of {freq} periods",
        )
    if method not in THRESHOLD_METHODS:
        raise DetectionInputError(
            "farrington_threshold_method",
            f"阈值方法应为 nbPlugin 或 delta: {method}",
            f"The threshold method must be nbPlugin or delta: {method}",
        )
    if not weights_threshold > 0:
        raise DetectionInputError(
            "parameter_range",
            f"weightsThreshold 应大于0: {weights_threshold}",
            f"weightsThreshold must be > 0: {weights_threshold}",
        )
    cases, periods = limit54
    if not (cases >= 0 and int(periods) == periods and periods >= 1):
        raise DetectionInputError(
            "parameter_range",
            f"limit54 应为(病例数≥0, 期数≥1): {limit54}",
            f"limit54 must be (cases ≥ 0, periods ≥ 1): {limit54}",
        )


def farrington_flexible(
    counts,
    *,
    alpha: float = 0.05,
    b: int = 4,
    w: int = 3,
    no_periods: int = 10,
    past_weeks_not_included: int = 26,
    weights_threshold: float = 2.58,
    threshold_method: str = "nbPlugin",
    trend: bool = True,
    p_threshold_trend: float = 0.05,
    reweight: bool = True,
    limit54: tuple[float, int] = (5, 4),
    periods_per_year: int = 52,
    start: int | None = None,
):
    """Farrington upper bounds and alarms (improved method by default) for one series or many.

    `start` (0-based) is the first period evaluated, R's `range = (start + 1):n`; by default, and never
    before, 52·b + w, the first period with b years of history. Periods before it have status
    INSUFFICIENT_HISTORY; periods with fewer than limit54[0] cases in the last limit54[1] periods FEW_CASES;
    periods whose GLM does not converge UNDEFINED.
    """
    _check(
        alpha,
        b,
        w,
        no_periods,
        past_weeks_not_included,
        weights_threshold,
        threshold_method,
        limit54,
        periods_per_year,
    )
    x, one_d = as_counts(counts)
    b, w, freq = int(b), int(w), int(periods_per_year)
    d = _design(b, w, int(no_periods), int(past_weeks_not_included), freq)
    upperbound, alarm, status = empty(x.shape)
    n_series, n_periods = x.shape
    first = freq * b + w
    if start is not None:
        if int(start) != start or start < 0:
            raise DetectionInputError(
                "parameter_range",
                f"起始期 start 应为非负整数: {start}",
                f"The first period (start) must be a whole number ≥ 0: {start}",
            )
        first = max(first, int(start))
    if n_periods <= first:
        return finish(upperbound, alarm, status, one_d)
    cases, span = limit54
    csum = np.concatenate([np.zeros((n_series, 1)), np.cumsum(x, axis=1)], axis=1)
    periods = np.arange(first, n_periods)
    recent = csum[:, periods + 1] - csum[:, periods + 1 - int(span)]
    enough = recent >= cases
    status[:, first:] = np.where(enough, UNDEFINED, FEW_CASES)
    series_idx, period_idx = np.nonzero(enough)
    period_idx = period_idx + first
    n_obs = d.rel.size
    per_block = max(1, BLOCK_VALUES // n_obs)
    for start in range(0, series_idx.size, per_block):
        si = series_idx[start : start + per_block]
        ti = period_idx[start : start + per_block]
        y = x[si[:, np.newaxis], ti[:, np.newaxis] + d.rel[np.newaxis, :]]
        with np.errstate(divide="ignore", invalid="ignore"):
            ylogy = np.where(y > 0, y * np.log(y), 0.0)
        ok, eta0, se0, phi = _predict(
            y,
            ylogy,
            d,
            trend=trend,
            reweight=reweight,
            weights_threshold=weights_threshold,
            p_threshold_trend=p_threshold_trend,
            b=b,
        )
        upper, fitted = _upper(eta0, se0, phi, alpha, threshold_method)
        upper[~ok] = np.nan
        observed = x[si, ti]
        with np.errstate(divide="ignore", invalid="ignore"):
            score = (observed - fitted) / (upper - fitted)
            signal = (score > 1.0) & (observed != 0)
        good = ~np.isnan(upper)
        upperbound[si, ti] = upper
        alarm[si, ti] = signal & good
        status[si, ti] = np.where(good, OK, UNDEFINED)
    return finish(upperbound, alarm, status, one_d)


def farrington(counts, *, alpha: float = 0.05, b: int = 5, w: int = 3, **options):
    """Classic Farrington (1996) as farringtonFlexible runs it: noPeriods = 1, pastWeeksNotIncluded = w,
    weightsThreshold = 1, thresholdMethod = "delta" (other options as `farrington_flexible`).

    Note R's older `algo.farrington` uses a two-sided z = Φ⁻¹(1 − alpha/2) and a bound of 0 instead of NA
    under limit54; its alpha = a corresponds to alpha = a/2 here.
    """
    settings = {
        "no_periods": 1,
        "past_weeks_not_included": w,
        "weights_threshold": 1.0,
        "threshold_method": "delta",
    }
    settings.update(options)
    return farrington_flexible(counts, alpha=alpha, b=b, w=w, **settings)
