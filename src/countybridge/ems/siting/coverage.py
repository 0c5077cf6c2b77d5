"""Covering models solved exactly with HiGHS from a greedy start.

- maximal_covering (MCLP, Church & ReVelle 1974): open p sites (and/or within a budget) maximising the demand
  weight within `radius` of an open site.
- set_covering (LSCP, Toregas et al. 1971): fewest sites (or least total cost) putting every demand within
  `radius` of an open site.
- max_expected_covering (MEXCLP, Daskin 1983): place p units (ambulances) at sites, several per site allowed;
  each unit is busy with probability q independently, so a demand covered by k units is covered with
  probability 1 − q^k; maximise expected covered demand Σ_i w_i Σ_{k=1..p} (1 − q) q^{k−1} y_ik with
  Σ_k y_ik ≤ Σ_{j covers i} x_j.

Demand rows with the same covering set are merged (weights added) before the MIP is built.
"""

from __future__ import annotations

import math
import time

import numpy as np
import scipy.sparse as sp

from ._common import SitingInputError, SitingResult, check_p, check_radius, infeasible, prepare, unique_rows
from ._highs import INF, solve_mip
from .heuristics import greedy_cover, greedy_expected, greedy_set_cover


def _cover_matrix(prep, radius):
    return prep.d <= radius + 1e-12


def _result(model, prep, sites_local, objective, out, started, heuristic, units=None) -> SitingResult:
    status = out.status if out is not None else "optimal"
    gap = 0.0 if status == "optimal" else out.gap
    return SitingResult(
        model=model,
        sites=tuple(int(s) for s in prep.cand[np.asarray(sites_local, dtype=int)]),
        objective=float(objective),
        gap=gap,
        seconds=time.perf_counter() - started,
        status=status,
        bound=float(objective) if status == "optimal" else float(out.bound),
        heuristic_objective=heuristic,
        units={int(prep.cand[j]): int(u) for j, u in (units or {}).items()},
    )


def _site_rows(prep, p, m, rows, cols, vals, row_lo, row_hi, r, *, exact_p: bool):
    """Σ y = p (or ≤ p) and the budget row over the first m columns; returns the next row index."""
    if p is not None:
        rows += [r] * m
        cols += list(range(m))
        vals += [1.0] * m
        row_lo.append(float(p) if exact_p else -INF)
        row_hi.append(float(p))
        r += 1
    if prep.budget is not None:
        rows += [r] * m
        cols += list(range(m))
        vals += prep.cost.tolist()
        row_lo.append(-INF)
        row_hi.append(prep.budget)
        r += 1
    return r


def maximal_covering(
    distances,
    radius,
    p=None,
    *,
    weights=None,
    candidates=None,
    fixed=None,
    costs=None,
    budget=None,
    time_limit: float | None = None,
) -> SitingResult:
    """MCLP: choose p sites (exactly p; or any number within `budget` when p is None) maximising covered
    demand weight. `objective` is the covered weight."""
    started = time.perf_counter()
    prep = prepare(distances, weights, candidates, fixed, costs, budget)
    r_cov = check_radius(radius)
    p = check_p(p, prep, required=prep.budget is None)
    cover_all = _cover_matrix(prep, r_cov)
    m = cover_all.shape[1]
    heur = greedy_cover(cover_all, prep.w, p, prep.fixed_mask, prep.cost, prep.budget)
    heur_obj = float(prep.w[cover_all[:, heur].any(axis=1)].sum())
    coverable = cover_all.any(axis=1)
    cover, w = unique_rows(cover_all[coverable], prep.w[coverable])
    n = cover.shape[0]
    # columns: y (m, binary), x (n, continuous 0..1); rows: x_i − Σ_{j∈N_i} y_j ≤ 0
    ii, jj = np.nonzero(cover)
    rows = np.concatenate([np.arange(n), ii]).tolist()
    cols = np.concatenate([m + np.arange(n), jj]).tolist()
    vals = [1.0] * n + [-1.0] * ii.size
    row_lo, row_hi = [-INF] * n, [0.0] * n
    r = _site_rows(prep, p, m, rows, cols, vals, row_lo, row_hi, n, exact_p=True)
    col_lo = np.zeros(m + n)
    col_lo[:m][prep.fixed_mask] = 1.0
    start = np.zeros(m + n)
    start[heur] = 1.0
    start[m:] = cover[:, heur].any(axis=1)
    out = solve_mip(
        cost=np.concatenate([np.zeros(m), w]),
        a=sp.coo_matrix((vals, (rows, cols)), shape=(r, m + n)),
        row_lo=np.asarray(row_lo),
        row_hi=np.asarray(row_hi),
        col_lo=col_lo,
        col_hi=np.ones(m + n),
        integer=np.arange(m + n) < m,
        maximize=True,
        start=start,
        time_limit=time_limit,
    )
    if out.status == "infeasible" or out.x is None:
        return infeasible("mclp", started, heur_obj)
    sites = np.flatnonzero(out.x[:m] > 0.5)
    objective = float(prep.w[cover_all[:, sites].any(axis=1)].sum())
    return _result("mclp", prep, sites, objective, out, started, heur_obj)


