"""Expert circuit scheduling: MIP against brute force, the independent checker, bad input (no database)."""

import datetime as dt
import json
import random

import pytest

from countybridge.talent.circuits import (
    Assignment,
    CircuitInputError,
    Demand,
    Expert,
    ExpertGroup,
    TravelModel,
    candidates,
    check,
    haversine_km,
    solve,
)

DAY = dt.date(2025, 3, 3)
CHENGDU, JIANYANG, QIONGLAI = (30.66, 104.06), (30.4115, 104.5472), (30.4103, 103.4644)
SPECIALTIES = ["儿科", "中医药", "智能制造", "现代农业"]


def _group(gid, specialties, days, *, base=CHENGDU, limit=300, max_days=5):
    member = Expert(f"{gid}-m", frozenset(specialties))
    return ExpertGroup(gid, (member,), base, frozenset(DAY + dt.timedelta(d) for d in days), limit, max_days)


def _demand(did, specialty, first, last, *, place=JIANYANG, priority=1, size=1):
    return Demand(
        did, "510185", specialty, place, DAY + dt.timedelta(first), DAY + dt.timedelta(last), priority, size
    )


def _brute_force(groups, demands, travel):
    """Best weight over every way of giving each group-day one candidate demand or nothing."""
    cands = candidates(groups, demands, travel)
    slots = sorted({(a.group_id, a.day) for a in cands})
    options = {s: [a for a in cands if (a.group_id, a.day) == s] for s in slots}
    limit = {g.id: g.max_days for g in groups}
    best = 0.0

    def walk(i, served, days, weight):
        nonlocal best
        if i == len(slots):
            best = max(best, weight)
            return
        walk(i + 1, served, days, weight)
        gid = slots[i][0]
        if days.get(gid, 0) >= limit[gid]:
            return
        for a in options[slots[i]]:
            if a.demand_id not in served:
                walk(i + 1, served | {a.demand_id}, {**days, gid: days.get(gid, 0) + 1}, weight + a.weight)

    walk(0, frozenset(), {}, 0.0)
    return best


def _random_instance(seed):
    rng = random.Random(seed)
    places = [CHENGDU, JIANYANG, QIONGLAI, (30.9884, 103.6466)]
    groups = [
        _group(
            f"g{i}",
            rng.sample(SPECIALTIES, 2),
            [d for d in range(4) if rng.random() < 0.7],
            base=rng.choice(places[:2]),
            limit=rng.choice([120, 200, 400]),
            max_days=rng.randint(1, 3),
        )
        for i in range(2)
    ]
    demands = []
    for j in range(6):
        first = rng.randrange(4)
        demands.append(
            _demand(
                f"d{j}",
                rng.choice(SPECIALTIES),
                first,
                min(3, first + rng.randrange(3)),
                place=rng.choice(places),
                priority=rng.choice([1, 2, 5]),
                size=rng.randint(1, 3),
            )
        )
    return groups, demands


@pytest.mark.parametrize("seed", range(25))
def test_mip_optimum_equals_brute_force_on_tiny_instances(seed):
    groups, demands = _random_instance(seed)
    schedule = solve(groups, demands, specialties=SPECIALTIES)
    assert schedule.covered_weight == pytest.approx(_brute_force(groups, demands, TravelModel()))
    assert schedule.status in ("optimal", "empty")
    assert check(schedule.assignments, groups, demands, reported_weight=schedule.covered_weight) == []
    assert schedule.covered_weight >= schedule.greedy_weight


def test_mip_beats_greedy_where_greedy_is_myopic():
    # Both groups could serve the heavy demand A on day 0; only g1 can serve B. Greedy gives A to the nearer g1
    # and loses B; the optimum gives A to g2 and B to g1.
    g1 = _group("g1", ["儿科", "中医药"], [0], base=JIANYANG)
    g2 = _group("g2", ["儿科"], [0], base=CHENGDU)
    demands = [_demand("A", "儿科", 0, 0, priority=5), _demand("B", "中医药", 0, 0, priority=4)]
    schedule = solve([g1, g2], demands, specialties=SPECIALTIES)
    assert (schedule.greedy_weight, schedule.covered_weight) == (5, 9)
    assert (schedule.status, schedule.solver, schedule.gap) == ("optimal", "highs", 0.0)
    assert {(a.group_id, a.demand_id) for a in schedule.assignments} == {("g2", "A"), ("g1", "B")}
    greedy_only = solve([g1, g2], demands, specialties=SPECIALTIES, use_mip=False)
    assert (greedy_only.status, greedy_only.covered_weight, greedy_only.gap) == ("greedy", 5, None)


