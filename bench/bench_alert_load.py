"""Alert load of the scheduled detection run: a simulated year for the eight county cities, run through
`surveillance.batch` as the daily job runs it, against CIDARS's published operational figure of
**1.65 signals per county per week** for the moving-percentile method (facts/surveillance.md § 2.3;
≈ 1.48 in 2014).

The data are synthetic (seeded, no real cases): every disease of the shipped catalogue with a detection
method gets, per county, a Poisson series whose annual incidence is drawn per disease (log-normal around a
few per 100,000, scaled by the county's 2020 census population), with a disease-specific seasonal cycle and
a small year-to-year trend; three years of history, then one evaluated year into which outbreaks of known
start, length and size are injected. Reported:

- signals per county-week of each method (CIDARS daily at the catalogue's P50/P80/P90, CIDARS weekly,
  EARS C1/C2/C3 and CUSUM on the same MPM diseases; Farrington flexible on weekly counts when it is
  installed), on the background alone and with the outbreaks; the CIDARS figure also scaled to the 19 MPM
  diseases CIDARS ran (the catalogue has more);
- the share of injected outbreaks detected (a signal of the same series from the outbreak's first day to 7
  days after its last), by outbreak size, and the median days to detection;
- the fixed-threshold signals of the rare diseases (reported apart, as CIDARS does);
- the batch's time (one call per method and shared parameters) against calling it series by series.

The yardstick compares orders of magnitude only: CIDARS's figure comes from real national data with real
reporting artefacts; ours from a synthetic county set. Smoke mode: fewer diseases, same structure.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from countybridge.core.regions_data import DIVISIONS
from countybridge.surveillance import batch
from countybridge.surveillance.batch import SeriesConfig, run_batch, run_per_series

CATALOGUE = Path(__file__).resolve().parent.parent / "src/countybridge/surveillance/data/diseases.json"
CIDARS_PER_COUNTY_WEEK = 1.65
CIDARS_MPM_DISEASES = 19
FIRST_DAY = dt.date(2022, 1, 3)  # a Monday: weekly aggregation lines up with ISO weeks
HISTORY_DAYS = 3 * 365 + 35
EVAL_DAYS = 364  # 52 whole weeks
SIZE_BANDS = {"small (3–5)": (3, 5), "medium (6–15)": (6, 15), "large (16–40)": (16, 40)}


@dataclass
class Outbreak:
    row: int
    start: int
    end: int
    size: int
    band: str


def _counties() -> list[tuple[str, int]]:
    return [(row[0], row[4]) for row in DIVISIONS if row[5]]


def _diseases(smoke: bool) -> tuple[list[dict], list[dict]]:
    """(MPM diseases, fixed-threshold diseases) of the shipped catalogue."""
    data = json.loads(CATALOGUE.read_text(encoding="utf-8"))["diseases"]
    mpm = [d for d in data if d.get("detection", {}).get("method") == "cidars-percentile"]
    fixed = [d for d in data if d.get("detection", {}).get("method") == "fixed"]
    if smoke:
        mpm = [d for i, d in enumerate(mpm) if i % 5 == 0]
        fixed = fixed[:3]
    return mpm, fixed


# Median annual incidence per 100,000 of an MPM disease in a county, and the log-normal spread across
# diseases. An assumption, not a fitted figure: China's MPM diseases run from ~0.01 (typhus, JE) to ~100
# (other infectious diarrhoea) per 100,000; the alert load depends strongly on it, so `run` also shows the
# CIDARS daily load at a lower and a higher median (full mode).
INCIDENCE_MEDIAN = 1.5
INCIDENCE_SIGMA = 1.6


def simulate(
    smoke: bool,
    seed: int = 20261127,
    outbreaks_per_county: int = 8,
    incidence_median: float = INCIDENCE_MEDIAN,
):
    """Daily counts (series × days) for MPM and fixed-threshold diseases, plus the injected outbreaks."""
    rng = np.random.default_rng(seed)
    counties = _counties()
    mpm, fixed = _diseases(smoke)
    n_days = HISTORY_DAYS + EVAL_DAYS
    t = np.arange(n_days)
    keys, rates = [], []
    for d in mpm:
        per_100k = float(np.exp(rng.normal(np.log(incidence_median), INCIDENCE_SIGMA)))
        amplitude = rng.uniform(0.0, 0.8)
        phase = rng.uniform(0, 2 * np.pi)
        trend = rng.normal(0.0, 0.05)
        season = 1 + amplitude * np.sin(2 * np.pi * t / 365.25 + phase)
        drift = (1 + trend) ** (t / 365.25)
        for code, population in counties:
            level = per_100k * population / 100_000 / 365.25 * rng.lognormal(0, 0.25)
            keys.append(("mpm", d, code))
            rates.append(level * season * drift)
    for d in fixed:
        for code, population in counties:
            keys.append(("fixed", d, code))
            rates.append(np.full(n_days, 0.05 * population / 100_000 / 365.25))  # ~ 1 in 2 years per county
    counts = rng.poisson(np.asarray(rates)).astype(np.float64)
    background = counts.copy()
    outbreaks = []
    mpm_rows = [i for i, k in enumerate(keys) if k[0] == "mpm"]
    for code, _ in counties:
        rows = [i for i in mpm_rows if keys[i][2] == code]
        for row in rng.choice(rows, size=outbreaks_per_county, replace=len(rows) < outbreaks_per_county):
            band = list(SIZE_BANDS)[rng.integers(len(SIZE_BANDS))]
            low, high = SIZE_BANDS[band]
            size = int(rng.integers(low, high + 1))
            length = int(rng.integers(7, 22))
            start = HISTORY_DAYS + int(rng.integers(0, EVAL_DAYS - length - 7))
            shape = np.bincount(
                rng.triangular(0, length / 2, length, size=size).astype(int), minlength=length
            )
            counts[row, start : start + length] += shape[:length]
            outbreaks.append(Outbreak(int(row), start, start + length - 1, size, band))
    return keys, counts, background, outbreaks


def _configs(keys, method: str, *, weekly: bool = False) -> list[SeriesConfig]:
    configs = []
    for kind, d, code in keys:
        if kind == "fixed":
            configs.append(SeriesConfig.of((d["code"], code), "fixed", {"threshold": 1}))
        elif method in ("cidars-daily", "cidars-weekly"):
            params = batch.method_params(method, d["detection"]["params"])
            configs.append(SeriesConfig.of((d["code"], code), method, params))
        elif method == "farrington-flexible":  # the catalogue's setting: 3 years back, ±3 weeks, alpha 0.01
            params = {"b": 3, "w": 3, "alpha": 0.01}
            configs.append(SeriesConfig.of((d["code"], code), "farrington-flexible", params))
        elif method == "cusum":
            configs.append(SeriesConfig.of((d["code"], code), "cusum", {"start": 52 if weekly else 365}))
        else:
            configs.append(SeriesConfig.of((d["code"], code), method, {}))
    return configs


def _weekly(counts: np.ndarray) -> np.ndarray:
    return counts.reshape(counts.shape[0], -1, 7).sum(axis=2)


def _evaluate(keys, counts, outbreaks, method: str, weekly: bool, *, timed: int = 0) -> dict:
    n_counties = len(_counties())
    configs = _configs(keys, method, weekly=weekly)
    # weekly series: whole weeks from FIRST_DAY (a Monday); the history is cut to whole weeks at the start
    if weekly:
        offset = counts.shape[1] % 7
        data = _weekly(counts[:, offset:])
        evaluate_from = data.shape[1] - EVAL_DAYS // 7
        first_day = FIRST_DAY + dt.timedelta(days=offset)
    else:
        data, evaluate_from, first_day, offset = counts, counts.shape[1] - EVAL_DAYS, FIRST_DAY, 0
    started = time.perf_counter()
    result = run_batch(data, configs, first_day=first_day, evaluate_from=evaluate_from)
    seconds = time.perf_counter() - started
    weeks = EVAL_DAYS / 7
    is_mpm = {c.key for c, k in zip(configs, keys, strict=True) if k[0] == "mpm"}
    mpm_signals = [s for s in result.signals if s.key in is_mpm]
    fixed_signals = [s for s in result.signals if s.key not in is_mpm]
    rows_of = {c.key: i for i, c in enumerate(configs)}
    by_row: dict[int, list[int]] = {}
    for s in mpm_signals:
        day = s.period_index * 7 + offset if weekly else s.period_index
        by_row.setdefault(rows_of[s.key], []).append(day)
    found, delays, per_band = 0, [], {band: [0, 0] for band in SIZE_BANDS}
    for ob in outbreaks:
        per_band[ob.band][1] += 1
        span = 6 if weekly else 0  # a weekly signal is dated by its Monday; it covers the week
        hits = [d for d in by_row.get(ob.row, []) if ob.start - span <= d <= ob.end + 7]
        if hits:
            found += 1
            per_band[ob.band][0] += 1
            delays.append(max(0, min(hits) - ob.start))
    n_mpm = len({k[1]["code"] for k in keys if k[0] == "mpm"})
    out = {
        "mpm_per_county_week": len(mpm_signals) / (n_counties * weeks),
        "per_19_diseases": len(mpm_signals) / (n_counties * weeks) * CIDARS_MPM_DISEASES / max(1, n_mpm),
        "fixed_per_county_week": len(fixed_signals) / (n_counties * weeks),
        "detected": found / max(1, len(outbreaks)),
        "per_band": {b: (v[0] / v[1] if v[1] else None) for b, v in per_band.items()},
        "median_delay_days": float(np.median(delays)) if delays else None,
        "calls": result.calls,
        "series": len(configs),
        "seconds": seconds,
    }
    if timed:  # the batch against series by series, on the first `timed` rows
        subset = slice(0, timed)
        together = run_batch(data[subset], configs[subset], first_day=first_day, evaluate_from=evaluate_from)
        started = time.perf_counter()
        together = run_batch(data[subset], configs[subset], first_day=first_day, evaluate_from=evaluate_from)
        out["subset_seconds"] = time.perf_counter() - started
        started = time.perf_counter()
        alone = run_per_series(
            data[subset], configs[subset], first_day=first_day, evaluate_from=evaluate_from
        )
        out["per_series_seconds"] = time.perf_counter() - started
        out["same_signals"] = alone == together.signals
        out["subset"] = len(configs[subset])
    return out


def _methods() -> list[tuple[str, bool]]:
    methods = [("cidars-daily", False), ("cidars-weekly", True), ("ears-c1", False), ("ears-c2", False),
               ("ears-c3", False), ("cusum", False)]  # fmt: skip
    if "farrington-flexible" in batch.METHODS:
        methods.append(("farrington-flexible", True))
    return methods


def run(smoke: bool) -> None:
    keys, counts, background, outbreaks = simulate(smoke)
    n_mpm = len({k[1]["code"] for k in keys if k[0] == "mpm"})
    print(
        f"simulated: {len(_counties())} county cities × {n_mpm} MPM diseases (+ {len(keys) // 8 - n_mpm} "
        f"fixed-threshold), {counts.shape[1]} days (3 years of history + {EVAL_DAYS} evaluated), "
        f"{len(outbreaks)} injected outbreaks; seeded synthetic data"
    )
    print(f"CIDARS published (national, 2008–10): {CIDARS_PER_COUNTY_WEEK} MPM signals per county-week")
    header = (
        f"{'method':<20}{'bg/cw':>8}{'all/cw':>8}{'per19':>8}{'fixed/cw':>9}{'detected':>10}"
        f"{'small':>7}{'medium':>8}{'large':>7}{'delay d':>9}{'calls':>6}{'batch s':>9}"
    )
    print(header)
    for method, weekly in _methods():
        quiet = _evaluate(keys, background, [], method, weekly)
        loud = _evaluate(
            keys,
            counts,
            outbreaks,
            method,
            weekly,
            timed=(16 if smoke else len(keys)) * (method == "cidars-daily"),
        )
        bands = [loud["per_band"][b] for b in SIZE_BANDS]
        fmt = lambda v: "—" if v is None else f"{v:.0%}"  # noqa: E731
        delay = "—" if loud["median_delay_days"] is None else f"{loud['median_delay_days']:.0f}"
        print(
            f"{method:<20}{quiet['mpm_per_county_week']:>8.2f}{loud['mpm_per_county_week']:>8.2f}"
            f"{loud['per_19_diseases']:>8.2f}{loud['fixed_per_county_week']:>9.3f}{loud['detected']:>10.0%}"
            f"{fmt(bands[0]):>7}{fmt(bands[1]):>8}{fmt(bands[2]):>7}{delay:>9}{loud['calls']:>6}"
            f"{loud['seconds']:>9.3f}"
        )
        if "per_series_seconds" in loud:
            timing = loud
    print(
        "bg/cw: MPM-disease signals per county-week without outbreaks; all/cw: with them; per19: all/cw scaled "
        "to CIDARS's 19 MPM diseases; fixed/cw: fixed-threshold signals of the rare diseases"
    )
    print(
        f"batch vs series by series (cidars-daily run, {timing['subset']} series): "
        f"{timing['subset_seconds']:.3f} s vs {timing['per_series_seconds']:.3f} s "
        f"({timing['per_series_seconds'] / max(timing['subset_seconds'], 1e-9):.1f}×); same signals: {timing['same_signals']}"
    )
    assert timing["same_signals"], "the batch must find exactly the per-series signals"
    if not smoke:
        print("sensitivity of the CIDARS daily load to the assumed incidence (median per 100,000 per year):")
        for median in (0.3, INCIDENCE_MEDIAN, 6.0, 25.0):
            k, c, bg, obs = simulate(smoke, incidence_median=median)
            quiet = _evaluate(k, bg, [], "cidars-daily", False)
            loud = _evaluate(k, c, obs, "cidars-daily", False)
            print(
                f"  median {median:>5}: {quiet['mpm_per_county_week']:.2f} (background) / "
                f"{loud['mpm_per_county_week']:.2f} (with outbreaks) signals per county-week, "
                f"{loud['per_19_diseases']:.2f} scaled to 19 diseases; {loud['detected']:.0%} of outbreaks detected"
            )


if __name__ == "__main__":
    import sys

    run(smoke="--smoke" in sys.argv)
