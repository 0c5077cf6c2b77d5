"""Expert circuit scheduling (组团式巡回服务, issue #3 item 4). Pure, no Django.

Expert groups (members with specialties, available dates, home base, travel limit per day, most days) serve
county demands (specialty, place, date window, priority × size). The schedule covers the most weighted demand:

    max Σ w_d · x[g,d,t]   over candidate triples only (specialty matches, t is available to g and inside d's
                           window, the day's round trip base → place → base is within g's travel limit)
    Σ_d x[g,d,t] ≤ 1 for each group-day;  Σ_{g,t} x[g,d,t] ≤ 1 for each demand;  Σ_{d,t} x[g,d,t] ≤ max_days_g

solved by HiGHS (highspy), a greedy schedule as warm start and fallback. Travel = haversine × road factor / speed,
stated on the result; `check` re-verifies every constraint of any schedule independently of its solver.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

MESSAGES = {
    "duplicate_id": ("编号重复", "Duplicate id"),
    "no_members": ("专家组没有成员", "The expert group has no members"),
    "unknown_specialty": ("未知的专业领域：{value}", "Unknown specialty: {value}"),
    "bad_location": ("坐标无效（纬度±90，经度±180）", "Invalid coordinates (lat ±90, lon ±180)"),
    "bad_travel_limit": ("每日路程上限应为非负分钟数", "The daily travel limit is minutes ≥ 0"),
    "bad_max_days": ("最多服务天数应为非负整数", "Most days is a whole number ≥ 0"),
    "bad_date": ("应为日期", "Expected a date"),
    "window_reversed": ("服务时段结束早于开始", "The window ends before it starts"),
    "bad_priority": ("优先级应为非负数", "Priority must be a number ≥ 0"),
    "bad_size": ("规模应为正整数", "Size must be a whole number ≥ 1"),
    "bad_model": ("路程模型参数应为正数", "Travel model parameters must be positive"),
    # violations found by `check`
    "unknown_id": ("未知的专家组或需求", "Unknown group or demand"),
    "specialty": ("专家组没有该需求的专业", "The group lacks the demand's specialty"),
    "availability": ("专家组当天不可用", "The group is not available that day"),
    "window": ("日期不在需求时段内", "The day is outside the demand's window"),
    "travel": ("往返{minutes:.0f}分钟超上限{limit:.0f}", "Round trip {minutes:.0f} min > limit {limit:.0f}"),
    "group_day": ("专家组同一天安排了两项需求", "The group serves two demands on one day"),
    "demand_twice": ("需求被安排了两次", "The demand is served twice"),
    "max_days": ("服务{used}天，超过上限{limit}天", "{used} days exceed the limit of {limit}"),
    "weight": ("覆盖权重{reported}与重算值{total}不符", "Weight {reported} ≠ recomputed {total}"),
}


class CircuitInputError(ValueError):
    """Bad scheduling input; `problems` lists every one as (field, value, message_zh, message_en, code)."""

    def __init__(self, problems: list[tuple[str, str, str, str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{f}: {zh} / {en}" for f, _, zh, en, _ in problems))


@dataclass(frozen=True)
class Expert:
    id: str
    specialties: frozenset[str]
    name: str = ""


@dataclass(frozen=True)
class ExpertGroup:
    id: str
    members: tuple[Expert, ...]
    base: tuple[float, float]  # (lat, lon)
    available: frozenset[dt.date]
    max_travel_minutes: float  # round trip per service day
    max_days: int
    name: str = ""

    @property
    def specialties(self) -> frozenset[str]:
        return frozenset().union(*(m.specialties for m in self.members))


@dataclass(frozen=True)
class Demand:
    id: str
    county: str
    specialty: str
    location: tuple[float, float]  # (lat, lon)
    start: dt.date
    end: dt.date  # inclusive
    priority: float = 1.0
    size: int = 1
    topic: str = ""

    @property
    def weight(self) -> float:
        return float(self.priority) * self.size


@dataclass(frozen=True)
class TravelModel:
    """Road minutes from straight-line distance; 1.3 and 45 km/h are assumptions for county roads, not data."""

    road_factor: float = 1.3
    speed_kmh: float = 45.0

    def round_trip_minutes(self, a: tuple[float, float], b: tuple[float, float]) -> float:
        return 2 * haversine_km(a, b) * self.road_factor / self.speed_kmh * 60


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance on the mean Earth radius (6371.0088 km)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True)
class Assignment:
    group_id: str
    demand_id: str
    day: dt.date
    travel_minutes: float
    weight: float


@dataclass
class Schedule:
    assignments: list[Assignment]
    covered_weight: float
    total_weight: float
    objective: float
    bound: float | None  # best upper bound proved (None for the greedy alone)
    gap: float | None  # (bound − objective) / bound
    status: str  # optimal | time_limit | greedy | greedy_fallback | empty
    solver: str
    seconds: float
    greedy_weight: float
    candidates: int
    travel: TravelModel = field(default_factory=TravelModel)

    def to_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in self.__dict__.items() if k not in ("assignments", "travel")}
        out["travel"] = {"road_factor": self.travel.road_factor, "speed_kmh": self.travel.speed_kmh}
        out["assignments"] = [{**a.__dict__, "day": a.day.isoformat()} for a in self.assignments]
        return out


@dataclass(frozen=True)
class Violation:
    code: str
    message_zh: str
    message_en: str
    refs: tuple[str, ...] = ()


def _problem(path: str, value: Any, code: str) -> tuple[str, str, str, str, str]:
    zh, en = MESSAGES[code]
    return (path, str(value), zh.format(value=value), en.format(value=value), code)


def _bad_point(p: Any) -> bool:
    try:
        lat, lon = float(p[0]), float(p[1])
    except (TypeError, ValueError, IndexError):
        return True
    return not (-90 <= lat <= 90 and -180 <= lon <= 180)


def _number(value: Any, *, minimum: float, integer: bool = False) -> bool:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and value >= minimum
    return ok and (not integer or isinstance(value, int)) and math.isfinite(value)


def validate(
    groups: Sequence[ExpertGroup], demands: Sequence[Demand], specialties: Collection[str], travel=None
) -> None:
    """Raise CircuitInputError listing every problem of the input (nothing is scheduled from bad input)."""
    known, out = set(specialties), []
    travel = travel or TravelModel()
    if not (_number(travel.road_factor, minimum=1e-9) and _number(travel.speed_kmh, minimum=1e-9)):
        out.append(_problem("travel", travel, "bad_model"))
    for kind, rows in (("groups", groups), ("demands", demands)):
        seen = set()
        for i, row in enumerate(rows):
            if row.id in seen:
                out.append(_problem(f"{kind}[{i}].id", row.id, "duplicate_id"))
            seen.add(row.id)
    for i, g in enumerate(groups):
        p = f"groups[{i}]"
        checks = [
            (not g.members, f"{p}.members", g.id, "no_members"),
            (_bad_point(g.base), f"{p}.base", g.base, "bad_location"),
            (
                not _number(limit := g.max_travel_minutes, minimum=0),
                f"{p}.max_travel_minutes",
                limit,
                "bad_travel_limit",
            ),
            (not _number(g.max_days, minimum=0, integer=True), f"{p}.max_days", g.max_days, "bad_max_days"),
            (not all(isinstance(t, dt.date) for t in g.available), f"{p}.available", "…", "bad_date"),
        ]
        unknown = [(m.id, s) for m in g.members for s in sorted(m.specialties - known)]
        checks += [(True, f"{p}.members.{mid}", s, "unknown_specialty") for mid, s in unknown]
        out += [_problem(path, value, code) for bad, path, value, code in checks if bad]
    for i, d in enumerate(demands):
        p = f"demands[{i}]"
        dates = isinstance(d.start, dt.date) and isinstance(d.end, dt.date)
        checks = [
            (d.specialty not in known, f"{p}.specialty", d.specialty, "unknown_specialty"),
            (_bad_point(d.location), f"{p}.location", d.location, "bad_location"),
            (not dates, f"{p}.start", (d.start, d.end), "bad_date"),
            (dates and d.end < d.start, f"{p}.end", f"{d.start} > {d.end}", "window_reversed"),
            (not _number(d.priority, minimum=0), f"{p}.priority", d.priority, "bad_priority"),
            (not _number(d.size, minimum=1, integer=True), f"{p}.size", d.size, "bad_size"),
        ]
        out += [_problem(path, value, code) for bad, path, value, code in checks if bad]
    if out:
        raise CircuitInputError(out)


def candidates(groups: Sequence[ExpertGroup], demands: Sequence[Demand], travel: TravelModel) -> list:
    """Every feasible (group, demand, day), i.e. the MIP's columns; demands of weight 0 are left out."""
    out = []
    for g in groups:
        skills = g.specialties
        days = sorted(g.available)
        for d in demands:
            if d.specialty not in skills or d.weight <= 0:
                continue
            minutes = travel.round_trip_minutes(g.base, d.location)
            if minutes > g.max_travel_minutes:
                continue
            out += [Assignment(g.id, d.id, t, minutes, d.weight) for t in days if d.start <= t <= d.end]
    return out


