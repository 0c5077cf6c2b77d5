"""Snap demand points, stations and hospitals to their nearest graph node (SciPy cKDTree).

Coordinates are projected to local metres (equirectangular about the network's mean latitude; error well
under 1% across a county). A point farther than ``max_distance_m`` from every node is an error naming it.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from .errors import BAD_COORDINATE, EMPTY_NETWORK, NOT_SNAPPABLE, NetworkError, problem
from .graph import EARTH_RADIUS_M, RoadNetwork


@dataclass(frozen=True)
class Point:
    """A place to snap: ``name`` is how errors name it (e.g. "demand point 乡镇A" or a facility name)."""

    name: str
    lon: float
    lat: float


@dataclass
class SnapResult:
    """``node`` (int array; -1 where not snapped) and ``distance_m`` (float array) per input point."""

    node: np.ndarray
    distance_m: np.ndarray
    names: list[str]

    @property
    def ok(self) -> np.ndarray:
        return self.node >= 0


class _Index:
    def __init__(self, network: RoadNetwork):
        has = np.isfinite(network.lon) & np.isfinite(network.lat)
        self.nodes = np.flatnonzero(has)
        self.lat0 = math.radians(float(np.mean(network.lat[has]))) if has.any() else 0.0
        self.tree = cKDTree(self.project(network.lon[has], network.lat[has])) if has.any() else None

    def project(self, lon, lat) -> np.ndarray:
        lon = np.radians(np.asarray(lon, dtype=float))
        lat = np.radians(np.asarray(lat, dtype=float))
        return np.stack([EARTH_RADIUS_M * lon * math.cos(self.lat0), EARTH_RADIUS_M * lat], axis=-1)


_INDEXES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # one KD-tree per live network


def _index_for(network: RoadNetwork) -> _Index:  # RoadNetwork hashes by identity (eq=False)
    index = _INDEXES.get(network)
    if index is None:
        index = _INDEXES[network] = _Index(network)
    return index


def snap_points(
    network: RoadNetwork,
    points: Iterable[Point | tuple[str, float, float]],
    max_distance_m: float,
    *,
    raise_on_failure: bool = True,
) -> SnapResult:
    """Nearest node (with coordinates) for each point within ``max_distance_m`` metres.

    Raises `NetworkError` naming every point with bad coordinates (``bad_coordinate``) or no road node
    within the distance (``not_snappable``, with the distance to the nearest node), unless
    ``raise_on_failure`` is False, in which case those points get node -1.
    """
    pts = [p if isinstance(p, Point) else Point(*p) for p in points]
    index = _index_for(network)
    if index.tree is None:
        raise NetworkError(
            [
                problem(
                    EMPTY_NETWORK,
                    "network",
                    "路网节点没有坐标，无法匹配位置",
                    "no road node has coordinates; cannot snap",
                )
            ]
        )
    lon = np.array([_f(p.lon) for p in pts], dtype=float)
    lat = np.array([_f(p.lat) for p in pts], dtype=float)
    good = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lon) <= 180) & (np.abs(lat) <= 90)
    node = np.full(len(pts), -1, dtype=np.int64)
    dist = np.full(len(pts), np.inf)
    if good.any():
        d, k = index.tree.query(index.project(lon[good], lat[good]), k=1)
        node[good] = index.nodes[k]
        dist[good] = d
    far = good & (dist > max_distance_m)
    node[far] = -1
    problems = []
    for i, p in enumerate(pts):
        if not good[i]:
            problems.append(
                problem(
                    BAD_COORDINATE,
                    p.name,
                    f"坐标无效（经度 {p.lon}，纬度 {p.lat}）",
                    f"invalid coordinates (lon {p.lon}, lat {p.lat})",
                    f"{p.lon},{p.lat}",
                )
            )
        elif far[i]:
            problems.append(
                problem(
                    NOT_SNAPPABLE,
                    p.name,
                    f"{max_distance_m:.0f} 米内没有道路（最近的路网节点在 {dist[i]:.0f} 米外）",
                    f"no road within {max_distance_m:.0f} m (nearest road node is {dist[i]:.0f} m away)",
                    f"{dist[i]:.0f}",
                )
            )
    if problems and raise_on_failure:
        raise NetworkError(problems)
    return SnapResult(node=node, distance_m=dist, names=[p.name for p in pts])


def _f(x) -> float:
    try:
        return float(x)
    except (TypeError, ValueError):
        return math.nan
