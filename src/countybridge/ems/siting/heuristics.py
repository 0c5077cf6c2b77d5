"""Heuristic starts: greedy + fast vertex-substitution (Teitz–Bart) interchange for the p-median, greedy for
the covering models. All work on a prepared matrix `d` (demand × candidate) and respect fixed sites and the
budget. They give the MIP its incumbent (MIP start) and the radius formulation its truncation levels."""

from __future__ import annotations

import numpy as np


def finite_big(d: np.ndarray) -> np.ndarray:
    """`d` with infinite distances replaced by a value larger than any sum of finite ones."""
    if np.isfinite(d).all():
        return d
    finite = d[np.isfinite(d)]
    big = (float(finite.max()) if finite.size else 1.0) * (d.shape[0] + 1) + 1.0
    return np.where(np.isfinite(d), d, big)


def _affordable(cost, budget, spent):
    if budget is None:
        return None
    return cost <= budget - spent + 1e-9


def greedy_median(d, w, p, fixed_mask, cost=None, budget=None) -> np.ndarray:
    """Greedy adding: start from the fixed sites, add the site that lowers total weighted distance most."""
    n, m = d.shape
    open_mask = fixed_mask.copy()
    if open_mask.any():
        cur = d[:, open_mask].min(axis=1)
    else:
        cur = np.full(n, np.inf)
    spent = float(cost[open_mask].sum()) if cost is not None else 0.0
    big = finite_big(d)
    curb = np.where(np.isfinite(cur), cur, big.max() * 2 if big.size else 1.0)
    while open_mask.sum() < p:
        total = (w[:, None] * np.minimum(big, curb[:, None])).sum(axis=0)
        total[open_mask] = np.inf
        ok = _affordable(cost, budget, spent)
        if ok is not None:
            total[~ok] = np.inf
        j = int(np.argmin(total))
        if not np.isfinite(total[j]):
            break  # nothing affordable left
        open_mask[j] = True
        curb = np.minimum(curb, big[:, j])
        if cost is not None:
            spent += float(cost[j])
    return np.flatnonzero(open_mask)


def median_cost(d, w, sites) -> float:
    if len(sites) == 0:
        return float("inf")
    near = d[:, sites].min(axis=1)
    with np.errstate(invalid="ignore"):
        return float(np.dot(w, near)) if np.isfinite(near).all() else float("inf")


def interchange(d, w, sites, fixed_mask, cost=None, budget=None, max_iter: int = 100000) -> np.ndarray:
    """Vertex substitution to a local optimum: repeatedly make the best single swap (site in, site out)
    while it lowers the total weighted distance. Uses the Whitaker/Resende–Werneck gain decomposition, all
    swaps evaluated at once with one matrix product per iteration."""
    big = finite_big(d)
    n, m = big.shape
    sites = np.array(sorted(sites), dtype=int)
    p = sites.size
    if p == 0 or p == m:
        return sites
    wcol = w[:, None]
    for _ in range(max_iter):
        sub = big[:, sites]
        if p == 1:
            order = np.zeros((n, 1), dtype=int)
            d1 = sub[:, 0]
            d2 = np.full(n, big.max() * 2 + 1.0)
        else:
            order = np.argpartition(sub, 1, axis=1)[:, :2]
            rows = np.arange(n)
            a, b = sub[rows, order[:, 0]], sub[rows, order[:, 1]]
            swap = b < a
            order[swap] = order[swap][:, ::-1]
            d1, d2 = np.minimum(a, b), np.maximum(a, b)
        current = float(np.dot(w, d1))
        m1 = np.minimum(big, d1[:, None])
        base = (wcol * m1).sum(axis=0)  # cost after adding j, nothing removed
        extra = wcol * (np.minimum(big, d2[:, None]) - m1)  # cost of losing one's nearest, with j added
        onehot = np.zeros((p, n))
        onehot[order[:, 0], np.arange(n)] = 1.0
        total = base[None, :] + onehot @ extra  # total[s, j]: swap out sites[s], in j
        total[:, sites] = np.inf
        total[fixed_mask[sites], :] = np.inf
        if budget is not None:
            spent = float(cost[sites].sum())
            over = spent - cost[sites][:, None] + cost[None, :] > budget + 1e-9
            total[over] = np.inf
        s, j = np.unravel_index(int(np.argmin(total)), total.shape)
        if not total[s, j] < current - 1e-9 * max(1.0, abs(current)):
            break
        sites[s] = j
        sites.sort()
    return sites


def greedy_cover(cover, w, p, fixed_mask, cost=None, budget=None) -> np.ndarray:
    """Greedy maximal covering: add the site covering the most uncovered weight (per unit cost when costs
    and a budget are given) until p sites are open or nothing affordable adds coverage."""
    open_mask = fixed_mask.copy()
    covered = cover[:, open_mask].any(axis=1)
    spent = float(cost[open_mask].sum()) if cost is not None else 0.0
    cf = cover.astype(float)
    while p is None or open_mask.sum() < p:
        gain = (w * ~covered) @ cf
        score = gain.copy()
        if budget is not None:
            score = gain / np.maximum(cost, 1e-12)
            score[cost > budget - spent + 1e-9] = -np.inf
        score[open_mask] = -np.inf
        j = int(np.argmax(score))
        if not np.isfinite(score[j]) or (p is None and gain[j] <= 0):
            break
        open_mask[j] = True
        covered |= cover[:, j]
        if cost is not None:
            spent += float(cost[j])
        if p is None and open_mask.all():
            break
    return np.flatnonzero(open_mask)


def greedy_set_cover(cover, cost, fixed_mask) -> np.ndarray | None:
    """Chvátal's greedy for set covering (cost per newly covered demand); None if some demand is uncoverable."""
    open_mask = fixed_mask.copy()
    covered = cover[:, open_mask].any(axis=1)
    cf = cover.astype(float)
    while not covered.all():
        gain = (~covered).astype(float) @ cf
        gain[open_mask] = 0
        if gain.max() <= 0:
            return None
        score = np.where(gain > 0, cost / np.maximum(gain, 1e-12), np.inf)
        j = int(np.argmin(score))
        open_mask[j] = True
        covered |= cover[:, j]
    # drop redundant non-fixed sites (most expensive first)
    for j in sorted(np.flatnonzero(open_mask & ~fixed_mask), key=lambda k: -cost[k]):
        open_mask[j] = False
        if not cover[:, open_mask].any(axis=1).all():
            open_mask[j] = True
    return np.flatnonzero(open_mask)


def greedy_expected(cover, w, p, q, fixed_mask, cap, cost=None, budget=None) -> np.ndarray:
    """Greedy MEXCLP: add one unit at a time where it raises expected covered demand most. Returns units
    per candidate."""
    units = fixed_mask.astype(int)
    count = cover.astype(float) @ units  # units covering each demand
    opened = units > 0
    spent = float(cost[opened].sum()) if cost is not None else 0.0
    cf = cover.astype(float)
    while units.sum() < p:
        marginal = w * (1 - q) * q**count  # value of one more unit covering demand i
        gain = marginal @ cf
        gain[units >= cap] = -np.inf
        if budget is not None:
            new = ~opened & (cost > budget - spent + 1e-9)
            gain[new] = -np.inf
        j = int(np.argmax(gain))
        if not np.isfinite(gain[j]):
            break
        if not opened[j] and cost is not None:
            spent += float(cost[j])
        units[j] += 1
        opened[j] = True
        count += cf[:, j]
    return units
