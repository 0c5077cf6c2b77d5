"""`countybridge ems solve MODEL --instance FILE …`: solve a station-siting model on an instance file.

Formats: `orlib` (Beasley's pmed files; sites printed as 1-based node ids, p defaults to the file's) and
`csv` (see countybridge.ems.siting.csvinstance; sites printed by label, optional --sites file with costs,
fixed and candidate flags). Without --format, a `.csv` file is read as csv and anything else as orlib.
`--json` prints one JSON object with exactly the keys objective, sites, gap and seconds.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from django.core.management.base import CommandError

from .siting import (
    MODELS,
    SitingInputError,
    max_expected_covering,
    maximal_covering,
    p_center,
    p_median,
    set_covering,
)
from .siting.csvinstance import read_csv
from .siting.orlib import read_orlib


def add_arguments(parser) -> None:
    parser.add_argument("model", choices=MODELS)
    parser.add_argument(
        "--instance", required=True, help="instance file (OR-Library pmed text or CSV matrix)"
    )
    parser.add_argument("--format", choices=("orlib", "csv"), help="default: by file extension")
    parser.add_argument("--sites", help="CSV format only: site file with cost, fixed, candidate columns")
    parser.add_argument("--p", type=int, help="number of sites (MEXCLP: units); orlib default: the file's p")
    parser.add_argument("--radius", type=float, help="coverage radius (MCLP, LSCP, MEXCLP)")
    parser.add_argument("--q", type=float, default=0.5, help="MEXCLP: probability a unit is busy (0.5)")
    parser.add_argument("--budget", type=float, help="budget on the costs of the sites opened")
    parser.add_argument(
        "--fixed", help="comma-separated sites kept open (node ids for orlib, labels for csv)"
    )
    parser.add_argument("--time-limit", dest="time_limit", type=float, help="seconds")
    parser.add_argument("--json", action="store_true", help="one JSON object: objective, sites, gap, seconds")


def _fail(code: str, zh: str, en: str) -> CommandError:
    return CommandError(f"{code}: {zh} / {en}")


def _load(options):
    path = Path(options["instance"])
    fmt = options.get("format") or ("csv" if path.suffix.lower() == ".csv" else "orlib")
    if fmt == "orlib":
        if options.get("sites"):
            raise _fail(
                "sites_file_csv_only", "--sites 只适用于 CSV 格式", "--sites applies to the csv format only"
            )
        inst = read_orlib(path)
        return inst.distances, None, None, None, None, inst.labels, inst.p
    inst = read_csv(path, options.get("sites"))
    return inst.distances, inst.weights, inst.costs, inst.fixed, inst.candidates, inst.labels, None


def _fixed_indices(text, labels, fixed):
    if not text:
        return fixed
    index = {str(label): k for k, label in enumerate(labels)}
    chosen = list(fixed or [])
    for part in (x.strip() for x in text.split(",")):
        if part not in index:
            raise _fail("fixed_unknown_site", f"未知站点「{part}」", f"unknown site '{part}'")
        chosen.append(index[part])
    return chosen


def _require(value, flag, model):
    if value is None:
        raise _fail("argument_missing", f"{model} 需要 {flag}", f"{model} needs {flag}")
    return value


def solve(options):
    distances, weights, costs, fixed, candidates, labels, file_p = _load(options)
    fixed = _fixed_indices(options.get("fixed"), labels, fixed)
    model = options["model"]
    p = options.get("p") if options.get("p") is not None else file_p
    common = {
        "candidates": candidates,
        "fixed": fixed,
        "costs": costs,
        "time_limit": options.get("time_limit"),
    }
    budget = options.get("budget")
    if model == "pmedian":
        result = p_median(distances, _require(p, "--p", model), weights=weights, budget=budget, **common)
    elif model == "pcenter":
        result = p_center(distances, _require(p, "--p", model), weights=weights, budget=budget, **common)
    elif model == "mclp":
        radius = _require(options.get("radius"), "--radius", model)
        result = maximal_covering(distances, radius, p, weights=weights, budget=budget, **common)
    elif model == "lscp":
        if budget is not None:
            raise _fail("budget_not_used", "LSCP 不使用预算", "LSCP does not take a budget")
        result = set_covering(distances, _require(options.get("radius"), "--radius", model), **common)
    else:
        radius = _require(options.get("radius"), "--radius", model)
        result = max_expected_covering(
            distances,
            radius,
            _require(p, "--p", model),
            options["q"],
            weights=weights,
            budget=budget,
            **common,
        )
    return result, labels


def handle(*, stdout, **options) -> None:
    try:
        result, labels = solve(options)
    except SitingInputError as exc:
        raise _fail(exc.code, exc.message_zh, exc.message_en) from None
    if result.status == "infeasible":
        raise _fail("infeasible", "该模型无可行解", "The model has no feasible solution")
    sites = [labels[s] for s in result.sites]
    gap = result.gap if math.isfinite(result.gap) else None
    if options.get("json"):
        body = {
            "objective": result.objective,
            "sites": sites,
            "gap": gap,
            "seconds": round(result.seconds, 6),
        }
        stdout.write(json.dumps(body, ensure_ascii=False))
        return
    write = stdout.write
    write(f"model: {result.model}  status: {result.status}")
    write(f"objective: {result.objective:g}")
    if result.units:
        write("sites: " + ", ".join(f"{labels[s]}×{u}" for s, u in sorted(result.units.items())))
    else:
        write("sites: " + ", ".join(str(s) for s in sites))
    write(f"gap: {'—' if gap is None else f'{gap:.6g}'}  seconds: {result.seconds:.3f}")
