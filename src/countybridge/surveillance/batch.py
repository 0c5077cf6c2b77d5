"""Batch detection: every region × disease series at once, pure numpy (no Django).

The scheduled run (daily or weekly) builds one 2-D counts matrix (series × periods, all series on the same
period axis) and, per row, the detection method and its parameters (from the disease catalogue). This
module groups the rows that can share one call of a method (same method and same *shared* parameters;
parameters the method accepts per series, such as CIDARS's percentile and min_cases, do not split groups),
calls each method once on its 2-D block, and returns the alarms as `SignalRow`s.

A signal is identified by `SignalRow.signal_key` = (series key, period index, method): the database keeps
one row per (disease, region, period, method), so running the same batch twice yields the same keys and
storing them again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import detection
from .detection import DetectionInputError


@dataclass(frozen=True)
class MethodSpec:
    """How the batch calls one detection method.

    `vector_params` may differ between the series of one call (passed as one value per series);
    every other parameter is shared by the call, so series with different values go to different calls.
    `needs_first_day`: the method takes the date of the first period (CIDARS daily's calendar baseline).
    """

    name: str
    func: Callable[..., Any]
    vector_params: frozenset[str] = frozenset()
    fixed_kwargs: Mapping[str, Any] = field(default_factory=dict)
    needs_first_day: bool = False
    frequency: str = "any"  # "day", "week" or "any": the period unit the method is meant for


def _methods() -> dict[str, MethodSpec]:
    specs = [
        MethodSpec("fixed", detection.fixed_threshold),
        MethodSpec(
            "cidars-daily",
            detection.cidars_daily,
            vector_params=frozenset({"percentile", "min_cases"}),
            needs_first_day=True,
            frequency="day",
        ),
        MethodSpec(
            "cidars-weekly",
            detection.cidars_weekly,
            vector_params=frozenset({"percentile", "min_cases"}),
            frequency="week",
        ),
        MethodSpec("ears-c1", detection.ears_c, fixed_kwargs={"method": "C1"}),
        MethodSpec("ears-c2", detection.ears_c, fixed_kwargs={"method": "C2"}),
        MethodSpec("ears-c3", detection.ears_c, fixed_kwargs={"method": "C3"}),
        MethodSpec("cusum", detection.cusum_rossi, vector_params=frozenset({"m"})),
    ]
    # the Farrington methods (weekly counts), when the detection package has them
    for name, attr in (("farrington", "farrington"), ("farrington-flexible", "farrington_flexible")):
        func = getattr(detection, attr, None)
        if func is not None:
            specs.append(MethodSpec(name, func, frequency="week"))
    return {s.name: s for s in specs}


METHODS: dict[str, MethodSpec] = _methods()


# the catalogue's method (Disease.detection_method) → the batch method for a daily or a weekly run
CATALOGUE_METHODS: dict[str, dict[str, str]] = {
    "fixed": {"day": "fixed", "week": "fixed"},
    "cidars-percentile": {"day": "cidars-daily", "week": "cidars-weekly"},
    "ears-c1": {"day": "ears-c1", "week": "ears-c1"},
    "ears-c2": {"day": "ears-c2", "week": "ears-c2"},
    "ears-c3": {"day": "ears-c3", "week": "ears-c3"},
    "cusum": {"day": "cusum", "week": "cusum"},
    "farrington": {"week": "farrington"},
    "farrington-flexible": {"week": "farrington-flexible"},
}


def batch_method(catalogue_method: str, frequency: str) -> str | None:
    """The batch method running a catalogue method on daily ("day") or weekly ("week") counts; None when
    the method does not apply to that frequency or is not available (Farrington before it lands)."""
    name = CATALOGUE_METHODS.get(catalogue_method, {}).get(frequency)
    return name if name in METHODS else None


def method_params(method: str, params: Mapping[str, Any] | None) -> dict[str, Any]:
    """The parameters of `params` that the batch method's function takes (catalogue extras are dropped)."""
    spec = METHODS[method]
    accepted = set(inspect.signature(spec.func).parameters) - set(spec.fixed_kwargs) - {"counts", "first_day"}
    return {k: v for k, v in (params or {}).items() if k in accepted}


class BatchInputError(DetectionInputError):
    """A batch that cannot run (shape mismatch, unknown method); bilingual like the methods' errors."""


def _freeze(value: Any) -> Hashable:
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), _freeze(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple, np.ndarray)):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, (np.integer, np.floating)):
        return value.item()
    return value