def greedy(cands: Iterable[Assignment], groups: Sequence[ExpertGroup]) -> list[Assignment]:
    """Heaviest demand first (ties: shorter trip, earlier day); the warm start and the fallback."""
    limit = {g.id: g.max_days for g in groups}
    used_days: dict[str, int] = defaultdict(int)
    busy, served, chosen = set(), set(), []
    for a in sorted(cands, key=lambda a: (-a.weight, a.travel_minutes, a.day, a.group_id, a.demand_id)):
        if a.demand_id in served or (a.group_id, a.day) in busy or used_days[a.group_id] >= limit[a.group_id]:
            continue
        chosen.append(a)
        served.add(a.demand_id)
        busy.add((a.group_id, a.day))
        used_days[a.group_id] += 1
    return chosen


def _mip(cands: list[Assignment], groups: Sequence[ExpertGroup], start: list, time_limit: float, gap: float):
    import highspy

    rows: dict[tuple, int] = {}

    def row(key: tuple) -> int:
        return rows.setdefault(key, len(rows))

    days_per_group: dict[str, set] = defaultdict(set)
    for a in cands:
        days_per_group[a.group_id].add(a.day)
    max_days = {g.id: g.max_days for g in groups}
    starts, index = [0], []
    for a in cands:
        entries = [row(("gd", a.group_id, a.day)), row(("d", a.demand_id))]
        if len(days_per_group[a.group_id]) > max_days[a.group_id]:  # the row can only bind then
            entries.append(row(("g", a.group_id)))
        index += entries
        starts.append(len(index))
    upper = [float(max_days[key[1]]) if key[0] == "g" else 1.0 for key in rows]
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(cands), len(rows)
    lp.col_cost_ = [a.weight for a in cands]
    lp.col_lower_, lp.col_upper_ = [0.0] * len(cands), [1.0] * len(cands)
    lp.row_lower_, lp.row_upper_ = [-highspy.kHighsInf] * len(rows), upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = starts, index, [1.0] * len(index)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * len(cands)
    lp.sense_ = highspy.ObjSense.kMaximize
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", float(gap))
    h.setOptionValue("random_seed", 1)
    h.passModel(lp)
    warm = highspy.HighsSolution()
    picked = {id(b) for b in start}
    warm.col_value = [float(id(a) in picked) for a in cands]
    h.setSolution(warm)
    h.run()
    model_status, info = h.getModelStatus(), h.getInfo()
    values = list(h.getSolution().col_value) if info.primal_solution_status else []
    chosen = [a for a, v in zip(cands, values, strict=False) if v > 0.5]
    named = {highspy.HighsModelStatus.kOptimal: "optimal", highspy.HighsModelStatus.kTimeLimit: "time_limit"}
    status = named.get(model_status, h.modelStatusToString(model_status))
    return chosen, status, float(info.mip_dual_bound)


