"""Shared pieces of the siting models: the bilingual input error, the result object and input checks."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np


class SitingInputError(ValueError):
    """Input a siting model or instance reader cannot use; carries a message in Chinese and in English."""

    def __init__(self, code: str, message_zh: str, message_en: str):
        super().__init__(f"{message_zh} / {message_en}")
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en


@dataclass(frozen=True)
class SitingResult:
    """Outcome of a siting model.

    `sites` are column indices of the distance matrix given (sorted, distinct). `objective` is the model's
    objective for those sites (total weighted distance, covered demand, number or cost of sites, largest
    weighted distance, expected covered demand). `gap` is the proven relative optimality gap
    (|objective − bound| / |objective|): 0 when the solver proved the sites optimal. `seconds` is wall time
    of the whole solve (heuristic start included). `status` is "optimal", "time_limit" (best found, gap > 0
    possible) or "infeasible".
    """

    model: str
    sites: tuple[int, ...]
    objective: float
    gap: float
    seconds: float
    status: str
    bound: float
    heuristic_objective: float | None = None
    units: dict[int, int] = field(default_factory=dict)  # MEXCLP: units (ambulances) per site
    assignment: np.ndarray | None = None  # p-median / p-center: site index serving each demand
    iterations: int = 1
    candidates_left: int | None = None  # p-median: sites left after the Lagrangian reduction

    @property
    def optimal(self) -> bool:
        return self.status == "optimal"


@dataclass(frozen=True)
class Prepared:
    """Checked input. `cand` are the candidate column indices (fixed ones included); `fixed` ⊆ `cand`."""

    d: np.ndarray  # n_demand × n_cand distances to the candidates only (inf = unreachable)
    w: np.ndarray  # demand weights
    cand: np.ndarray  # column indices (into the caller's matrix) of the candidates
    fixed_mask: np.ndarray  # over cand: must be open
    cost: np.ndarray | None  # over cand
    budget: float | None


def infeasible(model: str, started: float, heuristic: float | None = None) -> SitingResult:
    """The result of a model with no feasible choice of sites (`started`: its time.perf_counter() start)."""
    return SitingResult(
        model=model,
        sites=(),
        objective=math.nan,
        gap=math.inf,
        seconds=time.perf_counter() - started,
        status="infeasible",
        bound=math.nan,
        heuristic_objective=heuristic,
    )


def read_text(path) -> str:
    """The UTF-8 text of an instance file; unreadable or non-UTF-8 files raise SitingInputError."""
    path = Path(path)
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SitingInputError(
            "file_unreadable",
            f"无法读取文件 {path.name}：{exc.strerror}",
            f"Cannot read {path.name}: {exc.strerror}",
        ) from None
    except UnicodeDecodeError:
        raise SitingInputError(
            "file_encoding", f"{path.name} 不是 UTF-8 文本", f"{path.name} is not UTF-8 text"
        ) from None


def _err(code: str, zh: str, en: str) -> SitingInputError:
    return SitingInputError(code, zh, en)


def prepare(
    distances,
    weights=None,
    candidates=None,
    fixed=None,
    costs=None,
    budget=None,
) -> Prepared:
    """Check the common inputs of every model and cut the matrix down to the candidate columns."""
    try:
        d = np.asarray(distances, dtype=float)
    except (TypeError, ValueError):
        raise _err(
            "distances_not_numeric", "距离矩阵含非数值", "The distance matrix is not numeric"
        ) from None
    if d.ndim != 2 or d.shape[0] == 0 or d.shape[1] == 0:
        raise _err(
            "distances_shape",
            "距离矩阵须为非空二维矩阵（需求点 × 候选点）",
            "The distance matrix must be a non-empty 2-D matrix (demand points × sites)",
        )
    if np.isnan(d).any() or (d < 0).any():
        raise _err(
            "distances_negative",
            "距离不能为负数或缺失（不可达请用无穷大）",
            "Distances must not be negative or NaN (use infinity for unreachable)",
        )
    n, m = d.shape
    if weights is None:
        w = np.ones(n)
    else:
        w = np.asarray(weights, dtype=float).ravel()
        if w.shape != (n,) or not np.isfinite(w).all() or (w < 0).any():
            raise _err(
                "weights_invalid",
                f"需求权重须为 {n} 个非负有限数",
                f"Demand weights must be {n} non-negative finite numbers",
            )
    cand = np.arange(m) if candidates is None else _indices(candidates, m, "candidates")
    fixed_idx = np.empty(0, dtype=int) if fixed is None else _indices(fixed, m, "fixed")
    cand = np.union1d(cand, fixed_idx)
    fixed_mask = np.isin(cand, fixed_idx)
    cost = None
    if costs is not None:
        cost_all = np.asarray(costs, dtype=float).ravel()
        if cost_all.shape != (m,) or not np.isfinite(cost_all).all() or (cost_all < 0).any():
            raise _err(
                "costs_invalid",
                f"站点费用须为 {m} 个非负有限数",
                f"Site costs must be {m} non-negative finite numbers",
            )
        cost = cost_all[cand]
    if budget is not None:
        budget = float(budget)
        if not np.isfinite(budget) or budget < 0:
            raise _err(
                "budget_invalid", "预算须为非负有限数", "The budget must be a non-negative finite number"
            )
        if cost is None:
            raise _err("budget_without_costs", "给出预算时须给出站点费用", "A budget needs site costs")
        if cost[fixed_mask].sum() > budget + 1e-9:
            raise _err(
                "budget_below_fixed",
                "预算不足以覆盖必须保留的现有站点",
                "The budget does not cover the existing (fixed) stations",
            )
    return Prepared(d=d[:, cand], w=w, cand=cand, fixed_mask=fixed_mask, cost=cost, budget=budget)


def _indices(values, m: int, what: str) -> np.ndarray:
    try:
        idx = np.asarray(list(values), dtype=float)
    except (TypeError, ValueError):
        raise _err(f"{what}_invalid", f"{what} 须为站点下标", f"{what} must be site indices") from None
    if idx.ndim != 1 or (idx.size and ((idx != np.round(idx)).any() or idx.min() < 0 or idx.max() >= m)):
        raise _err(
            f"{what}_invalid",
            f"{what} 须为 0 到 {m - 1} 之间的站点下标",
            f"{what} must be site indices between 0 and {m - 1}",
        )
    if what == "candidates" and idx.size == 0:
        raise _err("candidates_empty", "候选站点不能为空", "The candidate list is empty")
    return np.unique(idx.astype(int))


def check_p(p, prep: Prepared, *, required: bool = True) -> int | None:
    if p is None:
        if required:
            raise _err("p_missing", "须给出站点数 p", "The number of sites p is required")
        return None
    if isinstance(p, bool) or int(p) != p:
        raise _err("p_invalid", "站点数 p 须为正整数", "The number of sites p must be a positive integer")
    p = int(p)
    n_cand, n_fixed = prep.cand.size, int(prep.fixed_mask.sum())
    if p < 1 or p > n_cand:
        raise _err(
            "p_out_of_range",
            f"站点数 p 须在 1 到候选站点数 {n_cand} 之间",
            f"The number of sites p must be between 1 and the number of candidates {n_cand}",
        )
    if p < n_fixed:
        raise _err(
            "p_below_fixed",
            f"站点数 p={p} 少于必须保留的现有站点数 {n_fixed}",
            f"p={p} is less than the {n_fixed} existing (fixed) stations",
        )
    return p


def check_radius(radius) -> float:
    try:
        r = float(radius)
    except (TypeError, ValueError):
        r = float("nan")
    if not np.isfinite(r) or r < 0:
        raise _err(
            "radius_invalid",
            "覆盖半径须为非负有限数",
            "The coverage radius must be a non-negative finite number",
        )
    return r


def unique_rows(cover: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Merge demand rows with the same covering set (boolean rows), adding up their weights."""
    if cover.shape[0] == 0:
        return cover, w
    packed = np.packbits(cover, axis=1)
    _, first, inverse = np.unique(packed, axis=0, return_index=True, return_inverse=True)
    merged = np.zeros(first.size)
    np.add.at(merged, inverse.ravel(), w)
    return cover[first], merged
