"""Space-time permutation scan: wall time at the township scale of Chengdu's eight county cities and at
300 locations × 365 days, 999 replicas; speed against the brute-force reference (plain Python loops over
every cylinder, tests/surveillance/test_spacetime_scan.py) on a small table, with the results compared.

The township points are synthetic (seeded): the database has no township coordinates, so each county city's
townships (facts: chengdu.md § 3, 125 in all) are drawn uniformly in a box of ±0.18° lon × ±0.15° lat
around its seat (§ 5). Case counts are Poisson with township rates drawn from a gamma distribution, plus an
injected outbreak in the last days at a few neighbouring townships."""

import time

import numpy as np

from countybridge.surveillance.detection import spacetime_permutation_scan
from countybridge.surveillance.detection.spacetime_scan import great_circle_km

# county city: (seat lon, seat lat, townships)
COUNTIES = {
    "简阳市": (104.5472, 30.4115, 37),
    "都江堰市": (103.6466, 30.9884, 11),
    "彭州市": (103.9581, 30.9902, 13),
    "邛崃市": (103.4644, 30.4103, 14),
    "崇州市": (103.6729, 30.6302, 15),
    "金堂县": (104.4121, 30.8620, 16),
    "大邑县": (103.5207, 30.5876, 11),
    "蒲江县": (103.5063, 30.1968, 8),
}


def township_points(rng) -> np.ndarray:
    points = [
        np.column_stack([rng.uniform(lon - 0.18, lon + 0.18, n), rng.uniform(lat - 0.15, lat + 0.15, n)])
        for lon, lat, n in COUNTIES.values()
    ]
    return np.vstack(points)


def synthetic_cases(rng, coords, periods, mean_per_location, outbreak_size=4, outbreak_periods=4, extra=2.0):
    """Poisson counts (locations × periods) and the injected outbreak's locations."""
    n = len(coords)
    rate = rng.gamma(1.5, mean_per_location / 1.5, size=(n, 1))
    counts = rng.poisson(rate, size=(n, periods))
    centre = int(rng.integers(n))
    near = np.argsort(great_circle_km(coords[centre, 0], coords[centre, 1], coords[:, 0], coords[:, 1]))
    outbreak = near[:outbreak_size]
    counts[outbreak, -outbreak_periods:] += rng.poisson(extra, size=(outbreak_size, outbreak_periods))
    return counts, set(outbreak.tolist())


def _timed(label, counts, coords, outbreak, **kw):
    start, cpu = time.perf_counter(), time.process_time()
    result = spacetime_permutation_scan(counts, coords, **kw)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    top = result.most_likely
    cylinders = result.n_circles * result.n_windows
    rate = cylinders * (result.replicas + 1) / seconds
    found = len(outbreak & set(top.locations)) if top else 0
    print(
        f"  {label:44s} {seconds:7.2f} s (CPU {cpu:6.2f} s)  {result.n_circles:6d} circles × {result.n_windows:5d} windows "
        f"× {result.replicas + 1} = {rate / 1e6:6.1f} M cylinders/s"
    )
    if top:
        print(
            f"  {'':44s} most likely: {len(top.locations)} locations ({found} of {len(outbreak)} injected), "
            f"periods {top.start}–{top.end}, O/E {top.observed}/{top.expected:.1f}, LLR {top.llr:.2f}, "
            f"p {top.p_value:.3f}"
            + (f", RI {top.recurrence_interval:.0f} periods" if top.recurrence_interval else "")
        )
    return result, seconds


def _versus_brute_force(n_loc, n_per, replicas, max_window, prospective, rng):
    from tests.surveillance.test_spacetime_scan import brute_force_scan

    coords = rng.uniform(0, 30, size=(n_loc, 2))
    counts, _ = synthetic_cases(rng, coords, n_per, 0.6)
    kw = dict(geometry="cartesian", prospective=prospective, max_window=max_window)
    start = time.perf_counter()
    ours = spacetime_permutation_scan(counts, coords, replicas=replicas, seed=3, min_cases=1, **kw)
    ours_s = time.perf_counter() - start
    start = time.perf_counter()
    observed, replica_max = brute_force_scan(counts, coords, replicas, 3, max_case_share=0.5, **kw)
    brute_s = time.perf_counter() - start  # includes drawing the replica tables (negligible)
    diff = max(
        abs(observed - ours.most_likely.llr),
        float(np.max(np.abs(np.asarray(replica_max) - ours.replica_llr))),
    )
    mode = "prospective" if prospective else "retrospective"
    print(
        f"  {n_loc} locations × {n_per} periods, {mode}, max window {max_window}, {replicas} replicas: "
        f"vectorised {ours_s:.3f} s, brute force {brute_s:.2f} s → {brute_s / ours_s:,.0f}× faster; "
        f"max |ΔLLR| {diff:.1e}"
    )


def run(smoke: bool) -> None:
    rng = np.random.default_rng(2026)
    replicas = 99 if smoke else 999
    coords = township_points(rng)
    if smoke:
        coords = coords[::4]
    days = 60 if smoke else 372
    counts, outbreak = synthetic_cases(rng, coords, days, 0.08)
    print(
        f"Chengdu county-city townships (synthetic points): {len(coords)} townships × {days} days, "
        f"{int(counts.sum())} cases, {replicas} replicas"
    )
    _timed(
        "prospective, last 7 days, max 50 % of cases",
        counts,
        coords,
        outbreak,
        max_window=7,
        replicas=replicas,
    )
    if not smoke:
        _timed("prospective, max window 30 days", counts, coords, outbreak, max_window=30, replicas=replicas)
        weeks = counts[:, -52 * 7 :].reshape(len(coords), 52, 7).sum(axis=2)  # weeks ending on the last day
        _timed(
            "retrospective, 52 weeks, max 8 weeks",
            weeks,
            coords,
            outbreak,
            prospective=False,
            max_window=8,
            replicas=replicas,
        )

    n_loc, n_days = (40, 60) if smoke else (300, 365)
    box = rng.uniform([103.4, 30.1], [104.7, 31.1], size=(n_loc, 2))
    counts, outbreak = synthetic_cases(rng, box, n_days, 0.1)
    print(f"{n_loc} locations × {n_days} days, {int(counts.sum())} cases, {replicas} replicas")
    _timed(
        "prospective, last 7 days, max 50 % of cases", counts, box, outbreak, max_window=7, replicas=replicas
    )
    if not smoke:
        _timed(
            "prospective, last 7 days, radius ≤ 20 km",
            counts,
            box,
            outbreak,
            max_window=7,
            max_radius_km=20.0,
            replicas=replicas,
        )

    print("against the brute-force reference (same replica tables):")
    if smoke:
        _versus_brute_force(8, 15, 9, 5, True, rng)
    else:
        _versus_brute_force(15, 40, 49, 7, True, rng)
        _versus_brute_force(12, 30, 19, 6, False, rng)
