"""Outbreak detection: throughput of our vectorised EARS C1/C2/C3, CUSUM (Rossi) and CIDARS weekly moving
percentile over a batch of county × disease weekly series, and exactness against the stored R `surveillance`
reference outputs (tests/surveillance/data, made by tools/r_reference/detection_reference.R)."""

import time

import numpy as np

from countybridge.surveillance.detection import cidars_weekly, cusum_rossi, ears_c
from tests.surveillance.reference import DATASETS, METHODS, compare, load

RUNS = {
    "ears-c1": lambda c: ears_c(c, method="C1"),
    "ears-c2": lambda c: ears_c(c, method="C2"),
    "ears-c3": lambda c: ears_c(c, method="C3"),
    "cusum-rossi": lambda c: cusum_rossi(c, start=52),
    "cidars-percentile": lambda c: cidars_weekly(c, percentile=80),
}


def run(smoke: bool) -> None:
    counties, diseases, weeks = (20, 5, 104) if smoke else (183, 41, 260)
    rng = np.random.default_rng(2026)
    means = rng.gamma(0.6, 3.0, size=(counties * diseases, 1))  # many sparse series, a few busy ones
    counts = rng.poisson(means, size=(counties * diseases, weeks)).astype(float)
    n = counts.shape[0]
    print(f"batch: {counties} counties × {diseases} diseases = {n} series × {weeks} weeks")
    for name, method in RUNS.items():
        method(counts[:10])  # warm-up
        start = time.perf_counter()
        result = method(counts)
        seconds = time.perf_counter() - start
        print(
            f"  {name:18s} {seconds:7.3f} s  {n / seconds:12,.0f} series/s  alarms {int(result.alarm.sum())}"
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