@dataclass(frozen=True)
class SeriesConfig:
    """One row of the counts matrix: its key (e.g. (disease code, region code)), method and parameters."""

    key: Hashable
    method: str
    params: tuple[tuple[str, Hashable], ...] = ()

    @classmethod
    def of(cls, key: Hashable, method: str, params: Mapping[str, Any] | None = None) -> SeriesConfig:
        return cls(
            key=key,
            method=method,
            params=tuple(sorted((str(k), _freeze(v)) for k, v in (params or {}).items())),
        )

    @property
    def param_dict(self) -> dict[str, Hashable]:
        return dict(self.params)


@dataclass(frozen=True)
class GroupKey:
    """The method and the shared parameters of one call."""

    method: str
    shared: tuple[tuple[str, Hashable], ...]


def group_series(configs: Sequence[SeriesConfig]) -> dict[GroupKey, list[int]]:
    """Row indexes per call: rows with the same method and shared parameters, in input order."""
    groups: dict[GroupKey, list[int]] = {}
    for i, cfg in enumerate(configs):
        spec = METHODS.get(cfg.method)
        if spec is None:
            raise BatchInputError(
                "batch_method",
                f"未知的检测方法: {cfg.method!r}(可选: {', '.join(METHODS)})",
                f"Unknown detection method: {cfg.method!r} (known: {', '.join(METHODS)})",
            )
        shared = tuple((k, v) for k, v in cfg.params if k not in spec.vector_params)
        groups.setdefault(GroupKey(cfg.method, shared), []).append(i)
    return groups


@dataclass(frozen=True)
class SignalRow:
    """One alarm: the series, the period (index into the matrix's period axis), the observed value the
    method compared (the count, or CIDARS daily's 7-day sum) and the threshold it exceeded."""

    key: Hashable
    method: str
    period_index: int
    observed: float
    threshold: float
    params: tuple[tuple[str, Hashable], ...] = ()

    @property
    def signal_key(self) -> tuple[Hashable, int, str]:
        return (self.key, self.period_index, self.method)


@dataclass
class GroupRun:
    key: GroupKey
    rows: list[int]
    signals: int
    suppressed: int
    no_baseline: int


@dataclass
class BatchResult:
    """Signals (in series order, then period order), per-call statistics and counts over the evaluated
    window: `evaluated` series × periods, `no_baseline` of them without a bound, `suppressed` exceedances
    held back by CIDARS's repeat suppression."""

    signals: list[SignalRow]
    groups: list[GroupRun]
    evaluated: int
    no_baseline: int
    suppressed: int
    results: dict[GroupKey, Any] = field(default_factory=dict)

    @property
    def calls(self) -> int:
        return len(self.groups)


def _group_kwargs(spec: MethodSpec, key: GroupKey, rows: list[int], configs: Sequence[SeriesConfig]) -> dict:
    kwargs: dict[str, Any] = dict(spec.fixed_kwargs)
    kwargs.update(dict(key.shared))
    present = {name for i in rows for name, _ in configs[i].params if name in spec.vector_params}
    for name in sorted(present):
        values = []
        for i in rows:
            params = configs[i].param_dict
            if name not in params:
                raise BatchInputError(
                    "batch_param_missing",
                    f"参数 {name} 须为同组每个序列都给出(序列 {configs[i].key!r} 未给)",
                    f"Parameter {name} must be given for every series of a group (missing for {configs[i].key!r})",
                )
            values.append(params[name])
        arr = np.asarray(values, dtype=np.float64)
        kwargs[name] = float(arr[0]) if np.all(arr == arr[0]) else arr
    return kwargs


