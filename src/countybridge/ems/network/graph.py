"""The road graph: nodes with lon/lat, directed travel-time edges in a SciPy CSR matrix, a content hash.

Build one with `build_network` (records: `Node`, `Edge`, validated with bilingual errors naming each bad
row/feature) or `build_network_arrays` (numpy arrays, for large generated graphs). Two-way edges are stored in
both directions; parallel edges keep the fastest. Weights are minutes = length_m / (speed_kmh / 60 * 1000).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from .defaults import speed_table
from .errors import (
    BAD_COORDINATE,
    BAD_LENGTH,
    BAD_SPEED,
    DISCONNECTED,
    EMPTY_NETWORK,
    UNKNOWN_NODE,
    UNKNOWN_ROAD_CLASS,
    NetworkError,
    NetworkProblem,
    problem,
)

EARTH_RADIUS_M = 6_371_008.8


@dataclass(frozen=True)
class Node:
    """A graph node: ``id`` as the source names it; lon/lat in degrees (None when unknown)."""

    id: str
    lon: float | None = None
    lat: float | None = None
    place: str = ""


@dataclass(frozen=True)
class Edge:
    """One road segment from ``u`` to ``v`` (node ids).

    ``length_m`` may be None when both nodes have coordinates (then the straight-line length is used);
    ``speed_kmh`` None means the road class default; ``oneway`` True means only u → v is allowed.
    ``speed_kmh``/``length_m`` may be raw strings from a file: they are checked here. ``place`` names the
    source row/feature for errors (e.g. "row 7", "feature 3").
    """

    u: str
    v: str
    road_class: str
    length_m: float | str | None = None
    speed_kmh: float | str | None = None
    oneway: bool = False
    place: str = ""
    edge_id: str = ""


def haversine_m(lon1, lat1, lon2, lat2):
    """Great-circle distance in metres (numpy-broadcasting)."""
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(a, dtype=float)) for a in (lon1, lat1, lon2, lat2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.minimum(a, 1.0)))


@dataclass(eq=False)
class RoadNetwork:
    """An immutable road graph.

    Attributes:
        node_ids: node ids (str), position = node index used by every array and matrix.
        lon, lat: float arrays (NaN where unknown; such nodes route but cannot be snapped to).
        edge_u, edge_v: int arrays of node indices, one row per input edge (before doubling two-way edges).
        edge_length_m, edge_speed_kmh: float arrays; edge_oneway: bool array; edge_class: list[str];
        edge_place: list[str] (source row/feature per edge, for messages).
        graph: directed ``csr_matrix`` (n × n) of travel minutes.
    """

    node_ids: list[str]
    lon: np.ndarray
    lat: np.ndarray
    edge_u: np.ndarray
    edge_v: np.ndarray
    edge_length_m: np.ndarray
    edge_speed_kmh: np.ndarray
    edge_oneway: np.ndarray
    edge_class: list[str]
    edge_place: list[str]
    graph: csr_matrix = field(repr=False)

    @property
    def n_nodes(self) -> int:
        return len(self.node_ids)

    @property
    def n_edges(self) -> int:
        return len(self.edge_u)

    @cached_property
    def index(self) -> dict[str, int]:
        return {node_id: i for i, node_id in enumerate(self.node_ids)}

    def node_index(self, ids: str | Iterable[str]) -> int | np.ndarray:
        """Index of one node id, or an int array for many; raises NetworkError naming unknown ids."""
        if isinstance(ids, str):
            return int(self._indices([ids])[0])
        return self._indices(list(ids))

    def _indices(self, ids: Sequence[str]) -> np.ndarray:
        index = self.index
        missing = [i for i in ids if i not in index]
        if missing:
            raise NetworkError(
                [
                    problem(
                        UNKNOWN_NODE, f"node {m}", "路网中没有这个节点", "no such node in the road network", m
                    )
                    for m in missing
                ]
            )
        return np.fromiter((index[i] for i in ids), dtype=np.int64, count=len(ids))

    @cached_property
    def content_hash(self) -> str:
        """SHA-256 of what determines travel times and snapping (node ids and coordinates, every directed
        edge's minutes), independent of input row order. Cache matrices under this key."""
        order = np.argsort(np.asarray(self.node_ids, dtype=object).astype(str), kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        coo = self.graph.tocoo()
        g = csr_matrix((coo.data, (rank[coo.row], rank[coo.col])), shape=self.graph.shape)
        g.sort_indices()
        h = hashlib.sha256(b"countybridge.ems.network/1\n")
        for i in order:
            h.update(self.node_ids[i].encode("utf-8") + b"\x00")
        coords = np.stack([self.lon[order], self.lat[order]], axis=1)
        h.update(np.where(np.isnan(coords), -1e12, np.round(coords * 1e7)).astype(np.int64).tobytes())
        h.update(g.indptr.astype(np.int64).tobytes())
        h.update(g.indices.astype(np.int64).tobytes())
        h.update(np.round(g.data * 1e6).astype(np.int64).tobytes())  # microminute resolution
        return h.hexdigest()

    def components(self) -> tuple[int, np.ndarray]:
        """(count, label per node) of strongly connected components (both directions reachable)."""
        return connected_components(self.graph, directed=True, connection="strong")

    def connectivity_problems(self, max_listed: int = 10, max_components: int = 50) -> list[NetworkProblem]:
        """One problem per component outside the largest strongly connected one (largest first, at most
        ``max_components``, then one summary problem), naming its nodes (first ``max_listed``) and up to
        three source rows of edges in it."""
        n, labels = self.components()
        if n <= 1:
            return []
        sizes = np.bincount(labels)
        main = int(np.argmax(sizes))
        _, weak = connected_components(self.graph, directed=True, connection="weak")
        main_weak = weak[np.flatnonzero(labels == main)[0]]
        edge_label = labels[self.edge_u]
        problems = []
        others = [int(c) for c in np.argsort(-sizes, kind="stable") if c != main]
        for comp in others[:max_components]:
            members = np.flatnonzero(labels == comp)
            names = ", ".join(self.node_ids[i] for i in members[:max_listed])
            more = f" …(+{len(members) - max_listed})" if len(members) > max_listed else ""
            rows = [self.edge_place[j] for j in np.flatnonzero(edge_label == comp)[:3] if self.edge_place[j]]
            where = f" [{', '.join(rows)}]" if rows else ""
            place = f"component of {len(members)} node(s): {names}{more}{where}"
            if weak[members[0]] == main_weak:
                zh = "这些节点与主路网之间只能单向通行（单行道），救护车无法往返"
                en = "these nodes are joined to the main network only one way (one-way roads); ambulances cannot go and return"
            else:
                zh = "这些节点与主路网不连通，无法到达或从主路网到达"
                en = "these nodes are not connected to the main road network and cannot reach or be reached from it"
            problems.append(problem(DISCONNECTED, place, zh, en, names))
        if len(others) > max_components:
            rest = others[max_components:]
            count = int(sizes[rest].sum())
            problems.append(
                problem(
                    DISCONNECTED,
                    f"{len(rest)} more component(s), {count} node(s)",
                    f"另有 {len(rest)} 个不连通部分（共 {count} 个节点）",
                    f"{len(rest)} more disconnected component(s) ({count} nodes)",
                    str(len(rest)),
                )
            )
        return problems

    def validate_connected(self) -> None:
        """Raise NetworkError (code ``disconnected``) naming every component cut off from the main one."""
        problems = self.connectivity_problems()
        if problems:
            raise NetworkError(problems)

    def with_speeds(self, overrides: Mapping[str, float]) -> RoadNetwork:
        """A copy where every edge of the given road classes gets the given speed (km/h)."""
        speeds = self.edge_speed_kmh.copy()
        for cls, value in overrides.items():
            mask = np.asarray([c == cls for c in self.edge_class])
            speeds[mask] = float(value)
        return self.with_edge_speeds(speeds)

    def with_edge_speeds(self, speeds_kmh: np.ndarray) -> RoadNetwork:
        """A copy with a new speed per edge (same order as ``edge_u``)."""
        return build_network_arrays(
            self.node_ids,
            self.lon,
            self.lat,
            self.edge_u,
            self.edge_v,
            self.edge_length_m,
            np.asarray(speeds_kmh, dtype=float),
            self.edge_oneway,
            edge_class=self.edge_class,
            edge_place=self.edge_place,
            require_connected=False,
        )

    # Convenience wrappers (implemented in sibling modules)
    def travel_time_matrix(self, sources, targets=None, *, limit: float | None = None) -> np.ndarray:
        from .matrix import travel_time_matrix

        return travel_time_matrix(self, sources, targets, limit=limit)

    def snap(self, points, max_distance_m: float, *, raise_on_failure: bool = True):
        from .snap import snap_points

        return snap_points(self, points, max_distance_m, raise_on_failure=raise_on_failure)


def build_network_arrays(
    node_ids: Sequence[str],
    lon: np.ndarray,
    lat: np.ndarray,
    edge_u: np.ndarray,
    edge_v: np.ndarray,
    length_m: np.ndarray,
    speed_kmh: np.ndarray,
    oneway: np.ndarray | None = None,
    *,
    edge_class: Sequence[str] | None = None,
    edge_place: Sequence[str] | None = None,
    require_connected: bool = True,
) -> RoadNetwork:
    """Fast path from already-validated arrays (lengths and speeds must be positive and finite)."""
    node_ids = [str(i) for i in node_ids]
    n = len(node_ids)
    if n == 0 or len(edge_u) == 0:
        raise NetworkError(
            [
                problem(
                    EMPTY_NETWORK, "network", "路网没有节点或道路", "the road network has no nodes or roads"
                )
            ]
        )
    u = np.asarray(edge_u, dtype=np.int64)
    v = np.asarray(edge_v, dtype=np.int64)
    length_m = np.asarray(length_m, dtype=float)
    speed_kmh = np.asarray(speed_kmh, dtype=float)
    oneway = np.zeros(len(u), dtype=bool) if oneway is None else np.asarray(oneway, dtype=bool)
    minutes = length_m / (speed_kmh * 1000.0 / 60.0)
    two = ~oneway
    rows = np.concatenate([u, v[two]])
    cols = np.concatenate([v, u[two]])
    data = np.concatenate([minutes, minutes[two]])
    keep = rows != cols  # self-loops never shorten a path
    rows, cols, data = rows[keep], cols[keep], data[keep]
    # parallel edges: keep the fastest (csr_matrix would otherwise sum duplicates)
    order = np.lexsort((data, cols, rows))
    rows, cols, data = rows[order], cols[order], data[order]
    first = np.ones(len(rows), dtype=bool)
    first[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
    graph = csr_matrix((data[first], (rows[first], cols[first])), shape=(n, n))
    network = RoadNetwork(
        node_ids=node_ids,
        lon=np.asarray(lon, dtype=float),
        lat=np.asarray(lat, dtype=float),
        edge_u=u,
        edge_v=v,
        edge_length_m=length_m,
        edge_speed_kmh=speed_kmh,
        edge_oneway=oneway,
        edge_class=list(edge_class) if edge_class is not None else ["" for _ in range(len(u))],
        edge_place=list(edge_place) if edge_place is not None else ["" for _ in range(len(u))],
        graph=graph,
    )
    if require_connected:
        network.validate_connected()
    return network


def _number(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        if value == "":
            return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return math.nan
    return x


def build_network(
    edges: Iterable[Edge],
    nodes: Iterable[Node] | None = None,
    *,
    speeds: Mapping[str, float] | None = None,
    require_connected: bool = True,
    strict_nodes: bool | None = None,
) -> RoadNetwork:
    """Validate edge records and build the graph.

    Every problem is collected, then one `NetworkError` is raised naming each place: unknown road class,
    non-numeric / non-positive / non-finite speed, bad or missing length (when coordinates cannot supply
    it), bad coordinates, an edge naming a node absent from an explicit ``nodes`` list, and (when
    ``require_connected``) every component cut off from the main network.

    ``speeds`` overrides the default class speeds (`defaults.speed_table`). Nodes not listed in ``nodes``
    are created from the edges (without coordinates) unless ``nodes`` is given, in which case they are errors
    (``strict_nodes=False`` allows them even then).
    """
    table = speed_table(speeds)
    problems: list[NetworkProblem] = []
    ids: list[str] = []
    index: dict[str, int] = {}
    lon: list[float] = []
    lat: list[float] = []
    if strict_nodes is None:
        strict_nodes = nodes is not None
    for node in nodes or ():
        place = node.place or f"node {node.id}"
        x, y = _number(node.lon), _number(node.lat)
        if (
            x is None
            or y is None
            or not (math.isfinite(x) and math.isfinite(y))
            or not (-180 <= x <= 180 and -90 <= y <= 90)
        ):
            if x is not None or y is not None:
                problems.append(
                    problem(
                        BAD_COORDINATE,
                        place,
                        f"坐标无效（经度 {node.lon}，纬度 {node.lat}）",
                        f"invalid coordinates (lon {node.lon}, lat {node.lat})",
                        f"{node.lon},{node.lat}",
                    )
                )
            x = y = math.nan
        key = str(node.id)
        if key in index:
            i = index[key]
            lon[i], lat[i] = x, y
            continue
        index[key] = len(ids)
        ids.append(key)
        lon.append(x)
        lat.append(y)

    eu: list[int] = []
    ev: list[int] = []
    elen: list[float] = []
    espeed: list[float] = []
    eone: list[bool] = []
    ecls: list[str] = []
    eplace: list[str] = []
    for k, edge in enumerate(edges):
        place = edge.place or f"edge {edge.edge_id or k + 1}"
        ok = True
        cls = (edge.road_class or "").strip().lower()
        default_speed = table.get(cls)
        if default_speed is None:
            known = ", ".join(sorted(table))
            problems.append(
                problem(
                    UNKNOWN_ROAD_CLASS,
                    place,
                    f"未知道路等级“{edge.road_class}”（可用：{known}）",
                    f"unknown road class '{edge.road_class}' (known: {known})",
                    edge.road_class,
                )
            )
            ok = False
        speed = _number(edge.speed_kmh)
        if speed is None:
            speed = default_speed
        elif not math.isfinite(speed) or speed <= 0:
            problems.append(
                problem(
                    BAD_SPEED,
                    place,
                    f"车速“{edge.speed_kmh}”必须是大于 0 的数字（公里/小时）",
                    f"speed '{edge.speed_kmh}' must be a number greater than 0 (km/h)",
                    edge.speed_kmh,
                )
            )
            ok = False
        ends = []
        for end in (edge.u, edge.v):
            key = str(end).strip()
            if key == "":
                problems.append(
                    problem(UNKNOWN_NODE, place, "缺少起点或终点节点", "missing from/to node", "")
                )
                ok = False
                continue
            if key not in index:
                if strict_nodes:
                    problems.append(
                        problem(
                            UNKNOWN_NODE,
                            place,
                            f"节点“{key}”不在节点表中",
                            f"node '{key}' is not in the node list",
                            key,
                        )
                    )
                    ok = False
                    continue
                index[key] = len(ids)
                ids.append(key)
                lon.append(math.nan)
                lat.append(math.nan)
            ends.append(index[key])
        length = _number(edge.length_m)
        if length is None and len(ends) == 2:
            a, b = ends
            if all(math.isfinite(c) for c in (lon[a], lat[a], lon[b], lat[b])):
                length = float(haversine_m(lon[a], lat[a], lon[b], lat[b]))
            else:
                problems.append(
                    problem(
                        BAD_LENGTH,
                        place,
                        "缺少长度，且节点没有坐标无法计算",
                        "length is missing and the nodes have no coordinates to compute it",
                        "",
                    )
                )
                ok = False
        if length is not None and (not math.isfinite(length) or length <= 0):
            problems.append(
                problem(
                    BAD_LENGTH,
                    place,
                    f"长度“{edge.length_m}”必须是大于 0 的数字（米）",
                    f"length '{edge.length_m}' must be a number greater than 0 (metres)",
                    edge.length_m if edge.length_m is not None else length,
                )
            )
            ok = False
        if not ok:
            continue
        eu.append(ends[0])
        ev.append(ends[1])
        elen.append(float(length))
        espeed.append(float(speed))
        eone.append(bool(edge.oneway))
        ecls.append(cls)
        eplace.append(place)
    if problems:
        raise NetworkError(problems)
    return build_network_arrays(
        ids,
        np.asarray(lon, dtype=float),
        np.asarray(lat, dtype=float),
        np.asarray(eu, dtype=np.int64),
        np.asarray(ev, dtype=np.int64),
        np.asarray(elen),
        np.asarray(espeed),
        np.asarray(eone, dtype=bool),
        edge_class=ecls,
        edge_place=eplace,
        require_connected=require_connected,
    )


def keep_largest_component(network: RoadNetwork) -> tuple[RoadNetwork, list[str]]:
    """The largest strongly connected part of ``network`` and the ids of the nodes dropped (for OSM extracts,
    whose clipping leaves fragments; user-supplied networks are validated instead)."""
    n, labels = network.components()
    if n <= 1:
        return network, []
    main = int(np.argmax(np.bincount(labels)))
    keep = labels == main
    new_index = np.full(network.n_nodes, -1, dtype=np.int64)
    new_index[keep] = np.arange(int(keep.sum()))
    edges = keep[network.edge_u] & keep[network.edge_v]
    sub = build_network_arrays(
        [network.node_ids[i] for i in np.flatnonzero(keep)],
        network.lon[keep],
        network.lat[keep],
        new_index[network.edge_u[edges]],
        new_index[network.edge_v[edges]],
        network.edge_length_m[edges],
        network.edge_speed_kmh[edges],
        network.edge_oneway[edges],
        edge_class=[c for c, k in zip(network.edge_class, edges, strict=True) if k],
        edge_place=[c for c, k in zip(network.edge_place, edges, strict=True) if k],
        require_connected=False,
    )
    return sub, [network.node_ids[i] for i in np.flatnonzero(~keep)]
