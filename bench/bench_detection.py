"""Outbreak detection: throughput of our vectorised EARS C1/C2/C3, CUSUM (Rossi) and CIDARS weekly moving
percentile over a batch of county × disease weekly series, and exactness against the stored R `surveillance`
reference outputs (tests/surveillance/data, made by tools/r_reference/detection_reference.R).

When Rscript with `surveillance` is installed, R's earsC/cusum are timed on a subset of series of the same
size and distribution, called once per series as an R loop over counties × diseases would, and the speed
ratio is printed (scaled per series; the data are drawn alike, not identical)."""

import datetime as dt
import shutil
import subprocess
import time
from pathlib import Path

import numpy as np

from countybridge.surveillance.detection import cidars_daily, cidars_weekly, cusum_rossi, ears_c
from tests.surveillance.reference import DATASETS, METHODS, compare, load

RUNS = {
    "ears-c1": lambda c: ears_c(c, method="C1"),
    "ears-c2": lambda c: ears_c(c, method="C2"),
    "ears-c3": lambda c: ears_c(c, method="C3"),
    "cusum-rossi": lambda c: cusum_rossi(c, start=52),
    "cidars-percentile": lambda c: cidars_weekly(c, percentile=80),
}


R_SCRIPT = Path(__file__).resolve().parent.parent / "tools" / "r_reference" / "time_detection.R"


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