def set_covering(
    distances,
    radius,
    *,
    candidates=None,
    fixed=None,
    costs=None,
    time_limit: float | None = None,
) -> SitingResult:
    """LSCP: cover every demand within `radius` with the fewest sites (least total cost when `costs` are
    given). `objective` is the number of sites (or their cost, fixed sites included)."""
    started = time.perf_counter()
    prep = prepare(distances, None, candidates, fixed, costs, None)
    r_cov = check_radius(radius)
    cover_all = _cover_matrix(prep, r_cov)
    uncovered = np.flatnonzero(~cover_all.any(axis=1))
    if uncovered.size:
        shown = ", ".join(str(i) for i in uncovered[:10]) + (" …" if uncovered.size > 10 else "")
        raise SitingInputError(
            "demand_uncoverable",
            f"有 {uncovered.size} 个需求点在半径 {r_cov:g} 内没有候选站点（下标 {shown}）",
            f"{uncovered.size} demand points have no candidate site within radius {r_cov:g} (indices {shown})",
        )
    m = cover_all.shape[1]
    c = prep.cost if prep.cost is not None else np.ones(m)
    heur = greedy_set_cover(cover_all, c, prep.fixed_mask)
    heur_obj = float(c[heur].sum())
    cover, _ = unique_rows(cover_all, np.ones(cover_all.shape[0]))
    ii, jj = np.nonzero(cover)
    col_lo = np.zeros(m)
    col_lo[prep.fixed_mask] = 1.0
    start = np.zeros(m)
    start[heur] = 1.0
    out = solve_mip(
        cost=c,
        a=sp.coo_matrix((np.ones(ii.size), (ii, jj)), shape=(cover.shape[0], m)),
        row_lo=np.ones(cover.shape[0]),
        row_hi=np.full(cover.shape[0], INF),
        col_lo=col_lo,
        col_hi=np.ones(m),
        integer=np.ones(m, dtype=bool),
        start=start,
        time_limit=time_limit,
        abs_gap=0.999 if np.allclose(c, np.round(c)) else 1e-6,
    )
    if out.x is None:
        return infeasible("lscp", started, heur_obj)
    sites = np.flatnonzero(out.x > 0.5)
    return _result("lscp", prep, sites, float(c[sites].sum()), out, started, heur_obj)


