"""Quota allocation arithmetic and the pure `consume` check (no database)."""

import threading
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from countybridge.talent.quotas import QuotaError, QuotaState, allocate, consume, release


def _req(employer, county, requested, priority=1):
    return {"employer_id": employer, "county": county, "requested": requested, "priority": priority}


HAND = [_req("e1", "X", 6), _req("e2", "X", 2, priority=2), _req("e3", "Y", 3), _req("e4", "Z", 1)]


def test_hand_computed_example_with_floor_and_remainders():
    """10 places, floor 1. Weights X = 6·1 + 2·2 = 10, Y = 3, Z = 1 (Σ 14).

    Plain shares 10·10/14 = 7.14, 2.14, 0.71: Z is below its floor, so Z = 1 and the 9 left are shared by
    λ = 9/13: X = 90/13 = 6.923, Y = 27/13 = 2.077. Whole parts 6 + 2 + 1 = 9; the last place goes to the
    largest remainder (X, .923). Inside X, 7 places: e1 = 7·6/10 = 4.2, e2 = 2.8 > its request 2, so e2 = 2, e1 = 5.
    """
    result = allocate(10, HAND, floor_per_county=1)
    assert result.by_county() == {"X": 7, "Y": 2, "Z": 1}
    assert result.by_employer() == {"e1": 5, "e2": 2, "e3": 2, "e4": 1}
    x, y, z = result.counties
    assert x.share == Fraction(90, 13) and y.share == Fraction(27, 13) and z.share == 1
    assert x.proportional == Fraction(50, 7)
    assert (x.whole, x.remainder, x.remainder_place) == (6, Fraction(12, 13), True)
    assert (y.remainder_place, z.floor_applied, x.floor_applied) == (False, True, False)
    e2 = [e for e in result.employers if e.id == "e2"][0]
    assert e2.cap_applied and e2.allocated == 2
    assert result.unallocated == 0
    text = " ".join(en for _, en in result.steps)
    assert "λ = 9/13" in text and "floor applied" in text and "remainder place" in text
    assert result.to_dict()["counties"][0]["share"] == {"exact": "90/13", "value": 6.9231}


def test_more_places_than_demand_gives_every_request_and_no_more():
    result = allocate(20, HAND, floor_per_county=2)
    assert result.by_employer() == {"e1": 6, "e2": 2, "e3": 3, "e4": 1}
    assert (result.allocated, result.unallocated) == (12, 8)


def test_high_priority_is_capped_at_its_request():
    # P's plain share 10·20/30 = 6.67 exceeds its request 2; Q takes the rest: 2 + 10λ = 10 → λ = 4/5, Q = 8.
    result = allocate(10, [_req("p", "P", 2, priority=10), _req("q", "Q", 10)])
    assert result.by_county() == {"P": 2, "Q": 8}
    assert result.counties[0].cap_applied


def test_floor_never_exceeds_what_a_county_asked_and_counties_without_requests_get_nothing():
    result = allocate(5, [_req("a", "A", 10), _req("b", "B", 1), _req("c", "C", 0)], floor_per_county=3)
    assert result.by_county() == {"A": 4, "B": 1, "C": 0}
    assert result.counties[1].floor == 1


def test_floor_higher_than_places_allow_is_a_clear_error():
    with pytest.raises(QuotaError) as info:
        allocate(5, [_req("a", "A", 4), _req("b", "B", 4), _req("c", "C", 4)], floor_per_county=2)
    problem = info.value.problems[0]
    assert problem.code == "floor_too_high"
    assert "保底名额之和6超过名额总数5" in problem.message_zh and "at most 1" in problem.message_en


def test_bad_input_lists_every_problem_in_both_languages():
    rows = [_req("a", "A", -1), _req("a", "A", 2), _req("b", "", 1), _req("c", "C", 1, priority="high")]
    with pytest.raises(QuotaError) as info:
        allocate(-3, rows, floor_per_county=1)
    codes = [p.code for p in info.value.problems]
    assert codes == [
        "requested_invalid",
        "employer_duplicate",
        "county_missing",
        "priority_invalid",
        "places_invalid",
    ]
    assert "申报名额应为非负整数" in str(info.value) and "whole number" in str(info.value)


@settings(max_examples=150, deadline=None)
@given(
    places=st.integers(0, 60),
    floor_k=st.integers(0, 3),
    rows=st.lists(
        st.tuples(st.sampled_from("ABCDE"), st.integers(0, 15), st.sampled_from([0, 1, 2, "0.5", "1.5"])),
        min_size=1,
        max_size=12,
    ),
)
def test_allocation_invariants(places, floor_k, rows):
    requests = [_req(f"e{i}", county, n, p) for i, (county, n, p) in enumerate(rows)]
    demand = {c: sum(n for county, n, _ in rows if county == c) for c, _, _ in rows}
    if sum(min(floor_k, d) for d in demand.values()) > places:
        with pytest.raises(QuotaError):
            allocate(places, requests, floor_per_county=floor_k)
        return
    result = allocate(places, requests, floor_per_county=floor_k)
    assert result.allocated == min(places, sum(demand.values()))
    for share in result.employers:
        assert 0 <= share.allocated <= share.requested
    for share in result.counties:
        assert min(floor_k, demand[share.id]) <= share.allocated <= demand[share.id]
        assert sum(e.allocated for e in result.employers if e.county == share.id) == share.allocated
        assert abs(share.allocated - share.share) < 1  # rounding moves a share by less than one place


# --- consume ---------------------------------------------------------------------------------------------


def test_consume_counts_places_and_refuses_the_one_too_many():
    state = QuotaState("Q1", "510185", places=2)
    state = consume(state, {"id": "a1", "county": "510185"})
    state = consume(state, {"id": "a1", "county": "510185"})  # retried: not counted twice
    state = consume(state, {"id": "a2", "county": "510185"})
    assert (state.used, state.remaining) == (2, 0)
    with pytest.raises(QuotaError) as info:
        consume(state, {"id": "a3", "county": "510185"})
    assert info.value.problems[0].code == "quota_exhausted"
    assert "名额已用完" in str(info.value) and "No places left" in str(info.value)
    assert release(state, "a1").remaining == 1


def test_consume_checks_county_and_employer():
    state = QuotaState("Q2", "510185", places=3, employer_id="emp-1")
    with pytest.raises(QuotaError) as info:
        consume(state, {"id": "x", "county": "510129", "employer_id": "emp-2"})
    assert [p.code for p in info.value.problems] == ["wrong_county", "wrong_employer"]
    with pytest.raises(QuotaError):
        consume(state, {"county": "510185"})


def test_consume_under_a_row_lock_never_oversubscribes():
    """The pattern the Django layer follows: lock the row, read, consume, write. 30 threads, 7 places."""
    row = {"state": QuotaState("Q3", "510185", places=7)}
    lock = threading.Lock()  # stands in for SELECT … FOR UPDATE
    taken, refused = [], []

    def apply(i):
        with lock:
            try:
                row["state"] = consume(row["state"], {"id": f"app-{i}", "county": "510185"})
                taken.append(i)
            except QuotaError:
                refused.append(i)

    threads = [threading.Thread(target=apply, args=(i,)) for i in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert (len(taken), len(refused), row["state"].used) == (7, 23, 7)