def solve(
    groups: Sequence[ExpertGroup],
    demands: Sequence[Demand],
    *,
    specialties: Collection[str],
    travel: TravelModel | None = None,
    time_limit: float = 60.0,
    mip_rel_gap: float = 1e-6,
    use_mip: bool = True,
) -> Schedule:
    """Validate, build candidates, run the greedy, then the MIP (warm-started); keep the best checked schedule."""
    travel = travel or TravelModel()
    validate(groups, demands, specialties, travel)
    began = time.perf_counter()
    cands = candidates(groups, demands, travel)
    start = greedy(cands, groups)
    greedy_weight = sum(a.weight for a in start)
    chosen, status, bound, solver = start, "greedy", None, "greedy"
    if use_mip and cands:
        try:
            mip_chosen, mip_status, mip_bound = _mip(cands, groups, start, time_limit, mip_rel_gap)
        except (ImportError, RuntimeError) as exc:  # no solver, or it failed: the greedy schedule stands
            status, solver = "greedy_fallback", f"greedy (HiGHS failed: {exc})"
        else:
            mip_weight = sum(a.weight for a in mip_chosen)
            # A solver result is only used if it passes the independent check and is no worse than the greedy.
            if (
                mip_status in ("optimal", "time_limit")
                and not check(mip_chosen, groups, demands, travel=travel)
                and mip_weight >= greedy_weight - 1e-9
            ):
                chosen, status, bound, solver = mip_chosen, mip_status, mip_bound, "highs"
            else:
                status, solver = "greedy_fallback", f"greedy (HiGHS: {mip_status})"
    elif not cands:
        status, bound = "empty", 0.0
    covered = sum(a.weight for a in chosen)
    gap = None if bound is None else (0.0 if bound <= 1e-9 else max(0.0, (bound - covered) / abs(bound)))
    chosen = sorted(chosen, key=lambda a: (a.group_id, a.day))
    seconds, total = time.perf_counter() - began, sum(d.weight for d in demands)
    return Schedule(
        chosen,
        covered,
        total,
        covered,
        bound,
        gap,
        status,
        solver,
        seconds,
        greedy_weight,
        len(cands),
        travel,
    )


