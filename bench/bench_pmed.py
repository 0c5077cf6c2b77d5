"""p-median on Beasley's OR-Library instances pmed1–pmed40: every instance must reach its proven optimum
(optima.csv); wall time per instance and in total, against PySAL spopt's PMedian (full assignment
formulation) with the CBC solver PuLP ships, on the same shortest-path distance matrices.

spopt's model has n² assignment variables; on the larger instances CBC needs far too long, so spopt runs on
a subset (smoke: pmed1; full: pmed1–pmed8) with a per-instance time limit, and the
ratio is reported on the instances both finished. Data: $PMED_DIR or ../shared/data/pmed beside the repo.
"""

import csv
import os
import time
from pathlib import Path

import numpy as np

from countybridge.ems.siting import p_median
from countybridge.ems.siting.orlib import read_orlib

SHARED_PMED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "pmed"
# all 40 from $PMED_DIR or the shared data set beside the repo; else the tests' copy of pmed1–5
PMED = next(
    (Path(p) for p in (os.environ.get("PMED_DIR"), SHARED_PMED) if p and Path(p).is_dir()),
    Path(__file__).resolve().parents[1] / "tests" / "ems" / "data" / "pmed",
)
SPOPT_FULL = [f"pmed{k}" for k in range(1, 9)]
SPOPT_LIMIT = 100.0  # seconds per instance for CBC


def _optima() -> dict[str, float]:
    with open(PMED / "optima.csv", encoding="utf-8") as fh:
        return {r["instance"]: float(r["optimal"]) for r in csv.DictReader(fh)}


def _spopt(d: np.ndarray, p: int, limit: float):
    """(objective, seconds, status) of spopt PMedian + CBC, or None when spopt/PuLP are not installed."""
    try:
        import pulp
        from spopt.locate import PMedian
    except ImportError:
        return None
    start = time.perf_counter()
    model = PMedian.from_cost_matrix(d, np.ones(d.shape[0]), p_facilities=p)
    model.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=limit, threads=1), results=False)
    seconds = time.perf_counter() - start
    status = pulp.LpStatus[model.problem.status]
    objective = pulp.value(model.problem.objective)
    return objective, seconds, status


def run(smoke: bool) -> None:
    optima = _optima()
    wanted = [f"pmed{k}" for k in (range(1, 4) if smoke else range(1, 41))]
    names = [n for n in wanted if (PMED / f"{n}.txt").exists()]
    if len(names) < len(wanted):
        print(
            f"only {len(names)} of {len(wanted)} instances under {PMED.name}/ (set PMED_DIR to the full set)"
        )
    spopt_names = names[:1] if smoke else SPOPT_FULL
    limit = 60.0 if smoke else SPOPT_LIMIT
    ours_total, at_optimum = 0.0, 0
    common_ours, common_spopt, spopt_rows = 0.0, 0.0, []
    print(
        f"{'instance':9s} {'n':>4s} {'p':>4s} {'optimum':>8s} {'ours':>8s} {'gap':>5s} {'left':>5s} {'ours s':>8s}"
    )
    for name in names:
        inst = read_orlib(PMED / f"{name}.txt")
        result = p_median(inst.distances, inst.p)
        ours_total += result.seconds
        ok = result.objective == optima[name] and result.status == "optimal"
        at_optimum += ok
        print(
            f"{name:9s} {inst.nodes:4d} {inst.p:4d} {optima[name]:8.0f} {result.objective:8.0f} {result.gap:5.3f} "
            f"{result.candidates_left:5d} {result.seconds:8.3f}{'' if ok else '  NOT AT OPTIMUM'}",
            flush=True,
        )
        if name in spopt_names:
            measured = _spopt(inst.distances, inst.p, limit)
            if measured is None:
                continue
            objective, seconds, status = measured
            finished = status == "Optimal" and objective is not None and abs(objective - optima[name]) < 0.5
            spopt_rows.append((name, objective, seconds, status, finished))
            print(
                f"{'':9s} spopt+CBC: objective {objective}  {seconds:8.3f} s  {status}"
                f"{'' if finished else f'  (not finished within {limit:.0f} s)'}",
                flush=True,
            )
            if finished:
                common_ours += result.seconds
                common_spopt += seconds
    print(f"ours: {at_optimum}/{len(names)} at the proven optimum, total {ours_total:.2f} s")
    if not spopt_rows:
        print("spopt/PuLP not installed (pip install -r requirements-bench.txt): no comparison")
        return
    done = sum(r[4] for r in spopt_rows)
    print(
        f"spopt PMedian + CBC measured on {len(spopt_rows)} instances ({done} finished at optimum, "
        f"limit {limit:.0f} s each), {sum(r[2] for r in spopt_rows):.2f} s in all"
    )
    if common_spopt > 0:
        print(
            f"common subset ({done} instances): ours {common_ours:.2f} s vs spopt {common_spopt:.2f} s "
            f"= {common_ours / common_spopt:.4f} of spopt's time ({common_spopt / max(common_ours, 1e-9):.1f}× faster)"
        )
