"""Load the R `surveillance` reference outputs (tools/r_reference/detection_reference.R) and compare ours."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import numpy as np

from countybridge.surveillance.detection import OK, cusum_rossi, ears_c

DATA = Path(__file__).parent / "data"
DATASETS = ("salmNewport", "ha", "measlesDE")
METHODS = ("c1", "c2", "c3", "c1_ms1", "c2_ms1", "c3_ms1", "cusum_rossi")
NO_ALARM, ALARM, R_NA = 0, 1, -1


def load(name: str) -> dict:
    """series names, ISO week labels, observed (series × periods) and per method (upperbound, alarm code)."""
    with gzip.open(DATA / f"{name}.csv.gz", "rt", newline="") as handle:
        rows = list(csv.DictReader(handle))
    series = list(dict.fromkeys(row["series"] for row in rows))
    n = len(rows) // len(series)

    def grid(values):
        return np.array(values).reshape(len(series), n)

    out = {
        "series": series,
        "iso_week": [row["iso_week"] for row in rows[:n]],
        "observed": grid([float(row["observed"]) for row in rows]),
    }
    for method in METHODS:
        ub = grid([float(row[f"{method}_upperbound"] or "nan") for row in rows])
        alarm = grid([{"1": ALARM, "0": NO_ALARM, "": R_NA}[row[f"{method}_alarm"]] for row in rows])
        out[method] = (ub, alarm)
    return out


def run_ours(method: str, observed: np.ndarray):
    if method == "cusum_rossi":
        return cusum_rossi(observed, start=52)  # R: range = 53:n
    return ears_c(observed, method=method[:2].upper(), min_sigma=1.0 if method.endswith("_ms1") else 0.0)


def compare(method: str, reference: dict) -> tuple[float, int, int]:
    """(max relative difference of upper bounds, alarm mismatches, NaN-position mismatches) against R.

    R's NA alarm (no bound, or a degenerate baseline) must be our 'no alarm with a non-OK status'.
    """
    r_ub, r_alarm = reference[method]
    ours = run_ours(method, reference["observed"])
    nan_mismatch = int(np.sum(np.isnan(r_ub) != np.isnan(ours.upperbound)))
    both = ~np.isnan(r_ub) & ~np.isnan(ours.upperbound)
    a, b = r_ub[both], ours.upperbound[both]
    scale = np.maximum(np.abs(a), np.abs(b))
    rel = np.where(scale > 0, np.abs(a - b) / np.where(scale > 0, scale, 1.0), 0.0)
    ours_code = np.where(ours.status == OK, ours.alarm.astype(int), R_NA)
    return (float(rel.max()) if rel.size else 0.0), int(np.sum(ours_code != r_alarm)), nan_mismatch


# Farrington (tools/r_reference/farrington_reference.R): R farringtonFlexible, one file per data set.
FARRINGTON_DATASETS = ("salmNewport", "ha", "momo", "fluBYBW")
FARRINGTON_METHODS = ("improved", "improved_a01", "classic")


def load_farrington(name: str) -> dict:
    """series names, observed (series × periods) and per method (upperbound, alarm code) of R's run."""
    with gzip.open(DATA / f"{name}_farrington.csv.gz", "rt", newline="") as handle:
        rows = list(csv.DictReader(handle))
    series = list(dict.fromkeys(row["series"] for row in rows))
    n = len(rows) // len(series)

    def grid(values):
        return np.array(values).reshape(len(series), n)

    out = {"series": series, "observed": grid([float(row["observed"]) for row in rows])}
    for method in FARRINGTON_METHODS:
        ub = grid([float(row[f"{method}_upperbound"] or "nan") for row in rows])
        alarm = grid([{"1": ALARM, "0": NO_ALARM, "": R_NA}[row[f"{method}_alarm"]] for row in rows])
        out[method] = (ub, alarm)
    return out


def run_farrington(method: str, observed: np.ndarray):
    from countybridge.surveillance.detection import farrington, farrington_flexible

    if method == "classic":
        return farrington(observed)
    return farrington_flexible(observed, alpha=0.01 if method == "improved_a01" else 0.05)


def compare_farrington(method: str, reference: dict) -> tuple[float, int, int]:
    """(max relative difference of upper bounds, alarm mismatches, NaN-position mismatches) against R.

    R's alarm is NA outside its range and where its GLM failed, FALSE under limit54: both are 'no alarm'.
    """
    r_ub, r_alarm = reference[method]
    ours = run_farrington(method, reference["observed"])
    nan_mismatch = int(np.sum(np.isnan(r_ub) != np.isnan(ours.upperbound)))
    both = ~np.isnan(r_ub) & ~np.isnan(ours.upperbound)
    a, b = r_ub[both], ours.upperbound[both]
    scale = np.maximum(np.abs(a), np.abs(b))
    rel = np.where(scale > 0, np.abs(a - b) / np.where(scale > 0, scale, 1.0), 0.0)
    mismatches = int(np.sum((r_alarm == ALARM) != ours.alarm))
    return (float(rel.max()) if rel.size else 0.0), mismatches, nan_mismatch
