"""A thin wrapper over highspy for the siting MIPs: pass a model in column-wise form, a MIP start, limits."""

from __future__ import annotations

import math
import os
import sys
from dataclasses import dataclass

import highspy
import numpy as np
import scipy.sparse as sp

INF = highspy.kHighsInf
_quiet = False


def _new_highs() -> highspy.Highs:
    """A silent Highs object. The first one a process makes prints HiGHS's banner on the C-level stdout
    before any option can be set; that would break `--json` output, so it goes to /dev/null."""
    global _quiet
    if _quiet:
        h = highspy.Highs()
    else:
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as null:
                os.dup2(null.fileno(), 1)
                h = highspy.Highs()
                h.setOptionValue("output_flag", False)
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _quiet = True
    h.setOptionValue("output_flag", False)
    return h


@dataclass(frozen=True)
class MipOutcome:
    x: np.ndarray | None
    objective: float
    bound: float
    gap: float
    status: str  # optimal | time_limit | infeasible | error


def solve_mip(
    *,
    cost: np.ndarray,
    a: sp.spmatrix,
    row_lo: np.ndarray,
    row_hi: np.ndarray,
    col_lo: np.ndarray,
    col_hi: np.ndarray,
    integer: np.ndarray,
    maximize: bool = False,
    offset: float = 0.0,
    start: np.ndarray | None = None,
    time_limit: float | None = None,
    cutoff: float | None = None,
    rel_gap: float = 0.0,
    abs_gap: float = 1e-6,
    heuristics: bool = True,
) -> MipOutcome:
    """Solve min/max cost·x + offset s.t. row_lo ≤ A x ≤ row_hi, col_lo ≤ x ≤ col_hi, x[integer] ∈ ℤ."""
    a = sp.csc_matrix(a)
    a.sum_duplicates()
    n_col = a.shape[1]
    lp = highspy.HighsLp()
    lp.num_col_ = n_col
    lp.num_row_ = a.shape[0]
    lp.col_cost_ = np.asarray(cost, dtype=float)
    lp.col_lower_ = np.asarray(col_lo, dtype=float)
    lp.col_upper_ = np.asarray(col_hi, dtype=float)
    lp.row_lower_ = np.asarray(row_lo, dtype=float)
    lp.row_upper_ = np.asarray(row_hi, dtype=float)
    lp.offset_ = float(offset)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr.astype(np.int32)
    lp.a_matrix_.index_ = a.indices.astype(np.int32)
    lp.a_matrix_.value_ = a.data.astype(float)
    if integer.any():
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if flag else highspy.HighsVarType.kContinuous for flag in integer
        ]
    lp.sense_ = highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize
    h = _new_highs()
    h.setOptionValue("mip_rel_gap", float(rel_gap))
    h.setOptionValue("mip_abs_gap", float(abs_gap))
    if time_limit is not None:
        h.setOptionValue("time_limit", float(max(time_limit, 0.01)))
    if not heuristics:  # the caller's start is (nearly) optimal: spend the time on the bound instead
        h.setOptionValue("mip_heuristic_effort", 0.0)
        for name in (
            "mip_heuristic_run_rins",
            "mip_heuristic_run_rens",
            "mip_heuristic_run_root_reduced_cost",
        ):
            h.setOptionValue(name, False)
    if cutoff is not None:
        h.setOptionValue("objective_bound", float(cutoff))
    h.passModel(lp)
    if start is not None:
        h.setSolution(n_col, np.arange(n_col, dtype=np.int32), np.asarray(start, dtype=float))
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    ms = highspy.HighsModelStatus
    if status in (ms.kInfeasible, ms.kUnboundedOrInfeasible):
        return MipOutcome(None, math.nan, math.nan, math.inf, "infeasible")
    has_sol = info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible
    x = np.asarray(h.getSolution().col_value) if has_sol else None
    objective = info.objective_function_value if has_sol else math.nan
    bound = info.mip_dual_bound if integer.any() else objective
    if status == ms.kOptimal:
        return MipOutcome(x, objective, bound, 0.0, "optimal")
    if status == ms.kObjectiveBound:
        return MipOutcome(x, objective, bound, math.inf, "cutoff")
    gap = rel_gap_of(objective, bound) if has_sol else math.inf
    label = "time_limit" if status in (ms.kTimeLimit, ms.kInterrupt, ms.kSolutionLimit) else "error"
    return MipOutcome(x, objective, bound, gap, label)


def rel_gap_of(objective: float, bound: float) -> float:
    if not (math.isfinite(objective) and math.isfinite(bound)):
        return math.inf
    diff = abs(objective - bound)
    if diff <= 1e-9 * max(1.0, abs(objective)):
        return 0.0
    return diff / max(abs(objective), 1e-12)
