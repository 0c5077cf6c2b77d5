"""Response analytics over a travel-time matrix: coverage, expected response and the national standards.

Pure: numpy only, no Django. Response time to a place = call handling + dispatch + turnout (the
`pre_travel` minutes from the settings) + road travel from the nearest station that has an ambulance,
times the peak factor. Figures are population-weighted per county:

- share of the population reached within each threshold (5/10/15 min by default);
- expected average and 90th-percentile response (weighted over places; a place's response is its
  expected response, so the p90 is "the response 90% of residents get within");
- secondary-or-above hospitals reached within the target, and places missing the target;
- the standards of 国卫医发〔2020〕19号 as summarised in facts/ems.md §1: ambulances per population under
  both readings (1 per 30,000, and the county rule 3 × population / 30,000), station service radius
  (≤5 km urban, 10–20 km rural; straight line), negative-pressure share ≥ 40%.

A place with no road (infinite travel) counts as not reached and is listed with response None.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Place:
    """A demand point: township, community or grid cell."""

    id: int
    name: str
    county: str
    population: float
    lon: float
    lat: float
    urban: bool = False


@dataclass(frozen=True)
class Station:
    id: int
    name: str
    county: str
    lon: float
    lat: float
    ambulances: int = 0
    negative_pressure: int = 0
    urban: bool = False


@dataclass(frozen=True)
class Hospital:
    id: int
    name: str
    county: str
    level: int  # 2 二级, 3 三级
    emergency_department: bool = True


@dataclass
class CountyCoverage:
    county: str
    population: float
    places: int
    within: dict[float, float]  # threshold minutes → population share
    average: float | None  # population-weighted expected response (reached places only)
    p90: float | None
    target: float
    meets_target: bool  # average ≤ target and every place reached
    unreached_population: float
    failing: list[dict] = field(default_factory=list)  # places over the target, worst first
    hospitals_total: int = 0
    hospitals_covered: int = 0
    hospitals_missing: list[dict] = field(default_factory=list)
    p90_calls: float | None = None  # p90 over calls with varying intervals (`call_quantile`), if computed

    def as_dict(self) -> dict:
        return {
            "county": self.county,
            "population": self.population,
            "places": self.places,
            "within": {f"{k:g}": round(v, 4) for k, v in self.within.items()},
            "average": None if self.average is None else round(self.average, 2),
            "p90": None if self.p90 is None else round(self.p90, 2),
            "p90_calls": None if self.p90_calls is None else round(self.p90_calls, 2),
            "target": self.target,
            "meets_target": self.meets_target,
            "unreached_population": self.unreached_population,
            "failing": self.failing,
            "hospitals_total": self.hospitals_total,
            "hospitals_covered": self.hospitals_covered,
            "hospitals_missing": self.hospitals_missing,
        }


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The smallest value v with (weight of values ≤ v) ≥ q × total weight (no interpolation, so a
    hand-made example has an exact answer)."""
    if len(values) == 0 or float(weights.sum()) <= 0:
        return float("nan")
    order = np.argsort(values, kind="stable")
    cum = np.cumsum(weights[order])
    index = int(np.searchsorted(cum, q * cum[-1] - 1e-9 * cum[-1], side="left"))
    return float(values[order][min(index, len(values) - 1)])


