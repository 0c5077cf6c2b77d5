"""Outbreak detection: throughput of our vectorised EARS C1/C2/C3, CUSUM (Rossi), CIDARS weekly moving
percentile and Farrington (improved and classic) over a batch of county × disease weekly series, and
exactness against the stored R `surveillance` reference outputs (tests/surveillance/data, made by
tools/r_reference/detection_reference.R and farrington_reference.R).

When Rscript with `surveillance` is installed, R's earsC/cusum are timed on a subset of series of the same
size and distribution, called once per series as an R loop over counties × diseases would, and the speed
ratio is printed (scaled per series; the data are drawn alike, not identical).

Farrington: 183 counties × 41 diseases, each series 6 years of weeks (5 years of history, the last 52 weeks
evaluated, as a weekly run over a year would), seeded synthetic counts. R's farringtonFlexible is timed on a
random subset of the very same series (written to a temporary CSV for tools/r_reference/time_farrington.R),
looped one series at a time, and scaled up per series; wall-clock and CPU seconds are both shown because the
machine may be shared. Smoke mode skips the R Farrington timing (R alone needs seconds to start)."""

import datetime as dt
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

from countybridge.surveillance.detection import (
    OK,
    cidars_daily,
    cidars_weekly,
    cusum_rossi,
    ears_c,
    farrington,
    farrington_flexible,
)
from tests.surveillance.reference import (
    DATASETS,
    FARRINGTON_DATASETS,
    FARRINGTON_METHODS,
    METHODS,
    compare,
    compare_farrington,
    load,
    load_farrington,
)

RUNS = {
    "ears-c1": lambda c: ears_c(c, method="C1"),
    "ears-c2": lambda c: ears_c(c, method="C2"),
    "ears-c3": lambda c: ears_c(c, method="C3"),
    "cusum-rossi": lambda c: cusum_rossi(c, start=52),
    "cidars-percentile": lambda c: cidars_weekly(c, percentile=80),
}


R_SCRIPT = Path(__file__).resolve().parent.parent / "tools" / "r_reference" / "time_detection.R"
R_FARRINGTON = R_SCRIPT.parent / "time_farrington.R"
FARRINGTON_RUNS = {
    "farrington-flexible": farrington_flexible,
    "farrington": farrington,
}


