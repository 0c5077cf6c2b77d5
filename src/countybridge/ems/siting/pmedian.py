"""p-median: open p sites minimising total weighted distance from each demand point to its nearest open site.

Exact, in three steps, instead of the n·m assignment MIP:

1. Heuristic upper bound: greedy adding, then Teitz–Bart vertex substitution (best swap per pass, all swaps
   scored at once by the Whitaker / Resende–Werneck gain decomposition).
2. Lagrangian lower bound (assignment constraints relaxed, subgradient optimisation; its limit is the LP
   bound) with the classical reduction tests (Beasley 1993): a site whose bound when forced open is not below
   the upper bound can be closed for good, and one whose bound when forced closed is not below it stays open.
   This runs in rounds over the sites left; after each round the Lagrangian's own sites, improved by vertex
   substitution, may lower the upper bound. Remaining sites are then probed (bound re-optimised with the site
   forced open), and demand–site pairs whose Lagrangian reduced cost exceeds the gap are dropped.
3. HiGHS on the radius formulation (Cornuéjols, Nemhauser & Wolsey 1980; Elloumi 2010) over the sites left,
   started from the heuristic sites. For demand i with sorted distinct distances L¹ < L² < … to those sites,
   z_i^k = 1 when no open site lies closer than L^k:

       min  Σ_i w_i (L¹_i + Σ_{k≥2} (L^k_i − L^{k−1}_i) z_i^k)
       s.t. z_i^2 + Σ_{j: d_ij = L¹_i} y_j ≥ 1,   z_i^{k+1} − z_i^k + Σ_{j: d_ij = L^k_i} y_j ≥ 0,
            Σ_j y_j = p,  y binary,  z ≥ 0,

   written as a chain so each (demand, site) pair appears once (at most n·m + 2·Σ K_i non-zeros) with the
   LP bound of the classical formulation. The result is the better of the heuristic and the MIP optimum, and
   proven optimal when HiGHS closes the gap.
"""

from __future__ import annotations

import math
import time

import numpy as np
import scipy.sparse as sp

from ._common import SitingResult, check_p, infeasible, prepare
from ._highs import INF, rel_gap_of, solve_mip
from .heuristics import finite_big, greedy_median, interchange, median_cost


def p_median(
    distances,
    p,
    *,
    weights=None,
    candidates=None,
    fixed=None,
    costs=None,
    budget=None,
    time_limit: float | None = None,
    lagrangian_iterations: int = 3000,
    probe_iterations: int = 150,
) -> SitingResult:
    """Exact p-median. `distances` is demand × site (inf = unreachable); returns sites as column indices."""
    started = time.perf_counter()
    prep = prepare(distances, weights, candidates, fixed, costs, budget)
    p = check_p(p, prep)
    d, w = prep.d, prep.w
    n, m = d.shape
    cost, bud = prep.cost, prep.budget
    if not np.isfinite(d).any(axis=1).all():
        return infeasible("p_median", started)

    heur = interchange(d, w, greedy_median(d, w, p, prep.fixed_mask, cost, bud), prep.fixed_mask, cost, bud)
    best_sites = heur
    best_cost = median_cost(d, w, heur) if heur.size == p else math.inf
    heuristic_objective = best_cost
    integral = bool(np.all(np.isfinite(d)) and np.allclose(d, np.round(d)) and np.allclose(w, np.round(w)))
    # a solution strictly better than `best_cost` costs at most `target`
    slack = 0.999 if integral else 1e-9 * max(1.0, abs(best_cost))

    keep = np.ones(m, dtype=bool)
    force = prep.fixed_mask.copy()
    lower = -math.inf
    cut = d
    if bud is None and math.isfinite(best_cost) and p < m:
        lower, keep, force, lam, best_sites, best_cost = _reduce(
            d, w, p, prep.fixed_mask, best_sites, best_cost, slack, lagrangian_iterations, probe_iterations
        )
        threshold = best_cost - slack
        keep[best_sites] = True  # so the heuristic sites can start the MIP
        if lam is not None and math.isfinite(lower):
            # a demand served at w_i·d_ij − λ_i > threshold − L(λ) pushes any solution past the threshold
            # (Lagrangian reduced cost of the assignment): such pairs leave the model, the demand must be
            # served closer (its chain ends with "some kept site open")
            far = (w[:, None] * d - lam[:, None]) > (threshold - lower)
            far[np.arange(n), np.argmin(d, axis=1)] = False
            cut = np.where(far, np.inf, d)
    status = "optimal"
    bound = lower
    iterations = 0
    if lower > best_cost - slack or keep.sum() < p or force.sum() > p:
        bound = best_cost  # the heuristic sites are optimal: no better solution can exist
    else:
        iterations = 1
        sub = np.flatnonzero(keep)
        remaining = None if time_limit is None else time_limit - (time.perf_counter() - started)
        dsub = cut[:, sub]
        lost = np.flatnonzero(~np.isfinite(dsub).any(axis=1) & np.isfinite(d[:, sub]).any(axis=1))
        if lost.size:  # keep each demand's nearest kept site (harmless: the pair only adds a level)
            dsub = dsub.copy()
            near_kept = np.argmin(d[:, sub][lost], axis=1)
            dsub[lost, near_kept] = d[:, sub][lost, near_kept]
        if not np.isfinite(dsub).any(axis=1).all():
            return _finish(
                prep, d, best_sites, best_cost, best_cost, "optimal", heuristic_objective, 0, keep, started
            )
        model = _radius_model(dsub, w, p, force[sub], cost[sub] if cost is not None else None, bud)
        start = None
        fits = np.isfinite(cut[:, best_sites].min(axis=1)).all() if best_sites.size else False
        if fits and best_sites.size == p and np.isin(best_sites, sub).all() and force[sub].sum() <= p:
            local = np.searchsorted(sub, best_sites)
            if force[sub][~np.isin(np.arange(sub.size), local)].sum() == 0:
                start = _start_vector(model, d[:, sub], local)
        out = solve_mip(
            **model["mip"], start=start, time_limit=remaining, abs_gap=slack, heuristics=start is None
        )
        if out.x is not None:
            sites = sub[np.flatnonzero(out.x[: sub.size] > 0.5)]
            found = median_cost(d, w, sites)
            if found < best_cost:
                best_sites, best_cost = sites, found
        if out.status == "infeasible":
            bound = best_cost  # no solution among the remaining sites beats the heuristic
        elif out.status == "optimal":
            bound = min(best_cost, out.objective) if out.x is not None else best_cost
        else:
            status = "time_limit"
            bound = max(lower, min(out.bound, best_cost)) if math.isfinite(out.bound) else lower
    return _finish(
        prep, d, best_sites, best_cost, bound, status, heuristic_objective, iterations, keep, started
    )


