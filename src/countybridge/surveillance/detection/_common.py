"""Shared input checking, result type and helpers of the detection methods (numpy only, no Django)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Per-period state of a method's output. OK: the bound was computed. INSUFFICIENT_HISTORY: too few past
# periods for the method's baseline (R leaves these periods out of its range). UNDEFINED: the baseline is
# there but degenerate where R itself returns NA (zero standard deviation in EARS C3 with minSigma = 0,
# zero baseline mean in CUSUM): no alarm can be raised there.
OK = 0
INSUFFICIENT_HISTORY = 1
UNDEFINED = 2
# Farrington's limit54 rule: fewer than 5 cases in the last 4 periods, so R gives no bound and no alarm.
FEW_CASES = 3

# Series processed per block, so the sliding-window temporaries of a batch stay in cache-sized pieces.
CHUNK = 1024


class DetectionInputError(ValueError):
    """Input a detection method cannot use; carries a message in Chinese and in English."""

    def __init__(self, code: str, message_zh: str, message_en: str):
        super().__init__(f"{message_zh} / {message_en}")
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en


@dataclass(frozen=True)
class DetectionResult:
    """Output of a method, shaped like its input (periods, or series × periods).

    `alarm[i]` is True when the method signals at period i (for all but CUSUM: `observed > upperbound`);
    where `status` is not OK there is no alarm and `upperbound` is NaN (CUSUM's UNDEFINED periods keep R's
    bound of 0).
    """

    upperbound: np.ndarray
    alarm: np.ndarray
    status: np.ndarray

    @property
    def insufficient_history(self) -> np.ndarray:
        return self.status == INSUFFICIENT_HISTORY


def check_count_values(x: np.ndarray) -> None:
    """Refuse counts (a float64 array) with missing or infinite values, negatives or fractions."""
    if not np.all(np.isfinite(x)):
        raise DetectionInputError(
            "counts_missing", "病例数含缺失值(NaN)或无穷大", "Counts contain missing (NaN) or infinite values"
        )
    if np.any(x < 0):
        raise DetectionInputError("counts_negative", "病例数不能为负数", "Counts cannot be negative")
    if np.any(x != np.floor(x)):
        raise DetectionInputError("counts_fraction", "病例数必须是整数", "Counts must be whole numbers")


def as_counts(counts) -> tuple[np.ndarray, bool]:
    """Check a count array and return it as float64 series × periods, plus whether the input was 1-D."""
    try:
        x = np.asarray(counts, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise DetectionInputError(
            "counts_not_numeric",
            "病例数必须是数值数组(每个序列长度相同)",
            "Counts must be a numeric array (every series of the same length)",
        ) from exc
    if x.ndim not in (1, 2):
        raise DetectionInputError(
            "counts_shape",
            f"病例数应为一维(时期)或二维(序列×时期)数组,实为{x.ndim}维",
            f"Counts must be 1-D (periods) or 2-D (series × periods), got {x.ndim}-D",
        )
    check_count_values(x)
    one_d = x.ndim == 1
    return (x[np.newaxis, :] if one_d else x), one_d


def per_series(value, n_series: int, name: str) -> np.ndarray:
    """A method parameter given once or once per series, as a float64 column of shape (n_series, 1)."""
    v = np.asarray(value, dtype=np.float64)
    if v.ndim == 0:
        return np.full((n_series, 1), float(v))
    if v.shape != (n_series,):
        raise DetectionInputError(
            "parameter_shape",
            f"参数 {name} 应为单个值或每个序列一个值(共{n_series}个),实为形状{v.shape}",
            f"Parameter {name} must be one value or one per series ({n_series}), got shape {v.shape}",
        )
    return v[:, np.newaxis]


def check_range(name: str, value: float, low: float, high: float | None = None) -> None:
    if not (value >= low and (high is None or value <= high)):
        bound = f"[{low}, {high}]" if high is not None else f"≥ {low}"
        raise DetectionInputError(
            "parameter_range",
            f"参数 {name} 应在 {bound} 之内: {value}",
            f"Parameter {name} must be {bound}: {value}",
        )


def finish(upperbound: np.ndarray, alarm: np.ndarray, status: np.ndarray, one_d: bool) -> DetectionResult:
    if one_d:
        upperbound, alarm, status = upperbound[0], alarm[0], status[0]
    return DetectionResult(upperbound=upperbound, alarm=alarm, status=status)


def empty(shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Arrays for a result where nothing has been computed yet (all 'insufficient history')."""
    return (
        np.full(shape, np.nan),
        np.zeros(shape, dtype=bool),
        np.full(shape, INSUFFICIENT_HISTORY, dtype=np.int8),
    )


def type7_percentile(values: np.ndarray, n_valid: np.ndarray, percentile: np.ndarray) -> np.ndarray:
    """Percentile by linear interpolation (R type 7, numpy's default) along the last axis.

    `values` is (..., m) with the missing entries NaN; `n_valid` (broadcastable to values[..., 0]) counts the
    present ones; `percentile` is in [0, 100]. With the values sorted x₁ ≤ … ≤ xₙ and h = (n − 1)·p/100,
    the result is x₍⌊h⌋+1₎ + (h − ⌊h⌋)·(x₍⌊h⌋+2₎ − x₍⌊h⌋+1₎); NaN where n_valid is 0.
    """
    ordered = np.sort(values, axis=-1)  # NaN sorts last, so the present values come first
    n = np.broadcast_to(n_valid, ordered.shape[:-1])
    h = (np.maximum(n, 1) - 1) * (percentile / 100.0)
    lo = np.floor(h).astype(np.intp)
    hi = np.minimum(lo + 1, np.maximum(n, 1) - 1)
    frac = h - lo
    x_lo = np.take_along_axis(ordered, lo[..., np.newaxis], axis=-1)[..., 0]
    x_hi = np.take_along_axis(ordered, hi[..., np.newaxis], axis=-1)[..., 0]
    out = x_lo + frac * (x_hi - x_lo)
    return np.where(n > 0, out, np.nan)
