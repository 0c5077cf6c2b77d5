"""CSV instance format for the siting models.

Matrix file (UTF-8, comma-separated, header required):

    demand,weight,<site label 1>,<site label 2>,...
    <demand label>,<weight>,<distance or time to site 1>,<... to site 2>,...

- `demand` and `weight` are the first two header cells (any case); the other header cells are the site
  labels (distinct, non-empty).
- `weight` is a non-negative number (population, call volume ...).
- each distance/time is a non-negative number; an empty cell, `inf` or `-` means unreachable.
- the same file works for every model: p-median sums weight × distance, the covering models compare
  distances with the radius (same unit as the matrix, e.g. minutes).

Optional sites file (`--sites`), header `site` plus any of `cost`, `fixed`, `candidate`:

    site,cost,fixed,candidate
    <site label>,<cost ≥ 0>,<0|1>,<0|1>

`fixed` = 1 keeps an existing station open; `candidate` = 0 excludes a site (default 1); `cost` is used with a
budget. Sites not listed keep cost 0, not fixed, candidate.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass

import numpy as np

from ._common import SitingInputError, read_text

UNREACHABLE = {"", "inf", "+inf", "infinity", "-", "∞"}


@dataclass(frozen=True)
class CsvInstance:
    demand_labels: list[str]
    site_labels: list[str]
    weights: np.ndarray
    distances: np.ndarray
    costs: np.ndarray | None = None
    fixed: list[int] | None = None
    candidates: list[int] | None = None

    @property
    def labels(self) -> list[str]:
        return self.site_labels


def _bad(code: str, line: int, zh: str, en: str) -> SitingInputError:
    return SitingInputError(code, f"第 {line} 行：{zh}", f"line {line}: {en}")


def _number(text: str, line: int, what_zh: str, what_en: str, *, allow_inf: bool = False) -> float:
    t = text.strip()
    if allow_inf and t.lower() in UNREACHABLE:
        return math.inf
    try:
        v = float(t)
    except ValueError:
        raise _bad(
            "csv_not_numeric", line, f"{what_zh}「{t}」不是数值", f"{what_en} '{t}' is not a number"
        ) from None
    if math.isnan(v) or v < 0 or (math.isinf(v) and not allow_inf):
        raise _bad(
            "csv_negative",
            line,
            f"{what_zh}「{t}」须为非负有限数",
            f"{what_en} '{t}' must be non-negative and finite",
        )
    return v


def _rows(text: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    return [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)]


def parse_csv(text: str, sites_text: str | None = None) -> CsvInstance:
    rows = _rows(text)
    if not rows:
        raise SitingInputError("csv_empty", "文件为空", "The file is empty")
    line, header = rows[0]
    header = [h.strip() for h in header]
    if len(header) < 3 or header[0].lower() != "demand" or header[1].lower() != "weight":
        raise _bad(
            "csv_header",
            line,
            "表头须为「demand,weight,站点1,站点2,…」",
            "the header must be 'demand,weight,<site 1>,<site 2>,...'",
        )
    sites = header[2:]
    if any(not s for s in sites) or len(set(sites)) != len(sites):
        raise _bad(
            "csv_site_labels", line, "站点名不能为空或重复", "site labels must be non-empty and distinct"
        )
    if len(rows) < 2:
        raise SitingInputError("csv_no_demand", "没有需求点行", "There are no demand rows")
    labels, weights, matrix = [], [], []
    for line, row in rows[1:]:
        if len(row) != len(header):
            raise _bad(
                "csv_columns",
                line,
                f"应有 {len(header)} 列，实际 {len(row)} 列",
                f"expected {len(header)} columns, found {len(row)}",
            )
        labels.append(row[0].strip())
        weights.append(_number(row[1], line, "权重", "weight"))
        matrix.append([_number(c, line, "距离", "distance", allow_inf=True) for c in row[2:]])
    if len(set(labels)) != len(labels) or any(not lb for lb in labels):
        raise SitingInputError(
            "csv_demand_labels", "需求点名不能为空或重复", "Demand labels must be non-empty and distinct"
        )
    inst = CsvInstance(labels, sites, np.asarray(weights), np.asarray(matrix, dtype=float))
    return _with_sites(inst, sites_text) if sites_text is not None else inst


def _flag(text: str, line: int, what: str) -> bool:
    t = text.strip()
    if t in ("", "0"):
        return False
    if t == "1":
        return True
    raise _bad("csv_flag", line, f"{what} 须为 0 或 1（得到「{t}」）", f"{what} must be 0 or 1 (got '{t}')")


def _with_sites(inst: CsvInstance, text: str) -> CsvInstance:
    rows = _rows(text)
    if not rows:
        raise SitingInputError("csv_empty", "站点文件为空", "The sites file is empty")
    line, header = rows[0]
    header = [h.strip().lower() for h in header]
    known = {"site", "cost", "fixed", "candidate"}
    if "site" not in header or not set(header) <= known or len(set(header)) != len(header):
        raise _bad(
            "csv_sites_header",
            line,
            "站点文件表头须含 site，可选 cost、fixed、candidate",
            "the sites file header must have 'site' and optionally 'cost', 'fixed', 'candidate'",
        )
    index = {s: k for k, s in enumerate(inst.site_labels)}
    m = len(index)
    costs = np.zeros(m) if "cost" in header else None
    fixed, excluded = [], set()
    seen = set()
    for line, row in rows[1:]:
        if len(row) != len(header):
            raise _bad("csv_columns", line, f"应有 {len(header)} 列", f"expected {len(header)} columns")
        cell = dict(zip(header, row, strict=True))
        label = cell["site"].strip()
        if label not in index:
            raise _bad("csv_unknown_site", line, f"未知站点「{label}」", f"unknown site '{label}'")
        if label in seen:
            raise _bad("csv_duplicate_site", line, f"站点「{label}」重复", f"site '{label}' is listed twice")
        seen.add(label)
        j = index[label]
        if costs is not None:
            costs[j] = _number(cell["cost"], line, "费用", "cost")
        is_fixed = "fixed" in cell and _flag(cell["fixed"], line, "fixed")
        if is_fixed:
            fixed.append(j)
        if "candidate" in cell and not _flag(cell["candidate"], line, "candidate") and not is_fixed:
            excluded.add(j)
    candidates = [j for j in range(m) if j not in excluded] if excluded else None
    if candidates is not None and not candidates:
        raise SitingInputError("candidates_empty", "没有候选站点", "No candidate site is left")
    return CsvInstance(
        inst.demand_labels,
        inst.site_labels,
        inst.weights,
        inst.distances,
        costs=costs,
        fixed=fixed or None,
        candidates=candidates,
    )


def read_csv(path, sites_path=None) -> CsvInstance:
    return parse_csv(read_text(path), read_text(sites_path) if sites_path is not None else None)