def max_expected_covering(
    distances,
    radius,
    p,
    q,
    *,
    weights=None,
    candidates=None,
    fixed=None,
    costs=None,
    budget=None,
    max_per_site: int | None = None,
    time_limit: float | None = None,
) -> SitingResult:
    """MEXCLP: place p units, each busy with probability q. Fixed sites get at least one unit; `costs` and
    `budget` apply to the sites opened (not per unit). `units` in the result maps site → number of units;
    `objective` is the expected covered demand Σ_i w_i (1 − q^{k_i}), k_i = units covering demand i."""
    started = time.perf_counter()
    prep = prepare(distances, weights, candidates, fixed, costs, budget)
    r_cov = check_radius(radius)
    try:
        q = float(q)
    except (TypeError, ValueError):
        q = math.nan
    if not 0.0 <= q < 1.0:
        raise SitingInputError(
            "busy_probability_invalid",
            "繁忙概率 q 须满足 0 ≤ q < 1",
            "The busy probability q must satisfy 0 ≤ q < 1",
        )
    if p is None or isinstance(p, bool) or int(p) != p or int(p) < 1:
        raise SitingInputError(
            "p_invalid", "车辆数 p 须为正整数", "The number of units p must be a positive integer"
        )
    p = int(p)
    n_fixed = int(prep.fixed_mask.sum())
    cap = p if max_per_site is None else int(max_per_site)
    if cap < 1 or p < n_fixed or cap * prep.cand.size < p:
        raise SitingInputError(
            "units_out_of_range",
            f"车辆数 p={p} 须不少于现有站点数 {n_fixed}，且不超过各站容量之和",
            f"The number of units p={p} must be at least the {n_fixed} fixed stations and fit the site capacities",
        )
    cover_all = _cover_matrix(prep, r_cov)
    m = cover_all.shape[1]
    heur_units = greedy_expected(cover_all, prep.w, p, q, prep.fixed_mask, cap, prep.cost, prep.budget)

    def expected(units):
        k = cover_all.astype(float) @ units
        return float(np.dot(prep.w, 1.0 - q**k))

    heur_obj = expected(heur_units)
    coverable = cover_all.any(axis=1)
    cover, w = unique_rows(cover_all[coverable], prep.w[coverable])
    n = cover.shape[0]
    # columns: x_j units (m, integer 0..cap), [o_j opened (m, binary) if budget], y_ik (n·K, 0..1)
    kmax = np.minimum(p, cover.sum(axis=1) * cap)  # units that can matter for demand i
    has_open = prep.budget is not None
    base = m * (2 if has_open else 1)
    y_start = base + np.concatenate([[0], np.cumsum(kmax)[:-1]])
    n_col = base + int(kmax.sum())
    obj = np.zeros(n_col)
    for i in range(n):
        ks = np.arange(kmax[i])
        obj[y_start[i] + ks] = w[i] * (1 - q) * q**ks
    ii, jj = np.nonzero(cover)
    yi = np.repeat(np.arange(n), kmax)
    ycol = base + np.arange(int(kmax.sum()))
    rows = np.concatenate([yi, ii]).tolist()
    cols = np.concatenate([ycol, jj]).tolist()
    vals = [1.0] * ycol.size + [-1.0] * ii.size
    row_lo, row_hi = [-INF] * n, [0.0] * n
    r = n
    rows += [r] * m
    cols += list(range(m))
    vals += [1.0] * m
    row_lo.append(float(p))
    row_hi.append(float(p))
    r += 1
    col_lo = np.zeros(n_col)
    col_hi = np.ones(n_col)
    col_hi[:m] = cap
    col_lo[:m][prep.fixed_mask] = 1.0
    integer = np.zeros(n_col, dtype=bool)
    integer[:base] = True
    if has_open:  # x_j ≤ cap·o_j, Σ cost_j o_j ≤ budget
        for j in range(m):
            rows += [r, r]
            cols += [j, m + j]
            vals += [1.0, -float(cap)]
            row_lo.append(-INF)
            row_hi.append(0.0)
            r += 1
        rows += [r] * m
        cols += list(range(m, 2 * m))
        vals += prep.cost.tolist()
        row_lo.append(-INF)
        row_hi.append(prep.budget)
        r += 1
        col_lo[m : 2 * m][prep.fixed_mask] = 1.0
    start = np.zeros(n_col)
    start[:m] = heur_units
    if has_open:
        start[m : 2 * m] = heur_units > 0
    k_cov = np.minimum(cover.astype(float) @ heur_units, kmax)
    for i in range(n):
        start[y_start[i] : y_start[i] + int(k_cov[i])] = 1.0
    out = solve_mip(
        cost=obj,
        a=sp.coo_matrix((vals, (rows, cols)), shape=(r, n_col)),
        row_lo=np.asarray(row_lo),
        row_hi=np.asarray(row_hi),
        col_lo=col_lo,
        col_hi=col_hi,
        integer=integer,
        maximize=True,
        start=start if heur_units.sum() == p else None,
        time_limit=time_limit,
        abs_gap=1e-9,
    )
    if out.x is None:
        return infeasible("mexclp", started, heur_obj)
    units = np.round(out.x[:m]).astype(int)
    sites = np.flatnonzero(units > 0)
    return _result(
        "mexclp",
        prep,
        sites,
        expected(units),
        out,
        started,
        heur_obj,
        units={int(j): int(units[j]) for j in sites},
    )
