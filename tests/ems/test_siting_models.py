"""Siting models on small instances whose optima can be checked by hand, and OR-Library pmed instances at
their proven optima."""

import csv
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest

from countybridge.ems.siting import (
    SitingInputError,
    max_expected_covering,
    maximal_covering,
    p_center,
    p_median,
    set_covering,
)
from countybridge.ems.siting.orlib import read_orlib

# six points on a line: two clusters {0, 1, 2} and {10, 11, 12}
X = np.array([0.0, 1, 2, 10, 11, 12])
D = np.abs(X[:, None] - X[None, :])

PMED = Path(__file__).resolve().parent / "data" / "pmed"  # pmed1–5, copied from the shared data set


def brute_median(d, w, p, allowed=None):
    allowed = range(d.shape[1]) if allowed is None else allowed
    return min(float(w @ d[:, list(s)].min(axis=1)) for s in combinations(allowed, p))


def test_p_median_two_clusters_opens_each_middle():
    r = p_median(D, 2)
    assert r.sites == (1, 4)
    assert r.objective == 4.0  # 1 + 0 + 1 on each side
    assert r.gap == 0.0 and r.status == "optimal" and r.seconds >= 0
    assert list(r.assignment) == [1, 1, 1, 4, 4, 4]


def test_p_median_fixed_existing_station_stays_open():
    r = p_median(D, 2, fixed=[0])
    assert r.sites == (0, 4)
    assert r.objective == 5.0  # 0 + 1 + 2 on the left, 2 on the right


def test_p_median_budget_excludes_expensive_middles():
    r = p_median(D, 2, costs=[1, 5, 1, 1, 5, 1], budget=3)
    assert 1 not in r.sites and 4 not in r.sites
    assert r.objective == 6.0  # an end site on each side: 0 + 1 + 2 each


def test_p_median_candidates_restricted_and_weights():
    r = p_median(D, 1, candidates=[0, 5], weights=[1, 1, 1, 1, 1, 10])
    assert r.sites == (5,)
    assert r.objective == 12 + 11 + 10 + 2 + 1


def test_p_median_matches_brute_force_on_random_instances():
    rng = np.random.default_rng(7)
    for _ in range(5):
        pts = rng.uniform(0, 100, size=(14, 2))
        d = np.round(np.linalg.norm(pts[:, None] - pts[None, :], axis=2))
        w = rng.integers(1, 5, size=14).astype(float)
        r = p_median(d, 3, weights=w)
        assert r.objective == pytest.approx(brute_median(d, w, 3))
        assert r.gap == 0.0


def test_p_median_unreachable_demand_served_by_reachable_site():
    d = np.array([[0.0, np.inf], [1.0, np.inf], [np.inf, 0.0]])
    r = p_median(d, 2)
    assert r.sites == (0, 1) and r.objective == 1.0
    r1 = p_median(d, 1)
    assert r1.status == "infeasible"


def test_mclp_covers_heaviest_cluster():
    r = maximal_covering(D, 1, 1, weights=[1, 1, 1, 5, 1, 1])
    assert r.sites == (4,) and r.objective == 7.0 and r.gap == 0.0


def test_mclp_budget_without_p():
    r = maximal_covering(D, 1, costs=[1, 1, 1, 1, 3, 1], budget=2)
    assert r.objective == 5.0  # site 1 covers 3, then one of 3 or 5 covers 2
    assert 1 in r.sites and 4 not in r.sites


def test_mclp_fixed_site_counts_towards_p():
    r = maximal_covering(D, 1, 2, fixed=[0])
    assert 0 in r.sites and r.objective == 2 + 3  # 0 covers {0, 1}; 4 covers the right cluster


def test_lscp_count_and_cost():
    assert set_covering(D, 1).objective == 2.0
    r = set_covering(D, 1, costs=[1, 3, 1, 1, 3, 1])
    assert r.sites == (0, 2, 3, 5) and r.objective == 4.0


def test_lscp_uncoverable_demand_is_a_bilingual_error():
    with pytest.raises(SitingInputError) as exc:
        set_covering(D, 1, candidates=[0, 1, 2])
    assert exc.value.code == "demand_uncoverable"
    assert "需求点" in exc.value.message_zh and "demand points" in exc.value.message_en


