"""Travel times over a stored road network, with the matrix cache keyed by the network's content hash.

Django side of the network module: turns a RoadNetwork row into a graph, snaps points (stations,
hospitals, demand points) to their nearest road node and computes origin × destination minutes. A point
farther than MAX_SNAP_KM from every road node has "no road" and is refused by imports and services.
The off-road leg from a point to its node is driven at ACCESS_SPEED_KMH over the straight line times the
detour factor.

Matrices are cached in TravelTimeCache under sha256(network hash, speeds, origins, destinations); a new
network version has a new hash, and `invalidate` drops the rows of a county's superseded versions.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Sequence

import numpy as np

from .models import RoadNetwork, TravelTimeCache
from .network.defaults import speed_table
from .network.graph import build_network_arrays
from .network.matrix import travel_time_matrix
from .network.snap import Point, snap_points

MAX_SNAP_KM = 3.0
ACCESS_SPEED_KMH = 20.0
DETOUR = 1.6


def _factor(edge) -> float:
    """An edge's speed as a share of its class speed (e.g. 0.75 on mountain stretches), default 1."""
    return float(edge[5]) if len(edge) > 5 and edge[5] else 1.0


def build(
    nodes: list, edges: list, speeds: dict[str, float] | None = None, *, require_connected: bool = False
):
    """The network module's graph from stored lists (nodes [[id, lon, lat]], edges [[u, v, length_m,
    road_class, oneway, speed factor?]]); speed = the class speed from the settings (over the module's
    defaults) × the edge's factor, so edited class speeds still apply to terrain-slowed edges."""
    table = speed_table(speeds)
    index = {str(n[0]): i for i, n in enumerate(nodes)}
    return build_network_arrays(
        [str(n[0]) for n in nodes],
        np.array([float(n[1]) for n in nodes]),
        np.array([float(n[2]) for n in nodes]),
        np.array([index[str(e[0])] for e in edges], dtype=np.int64),
        np.array([index[str(e[1])] for e in edges], dtype=np.int64),
        np.array([float(e[2]) for e in edges]),
        np.array([float(table.get(str(e[3]), 30.0)) * _factor(e) for e in edges]),
        np.array([bool(e[4]) if len(e) > 4 else False for e in edges]),
        edge_class=[str(e[3]) for e in edges],
        require_connected=require_connected,
    )


def content_hash(nodes: list, edges: list) -> str:
    """The network module's content hash at the default speeds (node ids, coordinates, every edge)."""
    return build(nodes, edges).content_hash


_GRAPHS: dict[tuple[str, str], object] = {}


def graph_of(network: RoadNetwork, speeds: dict[str, float]):
    """The graph of a stored network at the given speeds, memoised per process (a few per worker)."""
    key = (network.content_hash, json.dumps({k: float(v) for k, v in speeds.items()}, sort_keys=True))
    graph = _GRAPHS.get(key)
    if graph is None:
        if len(_GRAPHS) >= 16:
            _GRAPHS.pop(next(iter(_GRAPHS)))
        graph = _GRAPHS[key] = build(network.nodes, network.edges, speeds)
    return graph


def snap(graph, lon: Sequence[float], lat: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """Nearest road node index (-1 beyond MAX_SNAP_KM) and distance in km for each point."""
    result = snap_points(
        graph, [Point(str(i), x, y) for i, (x, y) in enumerate(zip(lon, lat, strict=True))],
        MAX_SNAP_KM * 1000, raise_on_failure=False,
    )  # fmt: skip
    return result.node, result.distance_m / 1000.0


def unreachable_problem(
    network: RoadNetwork, lon: float, lat: float, *, place: str
) -> tuple[str, str] | None:
    """(zh, en) message if the point is farther than MAX_SNAP_KM from the network's roads, else None."""
    graph = graph_of(network, {})
    node, km = snap(graph, [lon], [lat])
    if node[0] < 0:
        dist = "∞" if not np.isfinite(km[0]) else f"{km[0]:.1f}"
        return (
            f"{place}:距最近道路 {dist} 公里,超过 {MAX_SNAP_KM:g} 公里,不在路网上",
            f"{place}: {dist} km from the nearest road (more than {MAX_SNAP_KM:g} km): not on the road network",
        )
    return None


def _points_key(points: Sequence[tuple[float, float]]) -> str:
    return ";".join(f"{lon:.6f},{lat:.6f}" for lon, lat in points)


def matrix(
    network: RoadNetwork,
    origins: Sequence[tuple[float, float]],
    destinations: Sequence[tuple[float, float]],
    speeds: dict[str, float],
    *,
    use_cache: bool = True,
) -> np.ndarray:
    """Minutes from each origin to each destination (inf where no path), free-flow speeds."""
    key = hashlib.sha256(
        "|".join(
            [
                network.content_hash,
                json.dumps(speeds, sort_keys=True),
                _points_key(origins),
                _points_key(destinations),
            ]
        ).encode()
    ).hexdigest()
    if use_cache:
        hit = TravelTimeCache.objects.filter(key=key).only("data", "rows", "cols").first()
        if hit is not None:
            return np.load(io.BytesIO(bytes(hit.data))).astype(float)
    result = _compute(network, origins, destinations, speeds)
    if use_cache and len(origins) and len(destinations):
        buffer = io.BytesIO()
        np.save(buffer, result.astype(np.float32))
        TravelTimeCache.objects.get_or_create(
            key=key,
            defaults=dict(network=network, network_hash=network.content_hash, rows=len(origins),
                          cols=len(destinations), data=buffer.getvalue()),
        )  # fmt: skip
    return result


def _compute(network, origins, destinations, speeds) -> np.ndarray:
    if not len(origins) or not len(destinations):
        return np.zeros((len(origins), len(destinations)))
    graph = graph_of(network, speeds)
    o_idx, o_km = snap(graph, [p[0] for p in origins], [p[1] for p in origins])
    d_idx, d_km = snap(graph, [p[0] for p in destinations], [p[1] for p in destinations])
    road = travel_time_matrix(graph, np.maximum(o_idx, 0), np.maximum(d_idx, 0))
    road[o_idx < 0, :] = np.inf
    road[:, d_idx < 0] = np.inf
    o_access = np.where(o_idx >= 0, o_km * DETOUR / ACCESS_SPEED_KMH * 60.0, np.inf)
    d_access = np.where(d_idx >= 0, d_km * DETOUR / ACCESS_SPEED_KMH * 60.0, np.inf)
    return o_access[:, None] + road + d_access[None, :]


def invalidate(network: RoadNetwork) -> int:
    """Drop cached matrices of the county's other network versions (after a network is saved)."""
    deleted, _ = (
        TravelTimeCache.objects.filter(network__region_id=network.region_id)
        .exclude(network_hash=network.content_hash)
        .delete()
    )
    return deleted
