"""p-center: open p sites minimising the largest (weighted) distance from a demand point to its nearest
open site, max_i w_i · min_{j open} d_ij.

Exact by search over the sorted distinct values of w_i·d_ij (the optimum is one of them): for a radius r the
question "can ≤ p sites (fixed ones included, within the budget) put every demand within r?" is a set-covering
feasibility MIP solved with HiGHS (a greedy cover answers "yes" first when it can). A greedy heuristic gives
the starting upper bound and the largest nearest-site distance the lower bound; bisection closes the gap.
"""

from __future__ import annotations

import math
import time

import numpy as np
import scipy.sparse as sp

from ._common import SitingResult, check_p, infeasible, prepare, unique_rows
from ._highs import INF, solve_mip
from .heuristics import greedy_set_cover


def _radius_of(wd, sites) -> float:
    return float(wd[:, sites].min(axis=1).max())


def _greedy_center(wd, p, fixed_mask, cost, budget) -> np.ndarray:
    open_mask = fixed_mask.copy()
    cur = wd[:, open_mask].min(axis=1) if open_mask.any() else np.full(wd.shape[0], np.inf)
    spent = float(cost[open_mask].sum()) if cost is not None else 0.0
    while open_mask.sum() < p:
        score = np.minimum(wd, cur[:, None]).max(axis=0)
        # tie-break on total distance so the greedy keeps improving the others
        score = score + 1e-9 * np.minimum(np.where(np.isfinite(wd), wd, 1e12), 1e12).sum(axis=0) / max(
            wd.size, 1
        )
        score[open_mask] = np.inf
        if budget is not None:
            score[cost > budget - spent + 1e-9] = np.inf
        j = int(np.argmin(score))
        if not np.isfinite(score[j]) and np.isfinite(cur).all():
            break
        if open_mask[j] or (budget is not None and cost[j] > budget - spent + 1e-9):
            break
        open_mask[j] = True
        cur = np.minimum(cur, wd[:, j])
        if cost is not None:
            spent += float(cost[j])
    return np.flatnonzero(open_mask)


def _feasible(wd, r, p, fixed_mask, cost, budget, time_limit):
    """Sites putting every demand within r, or None if none exist (status 'time_limit' if undecided)."""
    cover = wd <= r
    if not cover.any(axis=1).all():
        return None, "optimal"
    m = wd.shape[1]
    unit = np.ones(m)
    greedy = greedy_set_cover(cover, unit if cost is None else cost, fixed_mask)
    if greedy is not None and greedy.size <= p and (budget is None or cost[greedy].sum() <= budget + 1e-9):
        return greedy, "optimal"
    rows_cover, _ = unique_rows(cover, np.ones(cover.shape[0]))
    nr = rows_cover.shape[0]
    ii, jj = np.nonzero(rows_cover)
    rows, cols, vals = ii.tolist(), jj.tolist(), [1.0] * ii.size
    row_lo, row_hi = [1.0] * nr, [INF] * nr
    rows += [nr] * m
    cols += list(range(m))
    vals += [1.0] * m
    row_lo.append(-INF)
    row_hi.append(float(p))
    r_next = nr + 1
    if budget is not None:
        rows += [r_next] * m
        cols += list(range(m))
        vals += cost.tolist()
        row_lo.append(-INF)
        row_hi.append(budget)
        r_next += 1
    col_lo = np.zeros(m)
    col_lo[fixed_mask] = 1.0
    out = solve_mip(
        cost=unit,
        a=sp.coo_matrix((vals, (rows, cols)), shape=(r_next, m)),
        row_lo=np.asarray(row_lo),
        row_hi=np.asarray(row_hi),
        col_lo=col_lo,
        col_hi=np.ones(m),
        integer=np.ones(m, dtype=bool),
        time_limit=time_limit,
        rel_gap=1.0,  # any feasible cover will do
        abs_gap=INF,
    )
    if out.status == "infeasible":
        return None, "optimal"
    if out.x is None:
        return None, "time_limit"
    return np.flatnonzero(out.x > 0.5), "optimal"


def p_center(
    distances,
    p,
    *,
    weights=None,
    candidates=None,
    fixed=None,
    costs=None,
    budget=None,
    time_limit: float | None = None,
) -> SitingResult:
    """Exact (weighted) p-center; `objective` is the largest weighted distance to the nearest open site."""
    started = time.perf_counter()
    prep = prepare(distances, weights, candidates, fixed, costs, budget)
    p = check_p(p, prep)
    wd = prep.d * prep.w[:, None]
    wd = np.where(prep.w[:, None] == 0, 0.0, wd)  # zero weight: never binding, even if unreachable
    if not np.isfinite(wd).any(axis=1).all():
        return infeasible("p_center", started)
    best = _greedy_center(wd, p, prep.fixed_mask, prep.cost, prep.budget)
    ub = _radius_of(wd, best) if best.size else math.inf
    heuristic = ub
    lb = float(wd.min(axis=1).max())
    values = np.unique(wd[np.isfinite(wd)])
    values = values[(values >= lb) & (values <= ub)] if math.isfinite(ub) else values[values >= lb]
    lo, hi = 0, values.size - 1  # the optimum is values[k] for some k in [lo, hi]
    if not math.isfinite(ub):
        hi = values.size  # sentinel: maybe infeasible
    status = "optimal"
    iterations = 0
    while lo < hi:
        mid = (lo + hi) // 2
        iterations += 1
        remaining = None if time_limit is None else time_limit - (time.perf_counter() - started)
        if remaining is not None and remaining <= 0:
            status = "time_limit"
            break
        sites, st = _feasible(wd, values[mid], p, prep.fixed_mask, prep.cost, prep.budget, remaining)
        if st != "optimal":
            status = "time_limit"
            break
        if sites is None:
            lo = mid + 1
        else:
            hi = mid
            best, ub = sites, _radius_of(wd, sites)
    if not math.isfinite(ub):
        return infeasible("p_center", started)
    bound = float(values[lo]) if lo < values.size else ub
    gap = 0.0 if status == "optimal" or ub <= bound else (ub - bound) / ub
    if gap == 0.0:
        status = "optimal"
    near = np.argmin(wd[:, best], axis=1)
    return SitingResult(
        model="p_center",
        sites=tuple(int(s) for s in prep.cand[best]),
        objective=ub,
        gap=gap,
        seconds=time.perf_counter() - started,
        status=status,
        bound=bound if status != "optimal" else ub,
        heuristic_objective=heuristic,
        assignment=prep.cand[best[near]],
        iterations=iterations,
    )