def _finish(prep, d, best_sites, best_cost, bound, status, heuristic_objective, iterations, keep, started):
    if not math.isfinite(best_cost):
        return infeasible("p_median", started)
    integral = bool(
        np.all(np.isfinite(d)) and np.allclose(d, np.round(d)) and np.allclose(prep.w, np.round(prep.w))
    )
    gap = 0.0 if status == "optimal" else rel_gap_of(best_cost, bound)
    if gap == 0.0 or (integral and best_cost - bound < 1.0 - 1e-9):
        status, gap, bound = "optimal", 0.0, best_cost
    assignment = prep.cand[best_sites[np.argmin(d[:, best_sites], axis=1)]]
    return SitingResult(
        model="p_median",
        sites=tuple(int(s) for s in prep.cand[best_sites]),
        objective=best_cost,
        gap=gap,
        seconds=time.perf_counter() - started,
        status=status,
        bound=bound,
        heuristic_objective=heuristic_objective,
        assignment=assignment,
        iterations=iterations,
        candidates_left=int(keep.sum()),
    )


def _lagrangian(d, w, p, fixed_mask, upper, max_iter, lam0=None, stop_at=None, f0=2.0):
    """Subgradient optimisation of the Lagrangian relaxation of the assignment constraints.

    L(λ) = Σ λ_i + Σ_{j open} ρ_j with ρ_j = Σ_i min(0, w_i d_ij − λ_i), the p most negative ρ open (fixed
    sites always). Returns the best bound and, per site, the best bounds with that site forced closed
    (`out_bound`) and forced open (`in_bound`)."""
    big = finite_big(d)
    n, m = big.shape
    wd = w[:, None] * big
    if lam0 is None:
        lam = np.sort(wd, axis=1)[:, min(1, m - 1)].copy()  # second-nearest site: a common start
    else:
        lam = lam0.copy()
    best_lam = lam.copy()
    stop_at = upper - 1e-9 if stop_at is None else stop_at
    best = -math.inf
    in_bound = np.full(m, -math.inf)
    out_bound = np.full(m, -math.inf)
    f = f0
    stall = 0
    n_free = p - int(fixed_mask.sum())
    free = np.flatnonzero(~fixed_mask)
    if n_free < 0 or free.size < n_free:  # no p sites among these columns: nothing to bound
        inf = np.full(m, math.inf)
        return math.inf, inf, inf, lam, f
    for _ in range(max_iter):
        red = np.minimum(wd - lam[:, None], 0.0)
        rho = red.sum(axis=0)
        base = float(lam.sum())
        open_mask = fixed_mask.copy()
        if n_free > 0:
            order = free[np.argsort(rho[free], kind="stable")]
            chosen, rest = order[:n_free], order[n_free:]
            open_mask[chosen] = True
            worst_in = rho[chosen[-1]]
            first_out = rho[rest[0]] if rest.size else math.inf
        else:
            rest = free
            worst_in, first_out = math.inf, math.inf
        value = base + float(rho[open_mask].sum())
        # forced open: swap out the worst chosen; forced closed: bring in the first left out
        with_j = np.where(open_mask, value, value - worst_in + rho)
        without_j = np.where(open_mask, value - rho + first_out, value)
        np.maximum(in_bound, with_j, out=in_bound)
        np.maximum(out_bound, without_j, out=out_bound)
        if not math.isfinite(best) or value > best + 1e-9 * max(1.0, abs(best)):
            best, stall = value, 0
            best_lam = lam.copy()
        else:
            stall += 1
            if stall >= 30:
                f, stall = f / 2.0, 0
        if best >= stop_at or f < 1e-4:
            break
        served = (red[:, open_mask] < 0).sum(axis=1)
        g = 1.0 - served
        norm = float(g @ g)
        if norm == 0:
            break
        lam = lam + f * (upper - value) / norm * g
    return best, out_bound, in_bound, best_lam, f


