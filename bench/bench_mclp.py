"""Maximal covering (MCLP) on a generated instance: 2,000 demand points × 300 candidate sites in a
60 km × 60 km square (Euclidean km, weights skewed like population), p = 20, radius 6 km. Our exact HiGHS
model (greedy start) against PySAL spopt's MCLP with the CBC solver PuLP ships on the same matrix:
objective and time. Smoke: 300 × 60, p = 8."""

import time

import numpy as np

from countybridge.ems.siting import maximal_covering


def _instance(n: int, m: int, seed: int = 2026):
    rng = np.random.default_rng(seed)
    # clustered demand (towns) plus a rural background
    centres = rng.uniform(5, 55, size=(12, 2))
    town = rng.integers(0, 12, size=int(n * 0.7))
    pts = np.vstack(
        [centres[town] + rng.normal(0, 3.0, size=(town.size, 2)), rng.uniform(0, 60, (n - town.size, 2))]
    )
    weights = np.round(rng.lognormal(3.0, 1.0, size=n))
    sites = rng.uniform(0, 60, size=(m, 2))
    d = np.linalg.norm(pts[:, None, :] - sites[None, :, :], axis=2)
    return d, weights


def _spopt(d, w, radius, p):
    try:
        import pulp
        from spopt.locate import MCLP
    except ImportError:
        return None
    start = time.perf_counter()
    model = MCLP.from_cost_matrix(d, w, service_radius=radius, p_facilities=p)
    model.solve(pulp.PULP_CBC_CMD(msg=False, threads=1), results=False)
    seconds = time.perf_counter() - start
    return pulp.value(model.problem.objective), seconds, pulp.LpStatus[model.problem.status]


def run(smoke: bool) -> None:
    n, m, p, radius = (300, 60, 8, 6.0) if smoke else (2000, 300, 20, 6.0)
    d, w = _instance(n, m)
    print(f"MCLP: {n} demand × {m} candidates, p = {p}, radius {radius} km, total weight {w.sum():.0f}")
    result = maximal_covering(d, radius, p, weights=w)
    print(
        f"  ours (HiGHS, greedy start {result.heuristic_objective:.0f}): covered {result.objective:.0f}  "
        f"gap {result.gap:.2g}  {result.status}  {result.seconds:.3f} s"
    )
    measured = _spopt(d, w, radius, p)
    if measured is None:
        print("  spopt/PuLP not installed (pip install -r requirements-bench.txt): no comparison")
        return
    objective, seconds, status = measured
    print(f"  spopt MCLP + CBC: covered {objective:.0f}  {status}  {seconds:.3f} s")
    print(
        f"  objective ours − spopt = {result.objective - objective:+.0f}; "
        f"time ours/spopt = {result.seconds / seconds:.4f} ({seconds / max(result.seconds, 1e-9):.1f}× faster)"
    )
