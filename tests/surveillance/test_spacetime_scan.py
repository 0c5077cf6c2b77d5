"""Space-time permutation scan: hand-computed expectations and LLRs, agreement with a brute-force reference
(plain loops over every cylinder, from the paper's cell formula μ_zd = C_z·C_d/C), power and null behaviour,
the permutation's margins, the minimum-cases rule and bad input.

`brute_force_cylinders` / `brute_force_scan` are also used by bench/bench_scan.py for the speed ratio."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from countybridge.surveillance.detection import (
    DetectionInputError,
    SpaceTimeScanResult,
    spacetime_permutation_scan,
)
from countybridge.surveillance.detection.spacetime_scan import (
    SCAN_NO_EXCESS,
    SCAN_OK,
    SCAN_TOO_FEW_CASES,
    expected_counts,
    great_circle_km,
    permuted_tables,
    poisson_llr,
)

# ------------------------------------------------------------------------------ brute-force reference


def _distance_rows(coords, geometry):
    n = len(coords)
    out = []
    for i in range(n):
        row = []
        for j in range(n):
            (x1, y1), (x2, y2) = coords[i], coords[j]
            if geometry == "cartesian":
                d = math.sqrt((x1 - x2) ** 2 + (y1 - y2) ** 2)
            else:
                p1, p2 = math.radians(y1), math.radians(y2)
                h = (
                    math.sin((p2 - p1) / 2) ** 2
                    + math.cos(p1) * math.cos(p2) * math.sin(math.radians(x2 - x1) / 2) ** 2
                )
                d = 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, h)))
            row.append(round(d, 6))
        out.append(row)
    return out


def brute_force_cylinders(
    counts, coords, *, geometry, prospective, max_window, max_case_share=0.5, max_radius_km=None
):
    """{(locations, start, end): (observed, expected, llr)} over every allowed cylinder, by plain loops."""
    counts = [[int(v) for v in row] for row in counts]
    n_loc, n_per = len(counts), len(counts[0])
    total = sum(map(sum, counts))
    loc_cases = [sum(row) for row in counts]
    per_cases = [sum(counts[z][d] for z in range(n_loc)) for d in range(n_per)]
    if prospective:
        windows = [(n_per - w, n_per - 1) for w in range(1, max_window + 1)]
    else:
        windows = [(s, s + w - 1) for w in range(1, max_window + 1) for s in range(n_per - w + 1)]
    dist = _distance_rows(coords, geometry)
    out = {}
    for i in range(n_loc):
        for radius in sorted(set(dist[i])):
            zone = frozenset(j for j in range(n_loc) if dist[i][j] <= radius)
            zone_cases = sum(loc_cases[z] for z in zone)
            if zone_cases > max_case_share * total * (1 + 1e-12) or zone_cases == 0:
                continue
            if max_radius_km is not None and radius > max_radius_km:
                continue
            for s, e in windows:
                c = sum(counts[z][d] for z in zone for d in range(s, e + 1))
                mu = sum(loc_cases[z] * per_cases[d] / total for z in zone for d in range(s, e + 1))
                if c > mu:
                    llr = c * math.log(c / mu)
                    if total > c:
                        llr += (total - c) * math.log((total - c) / (total - mu))
                else:
                    llr = 0.0
                out[(zone, s, e)] = (c, mu, llr)
    return out


def brute_force_scan(counts, coords, replicas, seed, **kw):
    """Maximum LLR of the data and of each replica table (drawn by the module's permutation, same seed)."""
    observed = max((v[2] for v in brute_force_cylinders(counts, coords, **kw).values()), default=0.0)
    tables = permuted_tables(counts, replicas, seed) if replicas else []
    return observed, [
        max((v[2] for v in brute_force_cylinders(t, coords, **kw).values()), default=0.0) for t in tables
    ]


# -------------------------------------------------------------------------------------------- tests


def test_expected_counts_and_llr_by_hand():
    counts = [[3, 0], [1, 2]]  # C = 6; C_z = 3, 3; C_d = 4, 2
    np.testing.assert_allclose(expected_counts(counts), [[2.0, 1.0], [2.0, 1.0]])  # 3·4/6, 3·2/6, …
    # location 1 on day 1: c = 2, μ = 1 → 2 ln 2 + 4 ln(4/5) = 0.4937202…
    assert poisson_llr(2, 1, 6) == pytest.approx(2 * math.log(2) + 4 * math.log(0.8), rel=1e-14)
    assert poisson_llr(2, 1, 6) == pytest.approx(0.4937202, abs=1e-7)
    assert poisson_llr(1, 2, 6) == 0.0  # below expectation: not a high cluster
    far_apart = [[0.0, 0.0], [100.0, 0.0]]
    result = spacetime_permutation_scan(
        counts, far_apart, geometry="cartesian", prospective=False, max_window=1, replicas=9, min_cases=1
    )
    assert result.status == SCAN_OK
    first, second = result.clusters  # {0, 1} holds 100 % > 50 % of the cases: only single locations
    assert (first.locations, first.start, first.end, first.observed, first.expected) == ((1,), 1, 1, 2, 1.0)
    assert first.llr == pytest.approx(0.4937202, abs=1e-7)
    assert first.relative_risk == pytest.approx((2 / 1) / (4 / 5))
    assert first.observed_over_expected == 2.0
    # location 0 on day 0: c = 3, μ = 2 → 3 ln(3/2) + 3 ln(3/4) = 0.3533491…
    assert (second.locations, second.start, second.end) == ((0,), 0, 0)
    assert (second.observed, second.expected) == (3, 2.0)
    assert second.llr == pytest.approx(0.3533491, abs=1e-7)
    assert first.recurrence_interval is None  # retrospective
    prospective = spacetime_permutation_scan(
        counts, far_apart, geometry="cartesian", max_window=1, replicas=9, min_cases=1
    )
    # only windows ending on the last day
    assert [(c.locations, c.start, c.end) for c in prospective.clusters] == [((1,), 1, 1)]
    assert prospective.most_likely.recurrence_interval == 1 / prospective.most_likely.p_value


def test_great_circle_distance():
    assert great_circle_km(104.0, 30.0, 104.0, 31.0) == pytest.approx(math.pi / 180 * 6371.0088, rel=1e-12)
    # 简阳 and 都江堰 seats (facts: chengdu.md § 5); at ~100 km the equirectangular approximation is
    # within ~0.1 km: dy = 0.5769° · 111.195 km, dx = 0.9006° · cos(30.70°) · 111.195 km → 107.4 km
    km_per_degree = math.pi / 180 * 6371.0088
    dy = (30.9884 - 30.4115) * km_per_degree
    dx = (104.5472 - 103.6466) * math.cos(math.radians((30.4115 + 30.9884) / 2)) * km_per_degree
    assert great_circle_km(104.5472, 30.4115, 103.6466, 30.9884) == pytest.approx(math.hypot(dx, dy), abs=0.1)


def _check_against_brute_force(counts, coords, geometry, prospective, max_window, share, radius, replicas):
    kw = dict(
        geometry=geometry,
        prospective=prospective,
        max_window=max_window,
        max_case_share=share,
        max_radius_km=radius,
    )
    seed = 7
    result = spacetime_permutation_scan(counts, coords, replicas=replicas, seed=seed, min_cases=1, **kw)
    small_blocks = spacetime_permutation_scan(
        counts, coords, replicas=replicas, seed=seed, min_cases=1, block_elements=7, **kw
    )
    cylinders = brute_force_cylinders(counts, coords, **kw)
    best = max((v[2] for v in cylinders.values()), default=0.0)
    if best <= 1e-9:
        assert result.status == SCAN_NO_EXCESS and result.clusters == ()
        return
    assert result.status == SCAN_OK
    assert result.most_likely.llr == pytest.approx(best, rel=1e-9, abs=1e-9)
    used = set()
    for cluster in result.clusters:
        zone = frozenset(cluster.locations)
        assert not zone & used  # no geographical overlap with a stronger cluster
        c, mu, llr = cylinders[(zone, cluster.start, cluster.end)]
        assert cluster.observed == c
        assert cluster.expected == pytest.approx(mu, rel=1e-12)
        assert cluster.llr == pytest.approx(llr, rel=1e-9, abs=1e-9)
        remaining = max((v[2] for k, v in cylinders.items() if not k[0] & used), default=0.0)
        assert cluster.llr == pytest.approx(remaining, rel=1e-9, abs=1e-9)  # the best one left
        used |= zone
    if len(result.clusters) < 10:
        assert max((v[2] for k, v in cylinders.items() if not k[0] & used), default=0.0) <= 1e-9
    _, replica_max = brute_force_scan(counts, coords, replicas, seed, **kw)
    np.testing.assert_allclose(result.replica_llr, replica_max, rtol=1e-9, atol=1e-9)
    np.testing.assert_array_equal(result.replica_llr, small_blocks.replica_llr)  # chunking changes nothing
    for cluster in result.clusters:
        rank = 1 + sum(r >= cluster.llr - 1e-9 for r in replica_max)
        assert cluster.p_value == pytest.approx(rank / (replicas + 1))


@settings(max_examples=60, deadline=None)
@given(
    data=st.data(),
    n_loc=st.integers(1, 6),
    n_per=st.integers(1, 7),
    geometry=st.sampled_from(["cartesian", "lonlat"]),
    prospective=st.booleans(),
    share=st.sampled_from([0.3, 0.5, 1.0]),
    radius=st.sampled_from([None, 2.5, 300.0]),
)
def test_vectorised_scan_matches_brute_force(data, n_loc, n_per, geometry, prospective, share, radius):
    counts = data.draw(
        st.lists(st.lists(st.integers(0, 4), min_size=n_per, max_size=n_per), min_size=n_loc, max_size=n_loc)
    )
    if geometry == "cartesian":  # small integer grid: many equal distances (ties enter circles together)
        point = st.tuples(st.integers(0, 4), st.integers(0, 4))
    else:
        point = st.tuples(
            st.integers(0, 20).map(lambda v: 103.4 + v * 0.05),
            st.integers(0, 20).map(lambda v: 30.2 + v * 0.04),
        )
    coords = data.draw(st.lists(point, min_size=n_loc, max_size=n_loc))
    max_window = data.draw(st.integers(1, n_per))
    if sum(map(sum, counts)) == 0:
        assert (
            spacetime_permutation_scan(counts, coords, geometry=geometry, min_cases=0).status
            == SCAN_TOO_FEW_CASES
        )
        return
    _check_against_brute_force(counts, coords, geometry, prospective, max_window, share, radius, replicas=12)


def test_brute_force_on_a_larger_random_table():
    rng = np.random.default_rng(11)
    counts = rng.poisson(0.8, size=(9, 12))
    coords = rng.uniform(0, 20, size=(9, 2)).round(3)
    _check_against_brute_force(counts, coords, "cartesian", False, 4, 0.5, None, replicas=19)
    _check_against_brute_force(counts, coords, "cartesian", True, 6, 0.5, 8.0, replicas=19)


def _surveillance_data(seed, inject):
    rng = np.random.default_rng(seed)
    n_loc, n_per = 40, 90
    coords = np.column_stack([rng.uniform(103.5, 103.9, n_loc), rng.uniform(30.3, 30.7, n_loc)])
    rate = rng.gamma(2.0, 0.25, size=(n_loc, 1))  # township sizes differ; days alike
    counts = rng.poisson(rate, size=(n_loc, n_per))
    outbreak = np.argsort(great_circle_km(coords[0, 0], coords[0, 1], coords[:, 0], coords[:, 1]))[:4]
    if inject:
        counts[outbreak, -4:] += rng.poisson(2.0, size=(4, 4))
    return counts, coords, set(outbreak.tolist())


def test_injected_cluster_is_found():
    counts, coords, outbreak = _surveillance_data(5, inject=True)
    result = spacetime_permutation_scan(counts, coords, max_window=7)
    top = result.most_likely
    assert result.status == SCAN_OK and result.replicas == 999
    assert top.p_value <= 0.002
    assert top.end == counts.shape[1] - 1 and top.start >= counts.shape[1] - 7  # prospective window
    assert len(outbreak & set(top.locations)) >= 3
    assert top.observed > top.expected and top.relative_risk > 2
    assert top.recurrence_interval >= 500  # 1/p periods
    critical = result.critical_value(0.05)  # the 50th largest of 999 replica maxima
    assert critical == sorted(result.replica_llr)[-50]
    assert all((c.llr > critical) == (c.p_value <= 0.05) for c in result.clusters)
    assert result.critical_value(0.0001) is None
    retro = spacetime_permutation_scan(counts, coords, prospective=False, max_window=7, replicas=99)
    assert retro.most_likely.p_value <= 0.01 and len(outbreak & set(retro.most_likely.locations)) >= 3


def test_null_data_gives_no_small_p_values():
    counts, coords, _ = _surveillance_data(5, inject=False)
    result = spacetime_permutation_scan(counts, coords, max_window=7)
    assert result.status == SCAN_OK
    assert result.most_likely.p_value > 0.05
    # over 20 null tables the most likely cluster's p-value is below 0.05 about once (binomial 20 × 5 %)
    small = 0
    for seed in range(20):
        rng = np.random.default_rng(100 + seed)
        null = rng.poisson(0.4, size=(12, 30))
        points = rng.uniform(0, 30, size=(12, 2))
        p = spacetime_permutation_scan(
            null, points, geometry="cartesian", max_window=5, replicas=99, seed=seed
        )
        small += p.most_likely is not None and p.most_likely.p_value < 0.05
    assert small <= 4


def test_permutation_keeps_both_margins():
    rng = np.random.default_rng(3)
    counts = rng.poisson(1.5, size=(7, 15))
    tables = permuted_tables(counts, 50, seed=1)
    assert tables.shape == (50, 7, 15)
    np.testing.assert_array_equal(tables.sum(axis=2), np.broadcast_to(counts.sum(axis=1), (50, 7)))
    np.testing.assert_array_equal(tables.sum(axis=1), np.broadcast_to(counts.sum(axis=0), (50, 15)))
    assert (tables != counts).any(axis=(1, 2)).sum() >= 45  # they are reshuffled, not copies
    np.testing.assert_array_equal(tables, permuted_tables(counts, 50, seed=1))  # seeded
    assert not np.array_equal(tables, permuted_tables(counts, 50, seed=2))
    # the cells' mean over many replicas approaches the expected counts C_z·C_d/C
    many = permuted_tables(counts, 4000, seed=5).mean(axis=0)
    np.testing.assert_allclose(many, expected_counts(counts), atol=0.15)


def test_too_few_cases_is_not_scanned():
    counts = np.zeros((3, 10), dtype=int)
    counts[0, 9] = 4
    result = spacetime_permutation_scan(counts, [[104, 30.5], [104.1, 30.5], [104.2, 30.5]], min_cases=5)
    assert isinstance(result, SpaceTimeScanResult)
    assert result.status == SCAN_TOO_FEW_CASES and result.clusters == () and result.replicas == 0
    assert "4" in result.message_en and "5" in result.message_zh
    assert result.most_likely is None


def test_no_replicas_means_no_p_value():
    counts, coords, _ = _surveillance_data(5, inject=True)
    result = spacetime_permutation_scan(counts, coords, max_window=7, replicas=0)
    assert result.status == SCAN_OK and result.replica_llr.size == 0
    assert result.most_likely.p_value is None and result.most_likely.recurrence_interval is None
    assert (
        result.most_likely.llr
        == spacetime_permutation_scan(counts, coords, max_window=7, replicas=9).most_likely.llr
    )


def test_one_location_has_no_excess():
    # a single location: every cylinder's expectation equals its count
    result = spacetime_permutation_scan([[1, 5, 0, 9]], [[104.0, 30.0]], max_case_share=1.0, min_cases=1)
    assert result.status == SCAN_NO_EXCESS and result.most_likely is None
    assert "no cluster" in result.message_en


COORDS = [[104.0, 30.5], [104.1, 30.5], [104.2, 30.6]]
GOOD = [[1, 2, 3], [0, 1, 4], [2, 2, 2]]


@pytest.mark.parametrize(
    ("counts", "coords", "kwargs", "code"),
    [
        ([[1, -2, 3], [0, 1, 4], [2, 2, 2]], COORDS, {}, "counts_negative"),
        ([[1, 2.5, 3], [0, 1, 4], [2, 2, 2]], COORDS, {}, "counts_fraction"),
        ([[1, np.nan, 3], [0, 1, 4], [2, 2, 2]], COORDS, {}, "counts_missing"),
        ([1, 2, 3], COORDS, {}, "scan_counts_shape"),
        (GOOD, COORDS[:2], {}, "coordinates_shape"),
        (GOOD, None, {}, "coordinates_missing"),
        (GOOD, [[104.0, 30.5], [None, 30.5], [104.2, 30.6]], {}, "coordinates_missing"),
        (GOOD, [[104.0, 30.5], [30.5, 204.1], [104.2, 30.6]], {}, "coordinates_range"),
        (GOOD, COORDS, {"geometry": "utm"}, "scan_geometry"),
        (GOOD, COORDS, {"max_window": 4}, "scan_max_window"),
        (GOOD, COORDS, {"max_case_share": 0}, "scan_max_case_share"),
        (GOOD, COORDS, {"max_radius_km": -1}, "scan_max_radius"),
        (GOOD, COORDS, {"replicas": -1}, "parameter_range"),
        (GOOD, COORDS, {"replicas": "many"}, "parameter_range"),
        (GOOD, COORDS, {"max_window": 1.5}, "scan_max_window"),
        (GOOD, COORDS, {"max_case_share": "half"}, "scan_max_case_share"),
    ],
)
def test_bad_input_is_refused_in_both_languages(counts, coords, kwargs, code):
    with pytest.raises(DetectionInputError) as caught:
        spacetime_permutation_scan(counts, coords, **kwargs)
    error = caught.value
    assert error.code == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error.message_zh)
    assert error.message_en and not any("\u4e00" <= ch <= "\u9fff" for ch in error.message_en)
    assert error.message_en and error.message_zh in str(error)