def _reduce(d, w, p, fixed_mask, best_sites, upper, slack, max_iter, probe_iterations, rounds=40):
    """Lagrangian bound with progressive reduction: every round of subgradient steps closes the sites that
    cannot be in a solution better than `upper` and keeps open those that must be, then goes on over the
    sites left (a relaxation of what is left to solve, so its bound only gets stronger). After each round the
    Lagrangian's own choice of sites, improved by vertex substitution, may lower the upper bound (Lagrangian
    heuristic). Ends with probing."""
    m = d.shape[1]
    threshold = upper - slack
    big = finite_big(d)
    keep = np.ones(m, dtype=bool)
    force = fixed_mask.copy()
    lam, f, lower = None, 2.0, -math.inf
    lam_best = None
    score = np.zeros(m)
    per_round = max(1, max_iter // rounds)
    for _ in range(rounds):
        sub = np.flatnonzero(keep)
        bound, out_b, in_b, lam, f = _lagrangian(
            d[:, sub], w, p, force[sub], upper, per_round, lam0=lam, f0=f
        )
        if bound >= lower:
            lower, lam_best = bound, lam
        rho = np.minimum(w[:, None] * big[:, sub] - lam[:, None], 0.0).sum(axis=0)
        free = np.flatnonzero(~fixed_mask[sub])
        n_pick = p - int(fixed_mask.sum())
        pick = np.concatenate([np.flatnonzero(fixed_mask[sub]), free[np.argsort(rho[free])[:n_pick]]])
        tried = interchange(d, w, sub[pick], fixed_mask)
        tried_cost = median_cost(d, w, tried)
        if tried.size == p and tried_cost < upper - 1e-9 * max(1.0, abs(upper)):
            best_sites, upper = tried, tried_cost
            threshold = upper - (slack if slack >= 0.5 else 1e-9 * max(1.0, abs(upper)))
        if lower > threshold or f < 1e-4:
            break
        closed = in_b > threshold
        score[sub] = in_b
        keep[sub[closed & ~force[sub]]] = False
        force[sub[out_b > threshold]] = True
        if keep.sum() <= p or force.sum() >= p:
            break
    if lower <= threshold and keep.sum() > p and force.sum() < p and probe_iterations > 0:
        keep = _probe(d, w, p, keep, force, upper, threshold, lam, probe_iterations, score)
    return lower, keep, force, lam_best, best_sites, upper


def _probe(d, w, p, keep, force, upper, threshold, lam, iterations, score, patience=8):
    """Close each remaining site whose Lagrangian bound, re-optimised with that site forced open, reaches
    `threshold` (no solution containing it beats the upper bound). Works on the kept columns only, which is
    a relaxation of the problem left to solve. Sites are tried from the highest forced-open bound down, and
    probing stops after `patience` sites in a row stay open (it then rarely pays, e.g. for large p)."""
    keep = keep.copy()
    misses = 0
    todo = np.flatnonzero(keep & ~force)
    for j in todo[np.argsort(-score[todo], kind="stable")]:
        if misses >= patience or keep.sum() <= p:
            break
        sub = np.flatnonzero(keep)
        forced = (force | (np.arange(keep.size) == j))[sub]
        if forced.sum() > p:
            continue
        bound, *_ = _lagrangian(
            d[:, sub], w, p, forced, upper, iterations, lam0=lam, stop_at=threshold, f0=0.5
        )
        if bound >= threshold:
            keep[j] = False
            misses = 0
        else:
            misses += 1
    return keep


def _radius_model(d, w, p, fixed_mask, cost, budget) -> dict:
    """Radius formulation (chain form) over the columns of `d`, built with array operations."""
    n, m = d.shape
    order = np.argsort(d, axis=1, kind="stable")
    sd = np.take_along_axis(d, order, axis=1)
    fin = np.isfinite(sd)
    new = np.ones_like(fin)
    new[:, 1:] = sd[:, 1:] != sd[:, :-1]
    lev = np.cumsum(new, axis=1) - 1  # level index of each sorted pair; the first inf gets level K_i
    k_count = (new & fin).sum(axis=1)  # K_i distinct finite distances
    has_inf = ~fin.all(axis=1)
    n_rows = k_count - 1 + has_inf  # chain rows per demand (one more when some sites are unreachable)
    row_off = np.concatenate([[0], np.cumsum(n_rows)[:-1]])
    level_vals = sd[new & fin]  # all levels, demand by demand
    lvl_off = np.concatenate([[0], np.cumsum(k_count)[:-1]])
    n_z = k_count - 1
    z_off = m + np.concatenate([[0], np.cumsum(n_z)[:-1]])
    total_z = int(n_z.sum())
    # z columns: owner demand and level k (1..K_i−1)
    z_owner = np.repeat(np.arange(n), n_z)
    z_k = np.arange(total_z) - np.repeat(z_off - m, n_z) + 1
    z_val = level_vals[lvl_off[z_owner] + z_k]
    z_prev = level_vals[lvl_off[z_owner] + z_k - 1]
    z_cost = w[z_owner] * (z_val - z_prev)
    z_col = m + np.arange(total_z)
    # z_k: +1 in row k−1, −1 in row k (when that row exists)
    plus_rows = row_off[z_owner] + z_k - 1
    minus_sel = z_k <= n_rows[z_owner] - 1
    minus_rows = row_off[z_owner[minus_sel]] + z_k[minus_sel]
    # y entries: pair (i, j) in row `lev` when that row exists
    ii = np.repeat(np.arange(n), m).reshape(n, m)
    sel = lev < n_rows[:, None]
    y_rows = row_off[ii[sel]] + lev[sel]
    y_cols = order[sel]
    r = int(n_rows.sum())
    row_lo = np.zeros(r)
    row_lo[row_off[n_rows > 0]] = 1.0
    rows = [plus_rows, minus_rows, y_rows, np.full(m, r)]
    cols = [z_col, z_col[minus_sel], y_cols, np.arange(m)]
    vals = [np.ones(total_z), -np.ones(int(minus_sel.sum())), np.ones(y_rows.size), np.ones(m)]
    row_lo = np.concatenate([row_lo, [float(p)]])
    row_hi = np.concatenate([np.full(r, INF), [float(p)]])
    r += 1
    if budget is not None:
        rows.append(np.full(m, r))
        cols.append(np.arange(m))
        vals.append(np.asarray(cost, dtype=float))
        row_lo = np.concatenate([row_lo, [-INF]])
        row_hi = np.concatenate([row_hi, [float(budget)]])
        r += 1
    n_col = m + total_z
    a = sp.coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(r, n_col))
    col_lo = np.zeros(n_col)
    col_lo[:m][fixed_mask] = 1.0
    col_hi = np.full(n_col, INF)
    col_hi[:m] = 1.0
    integer = np.zeros(n_col, dtype=bool)
    integer[:m] = True
    offset = float(np.dot(w, level_vals[lvl_off])) if n else 0.0
    return {
        "mip": {
            "cost": np.concatenate([np.zeros(m), z_cost]),
            "a": a,
            "row_lo": row_lo,
            "row_hi": row_hi,
            "col_lo": col_lo,
            "col_hi": col_hi,
            "integer": integer,
            "offset": offset,
        },
        "z_owner": z_owner,
        "z_val": z_val,
    }


def _start_vector(model, d, sites) -> np.ndarray:
    m = d.shape[1]
    near = d[:, sites].min(axis=1)
    x = np.zeros(m + model["z_owner"].size)
    x[sites] = 1.0
    x[m:] = near[model["z_owner"]] >= model["z_val"]
    return x
