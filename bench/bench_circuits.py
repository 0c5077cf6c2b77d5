"""Expert circuit scheduling: HiGHS MIP against the greedy heuristic on a generated Chengdu instance.

Groups are based in the central city or a county seat; demands sit near the eight county seats (coordinates
from core.regions_data). Figures: candidates (feasible group-demand-day columns), greedy and MIP objectives,
the proved bound and gap, solve time, and the independent checker's violations (must be 0 for both).
"""

import datetime as dt
import random
import time

from countybridge.core.regions_data import DIVISIONS
from countybridge.talent.circuits import (
    Demand,
    Expert,
    ExpertGroup,
    TravelModel,
    candidates,
    check,
    greedy,
    solve,
)

SPECIALTIES = [
    "儿科",
    "急诊",
    "中医药",
    "职业教育",
    "智能制造",
    "电子信息",
    "现代农业",
    "食品加工",
    "文旅",
    "生态环保",
    "规划建设",
    "数字经济",
]
CITY_CENTRE = (30.6586, 104.0647)  # 天府广场


def generate(n_groups: int, n_demands: int, n_days: int, seed: int = 7):
    rng = random.Random(seed)
    seats = [(code, (lonlat[1], lonlat[0])) for code, *_, lonlat, _terrain, _outline in DIVISIONS if lonlat]
    first = dt.date(2025, 4, 7)
    days = [first + dt.timedelta(d) for d in range(n_days)]
    groups = []
    for i in range(n_groups):
        members = tuple(
            Expert(f"g{i}-m{k}", frozenset(rng.sample(SPECIALTIES, rng.randint(1, 2))))
            for k in range(rng.randint(2, 4))
        )
        base = CITY_CENTRE if rng.random() < 0.6 else rng.choice(seats)[1]
        available = frozenset(d for d in days if rng.random() < 0.6)
        # Fewer group-days than demands, so the schedule has to choose (about 180 for 300 at full size).
        max_days = rng.randint(max(1, n_days // 6), max(1, n_days // 3))
        groups.append(
            ExpertGroup(f"g{i}", members, base, available, rng.choice([180, 240, 300, 420]), max_days)
        )
    demands = []
    for j in range(n_demands):
        code, (lat, lon) = rng.choice(seats)
        start = rng.randrange(n_days)
        end = min(n_days - 1, start + rng.randint(0, 4))
        place = (lat + rng.uniform(-0.12, 0.12), lon + rng.uniform(-0.12, 0.12))
        demands.append(
            Demand(
                f"d{j}",
                code,
                rng.choice(SPECIALTIES),
                place,
                days[start],
                days[end],
                rng.choice([1, 2, 3]),
                rng.randint(1, 5),
            )
        )
    return groups, demands


def run(smoke: bool = False) -> None:
    n_groups, n_demands, n_days = (6, 30, 5) if smoke else (40, 300, 20)
    groups, demands = generate(n_groups, n_demands, n_days)
    travel = TravelModel()

    began = time.perf_counter()
    heuristic = greedy(candidates(groups, demands, travel), groups)
    greedy_seconds = time.perf_counter() - began
    greedy_weight = sum(a.weight for a in heuristic)

    schedule = solve(groups, demands, specialties=SPECIALTIES, travel=travel, time_limit=30 if smoke else 120)
    mip_violations = check(
        schedule.assignments, groups, demands, travel=travel, reported_weight=schedule.covered_weight
    )
    greedy_violations = check(heuristic, groups, demands, travel=travel, reported_weight=greedy_weight)
    gap = "n/a" if schedule.gap is None else f"{schedule.gap:.2%}"
    print(
        f"groups={n_groups} demands={n_demands} days={n_days} candidates={schedule.candidates} "
        f"total_weight={schedule.total_weight:.0f}"
    )
    print(
        f"greedy={greedy_weight:.0f} ({greedy_seconds:.3f}s) mip={schedule.objective:.0f} bound={schedule.bound} "
        f"gap={gap} status={schedule.status} solver={schedule.solver} solve_seconds={schedule.seconds:.2f} "
        f"mip_vs_greedy=+{(schedule.objective - greedy_weight) / max(greedy_weight, 1):.1%} "
        f"served={len(schedule.assignments)}/{n_demands}"
    )
    print(f"checker violations: mip={len(mip_violations)} greedy={len(greedy_violations)}")
    if mip_violations or greedy_violations:
        raise SystemExit(f"schedule violations: {(mip_violations + greedy_violations)[:5]}")