def _violation(code: str, refs: tuple = (), **values: Any) -> Violation:
    zh, en = MESSAGES[code]
    return Violation(code, zh.format(**values), en.format(**values), tuple(str(r) for r in refs))


def check(
    assignments: Iterable[Assignment],
    groups: Sequence[ExpertGroup],
    demands: Sequence[Demand],
    *,
    travel: TravelModel | None = None,
    reported_weight: float | None = None,
) -> list[Violation]:
    """Every broken constraint of a schedule, recomputed from the input (empty list: the schedule is valid)."""
    travel = travel or TravelModel()
    by_group, by_demand = {g.id: g for g in groups}, {d.id: d for d in demands}
    out: list[Violation] = []
    busy: dict[tuple, str] = {}
    served: dict[str, str] = {}
    days: dict[str, set] = defaultdict(set)
    total = 0.0
    for a in assignments:
        g, d = by_group.get(a.group_id), by_demand.get(a.demand_id)
        if g is None or d is None:
            out.append(_violation("unknown_id", (a.group_id, a.demand_id)))
            continue
        refs = (g.id, d.id, a.day.isoformat())
        total += d.weight
        minutes = travel.round_trip_minutes(g.base, d.location)
        broken = [
            (d.specialty not in g.specialties, "specialty", refs),
            (a.day not in g.available, "availability", refs),
            (not d.start <= a.day <= d.end, "window", refs),
            (minutes > g.max_travel_minutes + 1e-9, "travel", refs),
            ((g.id, a.day) in busy, "group_day", (*refs, busy.get((g.id, a.day)))),
            (d.id in served, "demand_twice", (*refs, served.get(d.id))),
        ]
        out += [
            _violation(code, r, minutes=minutes, limit=g.max_travel_minutes) for bad, code, r in broken if bad
        ]
        busy[(g.id, a.day)], served[d.id] = d.id, g.id
        days[g.id].add(a.day)
    for gid, used in days.items():
        if len(used) > by_group[gid].max_days:
            out.append(_violation("max_days", (gid,), used=len(used), limit=by_group[gid].max_days))
    if reported_weight is not None and abs(reported_weight - total) > 1e-6 * max(1.0, abs(total)):
        out.append(_violation("weight", reported=reported_weight, total=total))
    return out
