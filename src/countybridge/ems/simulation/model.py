"""Inputs of the dispatch simulation: demand points, stations, hospitals and the travel-time matrices."""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..network.errors import NetworkError, problem
from ..network.graph import RoadNetwork
from ..network.matrix import travel_time_matrix
from ..network.snap import Point, snap_points

UNREACHABLE = "unreachable"
BAD_INPUT = "bad_input"


class SimulationError(NetworkError):
    """Bilingual problems naming the demand point / station / hospital (same shape as NetworkError)."""


@dataclass(frozen=True)
class DemandPoint:
    """A place calls come from. ``calls_per_year`` is the expected number of dispatches a year (e.g.
    population × 15 / 1,000, facts § 6); ``county`` is the county code used to group results."""

    id: str
    county: str
    calls_per_year: float
    lon: float | None = None
    lat: float | None = None


@dataclass(frozen=True)
class Station:
    id: str
    county: str
    ambulances: int
    lon: float | None = None
    lat: float | None = None


@dataclass(frozen=True)
class Hospital:
    id: str
    capabilities: frozenset[str] = frozenset({"general"})
    lon: float | None = None
    lat: float | None = None


@dataclass
class SimulationInputs:
    """Matrices in minutes (``inf`` = unreachable):

    - ``station_to_demand`` (stations × demand points): ambulance travel to scene;
    - ``demand_to_hospital`` (demand × hospitals): transport;
    - ``hospital_to_station`` (hospitals × stations): return after handover;
    - ``demand_to_station`` (demand × stations): return when nobody is transported (default: the transpose
      of ``station_to_demand``).

    ``history`` optionally replays calls instead of drawing them: a sequence of (minute since start, demand
    point index or id).
    """

    demand: list[DemandPoint]
    stations: list[Station]
    hospitals: list[Hospital]
    station_to_demand: np.ndarray
    demand_to_hospital: np.ndarray
    hospital_to_station: np.ndarray
    demand_to_station: np.ndarray | None = None
    history: Sequence[tuple[float, int | str]] | None = None
    network_hash: str = ""
    meta: dict = field(default_factory=dict)

    def __post_init__(self):
        self.station_to_demand = np.asarray(self.station_to_demand, dtype=float)
        self.demand_to_hospital = np.asarray(self.demand_to_hospital, dtype=float)
        self.hospital_to_station = np.asarray(self.hospital_to_station, dtype=float)
        if self.demand_to_station is None:
            self.demand_to_station = self.station_to_demand.T.copy()
        self.demand_to_station = np.asarray(self.demand_to_station, dtype=float)

    def validate(self, categories: dict[str, tuple[float, str]] | None = None) -> None:
        """Raise `SimulationError` naming every demand point no ambulance can reach or with no suitable
        hospital, every station with a bad ambulance count, and every bad rate or matrix shape."""
        S, D, H = len(self.stations), len(self.demand), len(self.hospitals)
        problems = []
        for name, m, shape in (
            ("station_to_demand", self.station_to_demand, (S, D)),
            ("demand_to_hospital", self.demand_to_hospital, (D, H)),
            ("hospital_to_station", self.hospital_to_station, (H, S)),
            ("demand_to_station", self.demand_to_station, (D, S)),
        ):
            if m.shape != shape:
                problems.append(
                    problem(
                        BAD_INPUT,
                        name,
                        f"矩阵形状应为 {shape}，实际为 {m.shape}",
                        f"matrix shape should be {shape}, got {m.shape}",
                    )
                )
        if problems:
            raise SimulationError(problems)
        if S == 0 or sum(s.ambulances for s in self.stations) == 0:
            problems.append(problem(BAD_INPUT, "stations", "没有救护车", "there are no ambulances"))
        for s in self.stations:
            if (
                isinstance(s.ambulances, bool)
                or not isinstance(s.ambulances, numbers.Integral)
                or s.ambulances < 0
            ):
                problems.append(
                    problem(
                        BAD_INPUT,
                        f"station {s.id}",
                        "救护车数量必须是非负整数",
                        "ambulance count must be a whole number ≥ 0",
                        s.ambulances,
                    )
                )
        has_amb = np.array([s.ambulances > 0 for s in self.stations], dtype=bool)
        for j, d in enumerate(self.demand):
            place = f"demand point {d.id}"
            if not _nonneg(d.calls_per_year):
                problems.append(
                    problem(
                        BAD_INPUT,
                        place,
                        "呼叫量必须是非负数",
                        "calls per year must be a number ≥ 0",
                        d.calls_per_year,
                    )
                )
            if S and has_amb.any() and not np.isfinite(self.station_to_demand[has_amb, j]).any():
                problems.append(
                    problem(
                        UNREACHABLE,
                        place,
                        "没有任何有救护车的站点能经道路到达",
                        "no station with an ambulance can reach it by road",
                    )
                )
            for cat, (_share, capability) in (categories or {}).items():
                ok = [h for h, hosp in enumerate(self.hospitals) if capability in hosp.capabilities]
                if not ok or not np.isfinite(self.demand_to_hospital[j, ok]).any():
                    problems.append(
                        problem(
                            UNREACHABLE,
                            place,
                            f"无法经道路到达具备“{capability}”能力的医院（{cat}）",
                            f"no hospital with capability '{capability}' is reachable by road ({cat})",
                            capability,
                        )
                    )
        if problems:
            raise SimulationError(problems)


def _nonneg(x) -> bool:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return False
    return np.isfinite(v) and v >= 0


def inputs_from_network(
    network: RoadNetwork,
    demand: Sequence[DemandPoint],
    stations: Sequence[Station],
    hospitals: Sequence[Hospital],
    *,
    max_snap_m: float = 2000.0,
) -> SimulationInputs:
    """Snap every place (they need lon/lat) to the network and compute the four matrices with
    `travel_time_matrix`. Raises `NetworkError` naming a place with no road within ``max_snap_m``."""
    points = (
        [Point(f"demand point {d.id}", d.lon, d.lat) for d in demand]
        + [Point(f"station {s.id}", s.lon, s.lat) for s in stations]
        + [Point(f"hospital {h.id}", h.lon, h.lat) for h in hospitals]
    )
    node = snap_points(network, points, max_snap_m).node
    dn, sn, hn = np.split(node, [len(demand), len(demand) + len(stations)])
    return SimulationInputs(
        demand=list(demand),
        stations=list(stations),
        hospitals=list(hospitals),
        station_to_demand=travel_time_matrix(network, sn, dn),
        demand_to_hospital=travel_time_matrix(network, dn, hn),
        hospital_to_station=travel_time_matrix(network, hn, sn),
        demand_to_station=travel_time_matrix(network, dn, sn),
        network_hash=network.content_hash,
        meta={"demand_nodes": dn, "station_nodes": sn, "hospital_nodes": hn},
    )