def _time_r(n_series: int, weeks: int) -> dict[str, float]:
    """Seconds per series of R's methods, or {} when R or its package is missing."""
    if shutil.which("Rscript") is None:
        return {}
    done = subprocess.run(
        ["Rscript", str(R_SCRIPT), str(n_series), str(weeks)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        return {}
    return {name: float(sec) / n_series for name, sec in (line.split() for line in done.stdout.splitlines())}


def _time_r_farrington(counts: np.ndarray, evaluated: int) -> dict[str, tuple[float, float]]:
    """(elapsed, cpu) seconds of R's farringtonFlexible over these series, or {} when R is missing."""
    if shutil.which("Rscript") is None:
        return {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "counts.csv"
        header = ",".join(f"s{j}" for j in range(counts.shape[0]))
        np.savetxt(path, counts.T, fmt="%d", delimiter=",", header=header, comments="")
        done = subprocess.run(
            ["Rscript", str(R_FARRINGTON), str(path), str(evaluated)],
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        return {}
    out = {}
    for line in done.stdout.splitlines():
        name, elapsed, cpu = line.split()
        out[name] = (float(elapsed), float(cpu))
    return out


def _bench_farrington(smoke: bool) -> None:
    rng = np.random.default_rng(2026)  # its own seed: the same series whether run alone or after the rest
    counties, diseases = (20, 5) if smoke else (183, 41)
    evaluated = 52
    weeks = 5 * 52 + 3 + evaluated  # the classic method needs b = 5 years and w = 3 weeks before a week
    n = counties * diseases
    means = rng.gamma(0.6, 3.0, size=(n, 1))
    counts = rng.poisson(means, size=(n, weeks)).astype(float)
    print(
        f"farrington batch: {counties} counties × {diseases} diseases = {n} series × {weeks} weeks "
        f"(5 years and 3 weeks of history, the last {evaluated} weeks evaluated: {n * evaluated:,} series-weeks)"
    )
    subset = 0 if smoke else 24
    r_times = {}
    if subset:
        picked = np.sort(rng.choice(n, size=subset, replace=False))
        r_times = _time_r_farrington(counts[picked], evaluated)
        if not r_times:
            print("  (Rscript with surveillance not installed: no R timing, no speed ratio)")
    else:
        print("  (smoke: R farringtonFlexible timing skipped)")
    for name, method in FARRINGTON_RUNS.items():
        wall, cpu = time.perf_counter(), time.process_time()
        result = method(counts, start=weeks - evaluated)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        fitted = int((result.status == OK).sum())
        print(
            f"  {name:20s} {wall:8.2f} s wall {cpu:8.2f} s cpu  {n * evaluated / wall:10,.0f} series-weeks/s"
            f"  bounds {fitted:,}  alarms {int(result.alarm.sum()):,}"
        )
        if name in r_times:
            r_wall, r_cpu = (v / subset * n for v in r_times[name])
            print(
                f"  {'R ' + name:20s} {r_wall:8.0f} s wall {r_cpu:8.0f} s cpu  "
                f"{n * evaluated / r_wall:10,.0f} series-weeks/s  (measured on {subset} of the same series, "
                f"scaled)  ours {r_wall / wall:,.0f}× faster (wall), {r_cpu / cpu:,.0f}× (cpu)"
            )


def run(smoke: bool) -> None:
    counties, diseases, weeks = (20, 5, 104) if smoke else (183, 41, 260)
    rng = np.random.default_rng(2026)
    means = rng.gamma(0.6, 3.0, size=(counties * diseases, 1))  # many sparse series, a few busy ones
    counts = rng.poisson(means, size=(counties * diseases, weeks)).astype(float)
    n = counts.shape[0]
    print(f"batch: {counties} counties × {diseases} diseases = {n} series × {weeks} weeks")
    r_subset = 20 if smoke else 300
    r_per_series = _time_r(r_subset, weeks)
    if not r_per_series:
        print("  (Rscript with surveillance not installed: no R timing)")
    for name, method in RUNS.items():
        seconds = float("inf")
        for _ in range(3):  # best of three: the first call also pays for page faults of fresh arrays
            start = time.perf_counter()
            result = method(counts)
            seconds = min(seconds, time.perf_counter() - start)
        print(
            f"  {name:18s} {seconds:7.3f} s  {n / seconds:12,.0f} series/s  alarms {int(result.alarm.sum())}"
        )
        if name in r_per_series:
            r_seconds = r_per_series[name] * n
            print(
                f"  {'R ' + name:18s} {r_seconds:7.3f} s  {1 / r_per_series[name]:12,.0f} series/s  "
                f"(measured on {r_subset} series, scaled)  ours {r_seconds / seconds:,.0f}× faster"
            )
    days = 800 if smoke else 1461
    daily = rng.poisson(means / 7.0, size=(n, days)).astype(float)
    start = time.perf_counter()
    result = cidars_daily(daily, first_day=dt.date(2022, 1, 1), percentile=80)
    seconds = time.perf_counter() - start
    print(
        f"  {'cidars-daily':18s} {seconds:7.3f} s  {n / seconds:12,.0f} series/s  ({days} days each; "
        f"signals {int(result.alarm.sum())}, suppressed repeats {int(result.suppressed.sum())})"
    )
    print("exactness against R surveillance (max relative difference of upper bounds, alarm mismatches):")
    for dataset in DATASETS:
        reference = load(dataset)
        for method in METHODS:
            max_rel, mismatches, nan_mismatches = compare(method, reference)
            print(
                f"  {dataset:12s} {method:12s} max rel diff {max_rel:.2e}  alarm mismatches {mismatches}"
                f"  missing-bound mismatches {nan_mismatches}"
            )
    print(
        "Farrington against R farringtonFlexible (improved = Noufaily 2013 settings, classic = Farrington 1996):"
    )
    for dataset in FARRINGTON_DATASETS:
        reference = load_farrington(dataset)
        for method in FARRINGTON_METHODS:
            max_rel, mismatches, nan_mismatches = compare_farrington(method, reference)
            bounds = int(np.isfinite(reference[method][0]).sum())
            print(
                f"  {dataset:12s} {method:12s} max rel diff {max_rel:.2e}  alarm mismatches {mismatches}"
                f"  missing-bound mismatches {nan_mismatches}  (R bounds compared {bounds})"
            )
    _bench_farrington(smoke)