def test_travel_limit_days_and_max_days_are_respected():
    near = _group("near", ["儿科"], [0, 1, 2], base=JIANYANG, limit=60, max_days=2)
    demands = [_demand(f"d{i}", "儿科", 0, 2, place=JIANYANG) for i in range(3)] + [
        _demand("far", "儿科", 0, 2, place=QIONGLAI, priority=10)
    ]
    schedule = solve([near], demands, specialties=SPECIALTIES)
    assert len(schedule.assignments) == 2  # max_days
    assert "far" not in {a.demand_id for a in schedule.assignments}  # ~2×136 km round trip > 60 minutes
    json.dumps(schedule.to_dict(), ensure_ascii=False)


def test_no_feasible_candidate_gives_an_empty_schedule():
    schedule = solve([_group("g", ["儿科"], [5])], [_demand("d", "儿科", 0, 1)], specialties=SPECIALTIES)
    assert (schedule.status, schedule.assignments, schedule.covered_weight) == ("empty", [], 0)


def test_checker_flags_every_broken_constraint():
    g = _group("g", ["儿科"], [0, 1], base=CHENGDU, limit=100, max_days=1)
    demands = [
        _demand("a", "儿科", 0, 1, place=(30.67, 104.07)),
        _demand("b", "中医药", 0, 0, place=(30.67, 104.07)),
        _demand("far", "儿科", 0, 3, place=QIONGLAI),
    ]
    broken = [
        Assignment("g", "a", DAY, 1, 1),
        Assignment("g", "b", DAY, 1, 1),  # wrong specialty, same group-day as "a"
        Assignment("g", "a", DAY + dt.timedelta(1), 1, 1),  # "a" twice, 2 days > max 1
        Assignment("g", "far", DAY + dt.timedelta(3), 1, 1),  # day not available, far away
        Assignment("nobody", "a", DAY, 1, 1),
    ]
    codes = {v.code for v in check(broken, [g], demands, reported_weight=99)}
    assert codes == {
        "specialty",
        "group_day",
        "demand_twice",
        "max_days",
        "availability",
        "travel",
        "unknown_id",
        "weight",
    }
    window = check(
        [Assignment("g", "b", DAY + dt.timedelta(1), 1, 1)], [_group("g", ["中医药"], [1])], demands
    )
    assert [v.code for v in window] == ["window"]
    assert "日期不在需求时段内" in window[0].message_zh and "outside" in window[0].message_en


def test_bad_input_gives_a_bilingual_error_listing_every_problem():
    groups = [_group("g", ["儿科", "天文学"], [0]), _group("g", ["儿科"], [0], max_days=-1)]
    demands = [
        _demand("d1", "占星", 0, 1),
        _demand("d2", "儿科", 3, 1),
        _demand("d3", "儿科", 0, 1, place=(95.0, 104.0)),
    ]
    with pytest.raises(CircuitInputError) as info:
        solve(groups, demands, specialties=SPECIALTIES)
    codes = [p[4] for p in info.value.problems]
    assert codes.count("unknown_specialty") == 2
    for code in ("duplicate_id", "bad_max_days", "window_reversed", "bad_location"):
        assert code in codes
    message = str(info.value)
    assert "未知的专业领域：占星" in message and "Unknown specialty: 占星" in message
    assert "服务时段结束早于开始" in message and "The window ends before it starts" in message
    assert isinstance(info.value, ValueError)


def test_travel_minutes_come_from_haversine_distance():
    km = haversine_km(CHENGDU, JIANYANG)
    assert 50 < km < 60
    assert TravelModel(road_factor=1.3, speed_kmh=45).round_trip_minutes(CHENGDU, JIANYANG) == pytest.approx(
        2 * km * 1.3 / 45 * 60
    )
