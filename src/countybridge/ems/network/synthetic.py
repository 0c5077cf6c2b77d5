"""Seeded synthetic road networks for the eight county cities (demo data only, labelled synthetic).

For a county centre (lon/lat passed in as plain numbers, e.g. from core.Region) the generator lays jittered
points over a square of about the county's area, thins them by terrain (plain dense, hills half, mountains
sparse), joins them by a Delaunay triangulation, keeps every edge of its minimum spanning tree (so the graph
is connected) plus a terrain-dependent share of the others, and assigns classes:

- an expressway from the centre toward Chengdu's core, national/provincial arterials toward the edges,
  county roads to township seats, and township/village roads elsewhere; mountain-zone local roads are
  class ``mountain`` (15 km/h, already a mountain speed);
- lengths are straight-line × a terrain detour factor (plain 1.2, hills 1.35, mountains 1.5; facts S41
  gives 1.6 overall); other classes' speeds are the class default × terrain factor (1.0, 0.9, 0.75)
  ⚠ assumptions.

Terrain shares and the direction of the mountains follow facts/chengdu.md § 5 (都江堰 NW 67% mountain, 彭州 N
50%, 大邑 W/NW 60.5%, 崇州 NW 38.4%, 邛崃 W/SW (share not found; 45% assumed ⚠), 蒲江 shallow hills 54%/22%,
金堂 hills 69%/21% low mountain (龙泉山), 简阳 hills 88%/8%). County areas are approximate ⚠.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra, minimum_spanning_tree
from scipy.spatial import Delaunay

from .defaults import speed_table
from .graph import RoadNetwork, build_network_arrays
from .snap import Point

CHENGDU_CORE = (104.0665, 30.5723)  # 天府广场 area, used only for the expressway's direction

PLAIN, HILL, MOUNTAIN = 0, 1, 2
ZONE_NAMES = ("plain", "hill", "mountain")
KEEP_POINT = (1.0, 0.55, 0.22)  # share of lattice points kept per zone
KEEP_EDGE = (0.75, 0.45, 0.12)  # share of non-tree Delaunay edges kept per zone
DETOUR = (1.2, 1.35, 1.5)
SPEED_FACTOR = (1.0, 0.9, 0.75)
DEMAND_WEIGHT = (1.0, 0.45, 0.12)  # relative population density per zone


@dataclass(frozen=True)
class TerrainProfile:
    name_zh: str
    area_km2: float  # approximate ⚠
    mountain_share: float
    hill_share: float
    mountain_bearing_deg: float  # compass bearing from the centre toward the mountains (0 = N, 90 = E)


COUNTY_TERRAIN: dict[str, TerrainProfile] = {
    "510181": TerrainProfile("都江堰市", 1208, 0.6724, 0.0, 315),
    "510182": TerrainProfile("彭州市", 1421, 0.50, 0.11, 0),
    "510129": TerrainProfile("大邑县", 1284, 0.605, 0.167, 290),
    "510184": TerrainProfile("崇州市", 1089, 0.384, 0.087, 315),
    "510183": TerrainProfile("邛崃市", 1377, 0.45, 0.15, 240),
    "510131": TerrainProfile("蒲江县", 583, 0.22, 0.54, 225),
    "510121": TerrainProfile("金堂县", 1154, 0.21, 0.686, 225),
    "510185": TerrainProfile("简阳市", 2213, 0.0776, 0.8813, 300),
}
MOUNTAIN_COUNTIES = ("510181", "510182", "510129", "510184", "510183")


@dataclass
class SyntheticCounty:
    """``network``; ``zone`` per node (0 plain, 1 hill, 2 mountain); ``towns`` (township seats, as snap
    points); ``demand_weight`` per node (relative population density, for drawing demand points)."""

    code: str
    network: RoadNetwork
    zone: np.ndarray
    towns: list[Point]
    demand_weight: np.ndarray

    def demand_points(self, n: int, seed: int = 0) -> list[Point]:
        """``n`` demand points at nodes drawn by density (plain > hills > mountains), named ``{code}-D{k}``."""
        rng = np.random.default_rng([seed, int(self.code), 7])
        p = self.demand_weight / self.demand_weight.sum()
        nodes = rng.choice(self.network.n_nodes, size=min(n, self.network.n_nodes), replace=False, p=p)
        net = self.network
        return [
            Point(f"{self.code}-D{k + 1}", float(net.lon[i]), float(net.lat[i])) for k, i in enumerate(nodes)
        ]


def _to_lonlat(x_km, y_km, lon0, lat0):
    return lon0 + x_km / (111.32 * math.cos(math.radians(lat0))), lat0 + y_km / 110.57


def _path_edges(pred: np.ndarray, target: int) -> list[tuple[int, int]]:
    out = []
    while pred[target] >= 0:
        out.append((int(pred[target]), int(target)))
        target = int(pred[target])
    return out


def synthetic_county_network(
    code: str,
    lon: float,
    lat: float,
    *,
    seed: int = 0,
    spacing_km: float = 1.3,
    profile: TerrainProfile | None = None,
    n_towns: int | None = None,
) -> SyntheticCounty:
    """A plausible connected road graph around (lon, lat) for county ``code`` (see the module docstring).

    ``profile`` overrides the built-in terrain for unknown codes; ``spacing_km`` is the plain-zone lattice
    spacing (smaller = more nodes). Same arguments and seed → identical network (and content hash).
    """
    prof = profile or COUNTY_TERRAIN.get(str(code))
    if prof is None:
        raise ValueError(f"no terrain profile for county {code}; pass profile=TerrainProfile(...)")
    rng = np.random.default_rng([int(seed), int(code)])
    half = math.sqrt(prof.area_km2) / 2
    ticks = np.arange(-half, half + 1e-9, spacing_km)
    gx, gy = np.meshgrid(ticks, ticks)
    xy = np.stack([gx.ravel(), gy.ravel()], axis=1) + rng.uniform(-0.35, 0.35, (gx.size, 2)) * spacing_km
    xy = np.vstack([[0.0, 0.0], xy[np.hypot(xy[:, 0], xy[:, 1]) > spacing_km * 0.4]])  # node 0 = centre
    bearing = math.radians(prof.mountain_bearing_deg)
    toward = xy @ np.array([math.sin(bearing), math.cos(bearing)]) + rng.normal(0, 0.08 * half, len(xy))
    order = np.argsort(-toward)
    zone = np.zeros(len(xy), dtype=np.int64)
    n_m = int(round(prof.mountain_share * len(xy)))
    n_h = int(round(prof.hill_share * len(xy)))
    zone[order[:n_m]] = MOUNTAIN
    zone[order[n_m : n_m + n_h]] = HILL
    zone[np.hypot(xy[:, 0], xy[:, 1]) < 3.0] = PLAIN  # the seat is in the valley/plain
    keep = rng.random(len(xy)) < np.take(KEEP_POINT, zone)
    keep[0] = True
    xy, zone = xy[keep], zone[keep]
    n = len(xy)

    tri = Delaunay(xy)
    s = tri.simplices
    pairs = np.vstack([s[:, [0, 1]], s[:, [1, 2]], s[:, [0, 2]]])
    pairs = np.unique(np.sort(pairs, axis=1), axis=0)
    dist = np.hypot(*(xy[pairs[:, 0]] - xy[pairs[:, 1]]).T)
    pairs, dist = pairs[dist < 4.5 * spacing_km * (1 + (zone[pairs].max(axis=1) == MOUNTAIN))], None
    dist = np.hypot(*(xy[pairs[:, 0]] - xy[pairs[:, 1]]).T)
    edge_zone = zone[pairs].max(axis=1)
    # minimum spanning tree over (jittered) lengths keeps the graph connected
    w = dist * rng.uniform(0.9, 1.1, len(dist))
    mst = minimum_spanning_tree(coo_matrix((w, (pairs[:, 0], pairs[:, 1])), shape=(n, n))).tocoo()
    in_tree = set(
        zip(np.minimum(mst.row, mst.col).tolist(), np.maximum(mst.row, mst.col).tolist(), strict=True)
    )
    tree_mask = np.array([(int(a), int(b)) in in_tree for a, b in pairs])
    keep_edge = tree_mask | (rng.random(len(pairs)) < np.take(KEEP_EDGE, edge_zone))
    # Any disconnected leftovers of the triangulation (long edges cut) are joined by the tree's forest;
    # join remaining forest components to the centre's component with their shortest link.
    pairs, dist, edge_zone = pairs[keep_edge], dist[keep_edge], edge_zone[keep_edge]
    length_graph = coo_matrix((dist, (pairs[:, 0], pairs[:, 1])), shape=(n, n)).tocsr()
    from_centre, pred = dijkstra(length_graph, directed=False, indices=0, return_predecessors=True)
    lost = np.flatnonzero(~np.isfinite(from_centre))
    if len(lost):  # drop nodes the cut triangulation left unreachable (rare, at the far edge)
        alive = np.isfinite(from_centre)
        remap = np.cumsum(alive) - 1
        ok = alive[pairs[:, 0]] & alive[pairs[:, 1]]
        pairs, dist, edge_zone = remap[pairs[ok]], dist[ok], edge_zone[ok]
        xy, zone = xy[alive], zone[alive]
        n = len(xy)
        length_graph = coo_matrix((dist, (pairs[:, 0], pairs[:, 1])), shape=(n, n)).tocsr()
        from_centre, pred = dijkstra(length_graph, directed=False, indices=0, return_predecessors=True)

    table = speed_table()
    cls = np.array(
        ["township" if z == PLAIN else "village" if z == HILL else "mountain" for z in edge_zone],
        dtype=object,
    )
    cls[(edge_zone == PLAIN) & (rng.random(len(cls)) < 0.35)] = "village"
    r = np.hypot(xy[:, 0], xy[:, 1])
    urban = (r[pairs[:, 0]] < 3.0) & (r[pairs[:, 1]] < 3.0)
    cls[urban] = "urban"
    edge_pos = {(int(a), int(b)): k for k, (a, b) in enumerate(pairs)}

    def mark(edges, name, rank):
        for a, b in edges:
            k = edge_pos.get((min(a, b), max(a, b)))
            if k is not None and ROAD_RANK[cls[k]] < rank:
                cls[k] = name

    # towns: township seats spread over the county, plain-biased
    n_towns = n_towns or max(6, int(prof.area_km2 / 110))
    weights = np.take(DEMAND_WEIGHT, zone) * (r > 4.0)
    towns_idx = rng.choice(
        n, size=min(n_towns, int((weights > 0).sum())), replace=False, p=weights / weights.sum()
    )
    for t in towns_idx:
        mark(_path_edges(pred, int(t)), "county", ROAD_RANK["county"])
    # arterials toward six boundary directions, provincial; two of them national
    for j, ang in enumerate(np.linspace(0, 2 * math.pi, 6, endpoint=False) + rng.uniform(0, 1)):
        far = int(np.argmax(xy @ np.array([math.cos(ang), math.sin(ang)]) - 0.3 * r))
        mark(
            _path_edges(pred, far),
            "national" if j % 3 == 0 else "provincial",
            ROAD_RANK["provincial"] + (j % 3 == 0),
        )
    # expressway toward Chengdu's core (not into mountains)
    dx, dy = CHENGDU_CORE[0] - lon, CHENGDU_CORE[1] - lat
    d = np.array([dx * math.cos(math.radians(lat)), dy])
    d = d / (np.linalg.norm(d) or 1.0)
    score = xy @ d - 0.5 * np.abs(xy @ np.array([-d[1], d[0]])) - 100.0 * (zone == MOUNTAIN)
    mark(_path_edges(pred, int(np.argmax(score))), "expressway", ROAD_RANK["expressway"])

    factor = np.take(SPEED_FACTOR, edge_zone)
    speeds = np.array([table[c] for c in cls]) * np.where(
        (cls == "expressway") | (cls == "mountain"), 1.0, factor
    )
    length_m = dist * 1000.0 * np.take(DETOUR, edge_zone) * np.where(cls == "expressway", 1.1 / 1.2, 1.0)
    lon_n, lat_n = _to_lonlat(xy[:, 0], xy[:, 1], lon, lat)
    net = build_network_arrays(
        [f"{code}-n{i}" for i in range(n)],
        np.round(lon_n, 7),
        np.round(lat_n, 7),
        pairs[:, 0],
        pairs[:, 1],
        np.round(length_m, 1),
        np.round(speeds, 3),
        None,
        edge_class=[str(c) for c in cls],
        edge_place=[f"synthetic edge {k + 1}" for k in range(len(pairs))],
        require_connected=True,
    )
    towns = [
        Point(f"{prof.name_zh} 镇{k + 1}", float(net.lon[i]), float(net.lat[i]))
        for k, i in enumerate(towns_idx)
    ]
    towns.insert(0, Point(f"{prof.name_zh} 城区", float(net.lon[0]), float(net.lat[0])))
    weight = np.take(DEMAND_WEIGHT, zone) * (1 + 4 * np.exp(-((r / 3.0) ** 2)))  # the seat is dense
    return SyntheticCounty(code=str(code), network=net, zone=zone, towns=towns, demand_weight=weight)


ROAD_RANK = {
    "mountain": 0,
    "village": 1,
    "township": 2,
    "urban": 3,
    "county": 4,
    "provincial": 5,
    "national": 6,
    "expressway": 7,
}
