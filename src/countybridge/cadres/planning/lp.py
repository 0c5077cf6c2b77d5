"""The LP relaxation of a CP-SAT model, solved by HiGHS: a valid upper bound and a warm start.

Exchange models are assignment problems with a few side rows, so their LP relaxation is tight and often
integral. CP-SAT alone, on two cores, spends most of a city-wide round in presolve and keeps a weak bound;
the LP gives the bound in seconds and, when integral, an optimal plan that CP-SAT only has to confirm.
Reading the model's own proto (rather than writing the LP a second time) keeps the two models identical.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import highspy
import numpy as np
from ortools.sat.python import cp_model

_INT_LIMIT = 2**62  # CP-SAT writes unbounded domains as ±2^63


@dataclass(frozen=True)
class Relaxation:
    status: str
    bound: float  # upper bound on the model's (maximised) objective; inf when the LP failed
    values: np.ndarray  # LP value per model variable, by index

    @property
    def integral(self) -> bool:
        return self.status == "Optimal" and bool(np.all(np.minimum(self.values, 1 - self.values) < 1e-6))


def _last(field) -> int:
    # the proto wrapper's repeated fields do not take negative indices (domain[-1] reads 0)
    return field[len(field) - 1]


def relax(model: cp_model.CpModel, time_limit_s: float = 60.0) -> Relaxation:
    """Solve the LP relaxation of a maximisation model over 0/1 variables with linear, at-most-one and
    exactly-one constraints (all this planner writes). Anything else raises ValueError."""
    proto = model.proto
    n = len(proto.variables)
    objective = proto.objective
    if not objective.scaling_factor < 0:
        raise ValueError("relax() expects a maximisation model")
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(max(1.0, time_limit_s)))
    lower = np.array([v.domain[0] for v in proto.variables], dtype=float)
    upper = np.array([_last(v.domain) for v in proto.variables], dtype=float)
    h.addVars(n, lower, upper)
    cost = np.zeros(n)
    for var, coeff in zip(objective.vars, objective.coeffs, strict=True):
        cost[var] += coeff  # the proto stores a maximisation as minimising the negated objective
    h.changeColsCost(n, np.arange(n, dtype=np.int32), cost)
    inf = highspy.kHighsInf
    for ct in proto.constraints:
        if len(ct.enforcement_literal):
            raise ValueError("relax() does not handle enforced constraints")
        if ct.has_linear():
            idx, val, shift = [], [], 0.0
            for var, coeff in zip(ct.linear.vars, ct.linear.coeffs, strict=True):
                if var >= 0:
                    idx.append(var)
                    val.append(coeff)
                else:  # a negated literal: coeff * (1 - x)
                    idx.append(-var - 1)
                    val.append(-coeff)
                    shift += coeff
            dom = ct.linear.domain
            lo = dom[0] - shift if dom[0] > -_INT_LIMIT else -inf
            hi = _last(dom) - shift if _last(dom) < _INT_LIMIT else inf
            h.addRow(lo, hi, len(idx), np.array(idx, dtype=np.int32), np.array(val, dtype=float))
        elif ct.has_at_most_one() or ct.has_exactly_one():
            lits = list(ct.at_most_one.literals if ct.has_at_most_one() else ct.exactly_one.literals)
            if any(lit < 0 for lit in lits):
                raise ValueError("relax() expects positive literals in at-most-one rows")
            lo = 1.0 if ct.has_exactly_one() else -inf
            h.addRow(lo, 1.0, len(lits), np.array(lits, dtype=np.int32), np.ones(len(lits)))
        else:
            raise ValueError("relax() met a constraint type it does not handle")
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    if status != "Optimal":
        return Relaxation(status, math.inf, np.zeros(n))
    internal = h.getInfo().objective_function_value + objective.offset
    return Relaxation(status, objective.scaling_factor * internal, np.array(h.getSolution().col_value))
