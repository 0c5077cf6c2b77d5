"""Municipal talent-programme places allocated among county employers (issue #3 item 3). Pure, no Django.

The stated rule (`RULE_ZH` / `RULE_EN`), applied first between county cities and then inside each county:
1. Each employer's weight is its requested places × its priority (priority 1 when not given).
2. If the places cover every request, everyone gets what they asked for and the rest stays unallocated.
3. Otherwise each county that asked for anything first gets a floor of min(k, its request); the places are
   shared in proportion to weight, each share kept between its floor and its request: the exact solution of
   Σ clamp(λ·weight, floor, request) = places, found in fractions on the breakpoints of that piecewise-linear sum.
4. Whole places by largest remainder: everyone keeps the whole part of their share; the places left go one each
   to the largest fractional parts (ties: larger weight, then id).
Inside a county its places are shared among its employers the same way, without a floor. Priority 0 means
"after everyone else": such requests only share (by size) the places the others cannot use.

Using places: `consume(state, application)` is the pure check the Django layer calls while holding the quota
row locked (`select_for_update()` in one transaction, with a unique (quota, application) constraint), so
concurrent applications can never use more places than allocated; a retried application is not counted twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from math import floor
from typing import Any

RULE_ZH = "按申报名额×优先级加权比例分配；每个申报了名额的县市至少k个（不超过其申报数）；按最大余数法取整；任何单位不超过申报数"
RULE_EN = (
    "Shared in proportion to requested places × priority; every county that asked gets at least k (never more "
    "than it asked); whole places by largest remainder; nobody gets more than it requested"
)


@dataclass(frozen=True)
class QuotaProblem:
    field: str
    value: str
    message_zh: str
    message_en: str
    code: str = "invalid"


MESSAGES = {
    "employer_missing": ("缺少用人单位", "The employer is missing"),
    "employer_duplicate": ("用人单位重复申报", "The employer appears twice"),
    "county_missing": ("缺少县市", "The county is missing"),
    "requested_invalid": ("申报名额应为非负整数", "Requested places must be a whole number ≥ 0"),
    "priority_invalid": ("优先级应为非负数", "Priority must be a number ≥ 0"),
    "places_invalid": ("名额总数应为非负整数", "Places must be a whole number ≥ 0"),
    "floor_invalid": ("保底名额应为非负整数", "The floor must be a whole number ≥ 0"),
    "floor_too_high": (
        "保底名额之和{total}超过名额总数{places}，保底最多为{most}",
        "The floors add up to {total}, more than the {places} places; the floor can be at most {most}",
    ),
    "application_id_missing": ("缺少申请编号", "The application id is missing"),
    "wrong_county": ("申请不属于该名额所在县市", "The application is not from this quota's county"),
    "wrong_employer": ("该名额属于其他用人单位", "This quota belongs to another employer"),
    "quota_exhausted": ("名额已用完（共{places}个）", "No places left (all {places} used)"),
}


def _problem(field: str, value: Any, code: str, **values: Any) -> QuotaProblem:
    zh, en = MESSAGES[code]
    return QuotaProblem(field, str(value), zh.format(**values), en.format(**values), code)


class QuotaError(ValueError):
    """Bad allocation input or a place that cannot be used; lists every problem in Chinese and English."""

    def __init__(self, problems: list[QuotaProblem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.field}: {p.message_zh} / {p.message_en}" for p in problems))


@dataclass(frozen=True)
class PlaceRequest:
    employer_id: str
    county: str
    requested: int
    priority: Fraction = Fraction(1)


@dataclass(frozen=True)
class Share:
    """One line of the arithmetic, for a county or an employer."""

    id: str
    requested: int
    weight: Fraction
    proportional: Fraction  # places × weight / Σ weight, before floor and cap
    floor: int
    share: Fraction  # after floor and cap
    floor_applied: bool
    cap_applied: bool
    whole: int
    remainder: Fraction
    remainder_place: bool
    allocated: int
    county: str = ""

    def to_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in self.__dict__.items()}
        for key in ("weight", "proportional", "share", "remainder"):
            out[key] = {"exact": str(out[key]), "value": round(float(out[key]), 4)}
        return out


@dataclass
class Allocation:
    places: int
    floor: int
    allocated: int
    unallocated: int
    counties: list[Share]
    employers: list[Share]
    steps: list[tuple[str, str]] = field(default_factory=list)  # (zh, en)
    rule_zh: str = RULE_ZH
    rule_en: str = RULE_EN

    def by_employer(self) -> dict[str, int]:
        return {s.id: s.allocated for s in self.employers}

    def by_county(self) -> dict[str, int]:
        return {s.id: s.allocated for s in self.counties}

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {k: getattr(self, k) for k in ("places", "floor", "allocated", "unallocated")}
        out["rule"] = {"zh": self.rule_zh, "en": self.rule_en}
        out["counties"], out["employers"] = (
            [s.to_dict() for s in self.counties],
            [s.to_dict() for s in self.employers],
        )
        out["steps"] = [{"zh": zh, "en": en} for zh, en in self.steps]
        return out


def _fraction(value: Any) -> Fraction | None:
    try:
        return None if isinstance(value, bool) else Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        return None


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _read_requests(requests: Iterable[PlaceRequest | Mapping[str, Any]]) -> tuple[list[PlaceRequest], list]:
    out: list[PlaceRequest] = []
    problems: list[QuotaProblem] = []
    seen: set[str] = set()
    for i, row in enumerate(requests):
        data = row.__dict__ if isinstance(row, PlaceRequest) else dict(row)
        employer, county = data.get("employer_id"), data.get("county")
        requested, priority = data.get("requested"), _fraction(data.get("priority", 1))
        checks = [
            (isinstance(employer, str) and employer, "employer_id", "employer_missing"),
            (employer not in seen, "employer_id", "employer_duplicate"),
            (isinstance(county, str) and county, "county", "county_missing"),
            (_whole(requested), "requested", "requested_invalid"),
            (priority is not None and priority >= 0, "priority", "priority_invalid"),
        ]
        failed = [
            _problem(f"requests[{i}].{name}", data.get(name), code) for ok, name, code in checks if not ok
        ]
        problems += failed
        if isinstance(employer, str):
            seen.add(employer)
        if not failed:
            out.append(PlaceRequest(employer, county, requested, priority))
    return out, problems


def _bounded_shares(
    total: int, weights: Sequence[Fraction], low: Sequence[int], high: Sequence[int]
) -> Fraction:
    """The exact λ with Σ clamp(λ·w_i, low_i, high_i) = total (needs Σlow ≤ total ≤ Σhigh)."""

    def size(lam: Fraction) -> Fraction:
        return sum(
            (_clamp(lam * w, lo, hi) for w, lo, hi in zip(weights, low, high, strict=True)), Fraction(0)
        )

    points = sorted(
        {Fraction(0)}
        | {Fraction(b) / w for w, lo, hi in zip(weights, low, high, strict=True) if w > 0 for b in (lo, hi)}
    )
    previous = points[0]
    if size(previous) >= total:
        return previous
    for point in points[1:]:
        here = size(point)
        if here >= total:
            below = size(previous)
            # The sum is linear between two breakpoints, so the crossing is found exactly.
            return previous + (total - below) * (point - previous) / (here - below)
        previous = point
    return points[-1]


def _clamp(value: Fraction, low: int, high: int) -> Fraction:
    return min(max(value, Fraction(low)), Fraction(high))


def _round(
    total: int, shares: list[Fraction], weights: Sequence[Fraction], ids: Sequence[str]
) -> tuple[list[int], list[bool]]:
    whole = [floor(s) for s in shares]
    left = total - sum(whole)
    order = sorted(range(len(shares)), key=lambda i: (-(shares[i] - whole[i]), -weights[i], ids[i]))
    chosen = {i for i in order[:left] if shares[i] > whole[i]}
    return [w + (i in chosen) for i, w in enumerate(whole)], [i in chosen for i in range(len(shares))]


def _split(total: int, ids: list, requested: list, weights: list, floors: list, county: str = "") -> tuple:
    """Shares of `total` for one level (counties, or the employers of one county) and the λ used."""
    weight_sum = sum(weights) or Fraction(1)
    lam: Fraction | None = None
    raw = [Fraction(r) for r in requested]  # λ·weight before floor and cap
    positive = [w > 0 for w in weights]
    capacity = sum(hi if p else lo for p, lo, hi in zip(positive, floors, requested, strict=True))
    if total >= sum(requested):
        shares = raw
    elif total <= capacity:
        lam = _bounded_shares(total, weights, floors, requested)
        raw = [lam * w for w in weights]
        shares = [_clamp(v, lo, hi) for v, lo, hi in zip(raw, floors, requested, strict=True)]
    else:
        # Priority 0 means "after everyone else": those requests share, by size, what the others cannot use.
        rest = total - sum(hi for p, hi in zip(positive, requested, strict=True) if p)
        zero = [Fraction(0) if p else Fraction(r) for p, r in zip(positive, requested, strict=True)]
        low = [0 if p else lo for p, lo in zip(positive, floors, strict=True)]
        high = [0 if p else hi for p, hi in zip(positive, requested, strict=True)]
        tier = _bounded_shares(rest, zero, low, high)
        raw = [Fraction(hi) if p else tier * z for p, hi, z in zip(positive, requested, zero, strict=True)]
        shares = [_clamp(v, lo, hi) for v, lo, hi in zip(raw, floors, requested, strict=True)]
    alloc, extra = _round(min(total, sum(requested)), shares, weights, ids)
    out = []
    for i, key in enumerate(ids):
        share = shares[i]
        out.append(
            Share(
                id=key,
                requested=requested[i],
                weight=weights[i],
                proportional=Fraction(total) * weights[i] / weight_sum,
                floor=floors[i],
                share=share,
                floor_applied=raw[i] < floors[i],
                cap_applied=raw[i] > requested[i],
                whole=floor(share),
                remainder=share - floor(share),
                remainder_place=extra[i],
                allocated=alloc[i],
                county=county,
            )
        )
    return out, lam


def allocate(
    places: int, requests: Iterable[PlaceRequest | Mapping[str, Any]], *, floor_per_county: int = 0
) -> Allocation:
    """Allocate `places` among the requests by the stated rule; every figure of the arithmetic is returned."""
    rows, problems = _read_requests(requests)
    if not _whole(places):
        problems.append(_problem("places", places, "places_invalid"))
    if not _whole(floor_per_county):
        problems.append(_problem("floor_per_county", floor_per_county, "floor_invalid"))
    if problems:
        raise QuotaError(problems)
    counties = sorted({r.county for r in rows})
    c_requested = [sum(r.requested for r in rows if r.county == c) for c in counties]
    c_weights = [
        sum((r.requested * r.priority for r in rows if r.county == c), Fraction(0)) for c in counties
    ]
    c_floors = [min(floor_per_county, d) for d in c_requested]
    if sum(c_floors) > places:
        most = places // max(1, sum(1 for d in c_requested if d > 0))
        total = sum(c_floors)
        raise QuotaError(
            [
                _problem(
                    "floor_per_county",
                    floor_per_county,
                    "floor_too_high",
                    total=total,
                    places=places,
                    most=most,
                )
            ]
        )
    county_shares, lam = _split(places, counties, c_requested, c_weights, c_floors)
    employers: list[Share] = []
    for share in county_shares:
        members = [r for r in rows if r.county == share.id]
        employers += _split(
            share.allocated,
            [r.employer_id for r in members],
            [r.requested for r in members],
            [r.requested * r.priority for r in members],
            [0] * len(members),
            county=share.id,
        )[0]
    allocated = sum(s.allocated for s in county_shares)
    result = Allocation(places, floor_per_county, allocated, places - allocated, county_shares, employers)
    result.steps = _steps(result, sum(c_requested), lam)
    return result


def _steps(result: Allocation, demand: int, lam: Fraction | None) -> list[tuple[str, str]]:
    steps = [
        (
            f"申报总数{demand}，名额{result.places}，保底{result.floor}",
            f"Requested {demand}, places {result.places}, floor {result.floor}",
        )
    ]
    if lam is not None:
        steps.append(
            (
                f"每单位权重分得 λ = {lam}（≈{float(lam):.4f}）个名额，份额 = clamp(λ×权重, 保底, 申报数)",
                f"Places per unit of weight λ = {lam} (≈{float(lam):.4f}); share = clamp(λ × weight, floor, request)",
            )
        )
    if result.places >= demand:
        steps.append(
            (
                f"名额足够：全部按申报分配，剩余{result.unallocated}个未分配",
                f"Enough places: every request met, {result.unallocated} left unallocated",
            )
        )
    for s in result.counties:
        flags = [
            (s.floor_applied, "，保底", "; floor applied"),
            (s.cap_applied, "，封顶于申报数", "; capped at request"),
        ]
        flags.append((s.remainder_place, "，得余数名额", "; gets a remainder place"))
        notes_zh = "".join(zh for on, zh, _ in flags if on)
        notes_en = "".join(en for on, _, en in flags if on)
        prop, share = f"{float(s.proportional):.3f}", f"{float(s.share):.3f}"
        steps.append(
            (
                f"{s.id}：权重{s.weight}，比例份额{prop}，调整后{share}{notes_zh}，分得{s.allocated}",
                f"{s.id}: weight {s.weight}, proportional {prop}, after floor/cap {share}{notes_en}, allocated {s.allocated}",
            )
        )
    return steps


# --- using places ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuotaState:
    """A quota as read under the row lock: places allocated and the applications already using one."""

    quota_id: str
    county: str
    places: int
    used_by: frozenset[str] = frozenset()
    employer_id: str | None = None  # None: any employer of the county may use it

    @property
    def used(self) -> int:
        return len(self.used_by)

    @property
    def remaining(self) -> int:
        return self.places - self.used


def consume(state: QuotaState, application: Mapping[str, Any]) -> QuotaState:
    """The state after one application uses a place; raises QuotaError if it may not.

    Idempotent: an application already counted returns the state unchanged (a retried request, a double
    click). Checks county and employer. The Django layer must call this inside `transaction.atomic()` after
    `select_for_update()` on the quota row, then insert the (quota, application) row under a unique constraint,
    so two concurrent applications cannot both take the last place.
    """
    app_id = application.get("id")
    if not app_id:
        raise QuotaError([_problem("application.id", app_id, "application_id_missing")])
    app_id = str(app_id)
    if app_id in state.used_by:
        return state
    problems = []
    if str(application.get("county")) != state.county:
        problems.append(_problem("application.county", application.get("county"), "wrong_county"))
    if state.employer_id is not None and application.get("employer_id") != state.employer_id:
        problems.append(_problem("application.employer_id", application.get("employer_id"), "wrong_employer"))
    if state.remaining <= 0:
        problems.append(_problem("quota", state.quota_id, "quota_exhausted", places=state.places))
    if problems:
        raise QuotaError(problems)
    return replace(state, used_by=state.used_by | {app_id})


def release(state: QuotaState, application_id: str) -> QuotaState:
    """The state after a withdrawn or refused application gives its place back (no-op if it held none)."""
    return replace(state, used_by=state.used_by - {str(application_id)})