def test_p_center():
    assert p_center(D, 2).objective == 1.0
    assert p_center(D, 1).objective == 10.0
    r = p_center(D, 2, fixed=[0])
    assert r.objective == 2.0 and 0 in r.sites


def test_mexclp_busy_probability_values_backup_units():
    # q = 0.5: one unit per cluster covers 3 + 3 demands with probability 1/2 each
    r = max_expected_covering(D, 1, 2, 0.5)
    assert r.objective == pytest.approx(3.0) and r.units == {1: 1, 4: 1}
    # a third unit backs one cluster up: 3·(1 − 0.25) + 3·0.5
    r3 = max_expected_covering(D, 1, 3, 0.5, weights=[1, 1, 1, 2, 2, 2])
    assert r3.objective == pytest.approx(3 * 0.5 + 6 * 0.75)
    assert r3.units[4] == 2
    # with q = 0 it is the MCLP
    assert max_expected_covering(D, 1, 2, 0.0).objective == pytest.approx(6.0)


def test_mexclp_fixed_and_budget():
    r = max_expected_covering(D, 1, 2, 0.2, fixed=[0], costs=[0, 1, 1, 1, 1, 1], budget=1)
    assert 0 in r.units
    assert len(r.sites) <= 2
    # fixed 0 covers {0, 1}; the one affordable site should cover a whole cluster (3 of 6)
    assert r.objective == pytest.approx(0.8 * 2 + 0.8 * 3)


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda: p_median(D, 0), "p_out_of_range"),
        (lambda: p_median(D, 1, fixed=[0, 3]), "p_below_fixed"),
        (lambda: p_median([[1.0, -1.0]], 1), "distances_negative"),
        (lambda: p_median([[1.0, "x"]], 1), "distances_not_numeric"),
        (lambda: p_median(D, 2, budget=3), "budget_without_costs"),
        (lambda: p_median(D, 2, candidates=[9]), "candidates_invalid"),
        (lambda: maximal_covering(D, -1, 1), "radius_invalid"),
        (lambda: max_expected_covering(D, 1, 2, 1.0), "busy_probability_invalid"),
        (lambda: p_median(D, 2, weights=[1, 2]), "weights_invalid"),
    ],
)
def test_bad_input_is_rejected_with_both_languages(call, code):
    with pytest.raises(SitingInputError) as exc:
        call()
    assert exc.value.code == code
    assert exc.value.message_zh and exc.value.message_en


def _optimum(name):
    with open(PMED / "optima.csv", encoding="utf-8") as fh:
        return {r["instance"]: float(r["optimal"]) for r in csv.DictReader(fh)}[name]


@pytest.mark.parametrize("name", ["pmed1", "pmed2", "pmed4", "pmed5"])
def test_orlib_pmed_reaches_proven_optimum(name):
    inst = read_orlib(PMED / f"{name}.txt")
    r = p_median(inst.distances, inst.p)
    assert r.objective == _optimum(name)
    assert r.status == "optimal" and r.gap == 0.0 and len(r.sites) == inst.p


def test_models_match_brute_force_with_fixed_sites():
    rng = np.random.default_rng(11)
    for _ in range(4):
        pts = rng.uniform(0, 50, size=(12, 2))
        d = np.round(np.linalg.norm(pts[:, None] - pts[None, :], axis=2))
        w = rng.integers(1, 6, size=12).astype(float)
        combos = [s for s in combinations(range(12), 3) if 2 in s]
        want = min(float(w @ d[:, list(s)].min(axis=1)) for s in combos)
        r = p_median(d, 3, weights=w, fixed=[2])
        assert 2 in r.sites and r.objective == pytest.approx(want)
        center = min(float((w[:, None] * d[:, list(s)]).min(axis=1).max()) for s in combos)
        assert p_center(d, 3, weights=w, fixed=[2]).objective == pytest.approx(center)
        cover = min(-float(w[(d[:, list(s)] <= 12).any(axis=1)].sum()) for s in combos)
        assert maximal_covering(d, 12, 3, weights=w, fixed=[2]).objective == pytest.approx(-cover)