def run_batch(
    counts,
    configs: Sequence[SeriesConfig],
    *,
    first_day: dt.date | None = None,
    evaluate_from: int = 0,
    keep_results: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> BatchResult:
    """Run every row of `counts` (series × periods) through its method, one call per group.

    Only periods from `evaluate_from` on are reported (the earlier ones are the baseline history; CIDARS's
    repeat suppression still sees them). `progress(done_series, total_series)` is called after each call.
    `keep_results` keeps each call's DetectionResult (for threshold bands) in `results`.
    """
    x = np.asarray(counts, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] != len(configs):
        raise BatchInputError(
            "batch_shape",
            f"病例数矩阵应为 序列×时期 的二维数组,行数等于序列配置数({len(configs)}),实为形状{x.shape}",
            f"Counts must be a 2-D series × periods matrix with one row per series config "
            f"({len(configs)}), got shape {x.shape}",
        )
    n_periods = x.shape[1]
    if not 0 <= evaluate_from <= n_periods:
        raise BatchInputError(
            "batch_window",
            f"评估起点应在 0 到 {n_periods} 之间: {evaluate_from}",
            f"evaluate_from must lie in 0 … {n_periods}: {evaluate_from}",
        )
    groups = group_series(configs)
    found: list[SignalRow] = []
    runs: list[GroupRun] = []
    results: dict[GroupKey, Any] = {}
    evaluated = no_baseline = suppressed_total = done = 0
    for key, rows in groups.items():
        spec = METHODS[key.method]
        kwargs = _group_kwargs(spec, key, rows, configs)
        if spec.needs_first_day:
            if first_day is None:
                raise BatchInputError(
                    "batch_first_day",
                    f"方法 {key.method} 需要首日日期 first_day",
                    f"Method {key.method} needs the date of the first day (first_day)",
                )
            kwargs["first_day"] = first_day
        block = x[rows]
        result = spec.func(block, **kwargs)
        if keep_results:
            results[key] = result
        observed = getattr(result, "observed", None)
        observed = block if observed is None else observed
        window = slice(evaluate_from, n_periods)
        alarm = np.asarray(result.alarm)[:, window]
        status = np.asarray(result.status)[:, window]
        sup = getattr(result, "suppressed", None)
        n_sup = int(np.asarray(sup)[:, window].sum()) if sup is not None else 0
        n_nb = int((status == detection.INSUFFICIENT_HISTORY).sum())
        series_idx, period_idx = np.nonzero(alarm)
        for r, t in zip(series_idx.tolist(), period_idx.tolist(), strict=True):
            period = t + evaluate_from
            cfg = configs[rows[r]]
            found.append(
                SignalRow(
                    key=cfg.key,
                    method=key.method,
                    period_index=period,
                    observed=float(observed[r, period]),
                    threshold=float(np.asarray(result.upperbound)[r, period]),
                    params=cfg.params,
                )
            )
        runs.append(GroupRun(key=key, rows=rows, signals=len(series_idx), suppressed=n_sup, no_baseline=n_nb))
        evaluated += alarm.size
        no_baseline += n_nb
        suppressed_total += n_sup
        done += len(rows)
        if progress is not None:
            progress(done, len(configs))
    order = {cfg.key: i for i, cfg in enumerate(configs)}
    found.sort(key=lambda s: (order.get(s.key, 0), s.period_index, s.method))
    return BatchResult(found, runs, evaluated, no_baseline, suppressed_total, results)


def run_per_series(
    counts, configs: Sequence[SeriesConfig], *, first_day: dt.date | None = None, evaluate_from: int = 0
) -> list[SignalRow]:
    """The same signals computed one series at a time (the reference the batch is tested and timed against)."""
    x = np.asarray(counts, dtype=np.float64)
    found: list[SignalRow] = []
    for i, cfg in enumerate(configs):
        found.extend(run_batch(x[i : i + 1], [cfg], first_day=first_day, evaluate_from=evaluate_from).signals)
    return found


def signal_keys(signals: Sequence[SignalRow]) -> set[tuple[Hashable, int, str]]:
    """The identities of a set of signals; storing by these keys makes a rerun a no-op."""
    return {s.signal_key for s in signals}