def nearest_travel(travel: np.ndarray, active: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per column (destination): the shortest travel over active rows (stations) and that row's index
    (-1 where no active station reaches it)."""
    travel = np.asarray(travel, dtype=float)
    n_dest = travel.shape[1] if travel.ndim == 2 else 0
    if travel.size == 0 or not np.any(active):
        return np.full(n_dest, np.inf), np.full(n_dest, -1)
    masked = np.where(np.asarray(active, dtype=bool)[:, None], travel, np.inf)
    best = masked.argmin(axis=0)
    times = masked[best, np.arange(n_dest)]
    best = np.where(np.isfinite(times), best, -1)
    return times, best


def response_times(
    travel: np.ndarray, stations: Sequence[Station], *, pre_travel: float, peak_factor: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    """Expected response per destination (minutes; inf if unreachable) and the serving station index."""
    active = np.array([s.ambulances > 0 for s in stations], dtype=bool)
    times, best = nearest_travel(travel, active)
    return pre_travel + peak_factor * times, best


def county_coverage(
    places: Sequence[Place],
    response: np.ndarray,
    *,
    thresholds: Sequence[float] = (5, 10, 15),
    target: float = 15.0,
    hospitals: Sequence[Hospital] = (),
    hospital_response: np.ndarray | None = None,
) -> dict[str, CountyCoverage]:
    """Coverage per county from each place's expected response (aligned with `places`)."""
    response = np.asarray(response, dtype=float)
    hospital_response = (
        np.asarray(hospital_response, dtype=float) if hospital_response is not None else np.array([])
    )
    counties = sorted({p.county for p in places} | {h.county for h in hospitals})
    out: dict[str, CountyCoverage] = {}
    for county in counties:
        idx = np.array([i for i, p in enumerate(places) if p.county == county], dtype=int)
        pop = np.array([places[i].population for i in idx], dtype=float)
        times = response[idx] if len(idx) else np.array([])
        total = float(pop.sum())
        reached = np.isfinite(times)
        within = {
            float(t): (float(pop[reached & (times <= t)].sum()) / total if total > 0 else 0.0)
            for t in thresholds
        }
        if total > 0 and reached.any() and pop[reached].sum() > 0:
            average = float(np.average(times[reached], weights=pop[reached]))
            p90 = weighted_quantile(np.where(reached, times, np.inf), pop, 0.9)
            p90 = None if not math.isfinite(p90) else p90
        else:
            average = p90 = None
        failing = [
            {
                "id": places[i].id,
                "name": places[i].name,
                "population": places[i].population,
                "response": None if not math.isfinite(t) else round(float(t), 2),
            }
            for i, t in zip(idx, times, strict=True)
            if not math.isfinite(t) or t > target
        ]
        failing.sort(key=lambda f: (f["response"] is not None, -(f["response"] or 0), -f["population"]))
        h_idx = [i for i, h in enumerate(hospitals) if h.county == county and h.level >= 2]
        missing = [
            {
                "id": hospitals[i].id,
                "name": hospitals[i].name,
                "response": None
                if not math.isfinite(hospital_response[i])
                else round(float(hospital_response[i]), 2),
            }
            for i in h_idx
            if not (math.isfinite(hospital_response[i]) and hospital_response[i] <= target)
        ]
        unreached = float(pop[~reached].sum())
        out[county] = CountyCoverage(
            county=county,
            population=total,
            places=len(idx),
            within=within,
            average=average,
            p90=p90,
            target=float(target),
            meets_target=average is not None and average <= target and unreached == 0,
            unreached_population=unreached,
            failing=failing,
            hospitals_total=len(h_idx),
            hospitals_covered=len(h_idx) - len(missing),
            hospitals_missing=missing,
        )
    return out


def haversine_km(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Great-circle distance in km, broadcasting over numpy arrays."""
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(v, dtype=float)) for v in (lon1, lat1, lon2, lat2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


@dataclass
class StandardsCheck:
    county: str
    population: float
    ambulances: int
    required_prefecture: int  # 1 per 30,000
    required_county_rule: int  # 3 × population / 30,000
    meets_prefecture: bool
    meets_county_rule: bool
    negative_pressure: int
    negative_pressure_share: float | None
    meets_negative_pressure: bool
    stations: int
    radius_share: float  # population within the service radius of a station (straight line)
    radius_places_outside: list[dict]
    meets_radius: bool

    def as_dict(self) -> dict:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def standards_check(
    county: str,
    population: float,
    places: Sequence[Place],
    stations: Sequence[Station],
    *,
    per_population: float = 30000,
    county_multiplier: float = 3.0,
    radius_urban_km: float = 5.0,
    radius_rural_km: float = 20.0,
    negative_pressure_share: float = 0.40,
) -> StandardsCheck:
    """The 2020 guideline's figures for one county. `population` is the county's resident population
    (census), which the ratio rules use; `places` carry the population for the radius share."""
    own = [s for s in stations if s.county == county and s.ambulances > 0]  # an empty station serves no one
    ambulances = sum(s.ambulances for s in own)
    negative = sum(s.negative_pressure for s in own)
    required_prefecture = math.ceil(population / per_population) if population > 0 else 0
    required_county = math.ceil(county_multiplier * population / per_population) if population > 0 else 0
    share = negative / ambulances if ambulances else None
    county_places = [p for p in places if p.county == county]
    outside: list[dict] = []
    inside_pop = 0.0
    if own and county_places:
        dist = haversine_km(
            np.array([p.lon for p in county_places])[:, None],
            np.array([p.lat for p in county_places])[:, None],
            np.array([s.lon for s in own])[None, :],
            np.array([s.lat for s in own])[None, :],
        ).min(axis=1)
    else:
        dist = np.full(len(county_places), np.inf)
    for place, d in zip(county_places, dist, strict=True):
        limit = radius_urban_km if place.urban else radius_rural_km
        if d <= limit:
            inside_pop += place.population
        else:
            outside.append(
                {
                    "id": place.id,
                    "name": place.name,
                    "distance_km": None if not math.isfinite(d) else round(float(d), 2),
                    "limit_km": limit,
                    "population": place.population,
                }  # fmt: skip
            )
    place_pop = sum(p.population for p in county_places)
    outside.sort(key=lambda o: -(o["distance_km"] or 1e9))
    return StandardsCheck(
        county=county,
        population=population,
        ambulances=ambulances,
        required_prefecture=required_prefecture,
        required_county_rule=required_county,
        meets_prefecture=ambulances >= required_prefecture,
        meets_county_rule=ambulances >= required_county,
        negative_pressure=negative,
        negative_pressure_share=share,
        meets_negative_pressure=share is not None and share >= negative_pressure_share - 1e-12,
        stations=len(own),
        radius_share=inside_pop / place_pop if place_pop > 0 else 0.0,
        radius_places_outside=outside,
        meets_radius=not outside and bool(county_places),
    )


def scenario_cost(stations: Sequence[Station], *, per_station: float, per_ambulance: float) -> float:
    """Yearly running cost of a scenario: stations in use plus ambulances (planning figures)."""
    used = [s for s in stations if s.ambulances > 0]
    return per_station * len(used) + per_ambulance * sum(s.ambulances for s in stations)


def call_quantile(
    offsets: np.ndarray,
    weights: np.ndarray,
    lognormals: Sequence[tuple[float, float]],
    *,
    q: float = 0.9,
    draws: int = 4000,
    seed: int = 0,
) -> float | None:
    """The q-quantile of the response over calls when the pre-travel intervals vary: a call from place i
    takes offsets[i] (fixed part: call handling + travel) plus the sum of independent lognormal intervals
    (mu, sigma of ln minutes: call processing, turnout). Calls are weighted by `weights` (population or
    call rate). Seeded Monte Carlo of the interval sum, exact mixture over places. None if nothing is
    reached."""
    offsets = np.asarray(offsets, dtype=float)
    weights = np.asarray(weights, dtype=float)
    keep = np.isfinite(offsets) & (weights > 0)
    if not keep.any():
        return None
    rng = np.random.default_rng(seed)
    extra = np.zeros(draws)
    for mu, sigma in lognormals:
        extra += rng.lognormal(mean=float(mu), sigma=float(sigma), size=draws)
    values = (offsets[keep][:, None] + extra[None, :]).ravel()
    mass = np.repeat(weights[keep] / draws, draws)
    unreached = float(weights[~np.isfinite(offsets)].sum())
    if unreached:  # calls with no road response count as never answered
        values = np.append(values, np.inf)
        mass = np.append(mass, unreached)
    value = weighted_quantile(values, mass, q)
    return value if math.isfinite(value) else None
