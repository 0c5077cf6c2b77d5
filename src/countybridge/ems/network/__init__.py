"""EMS road network: pure library (numpy/scipy; no Django).

Interface used by the ems Django app and ems/siting:

- Build: `read_edges_csv(file, nodes=None, speeds=None)`, `read_edges_geojson(file)`,
  `read_osm_pbf(path) -> OsmNetwork(network, dropped)`, or `build_network(edges=[Edge...], nodes=[Node...])`
  / `build_network_arrays(...)`. Speeds per road class: `defaults.DEFAULT_SPEEDS_KMH`, overridable with
  ``speeds={...}`` or `load_speed_table(json_path)`.
- Validate: building raises `NetworkError` with `.problems` (each `NetworkProblem` has ``code``,
  ``place`` — the row/feature/node/point — ``message_zh``, ``message_en``); by default a disconnected graph
  is refused, naming each cut-off component (`RoadNetwork.validate_connected`).
- Snap: `snap_points(network, [Point(name, lon, lat)...], max_distance_m)` → `SnapResult(node, distance_m)`;
  a point with no road within the distance raises `NetworkError` (code ``not_snappable``) naming it.
- Matrix: `travel_time_matrix(network, sources, targets, limit=None)` → minutes (inf = unreachable), one
  compiled SciPy Dijkstra over all sources; `nearest_source` for multi-source nearest times.
- Cache key: `RoadNetwork.content_hash` (changes when any edge time, node or coordinate changes).
- Demo: `synthetic_county_network(code, lon, lat, seed=...)` → `SyntheticCounty(network, zone, towns,
  demand_weight)` with `.demand_points(n, seed)`, for the eight county cities (labelled synthetic).
"""

from .defaults import DEFAULT_SPEEDS_KMH, ROAD_CLASS_LABELS, load_speed_table, speed_table
from .errors import NetworkError, NetworkProblem
from .graph import (
    Edge,
    Node,
    RoadNetwork,
    build_network,
    build_network_arrays,
    haversine_m,
    keep_largest_component,
)
from .io import read_edges_csv, read_edges_geojson, read_nodes_csv
from .matrix import nearest_source, travel_time_matrix
from .osm import OsmNetwork, read_osm_pbf
from .snap import Point, SnapResult, snap_points
from .synthetic import COUNTY_TERRAIN, SyntheticCounty, TerrainProfile, synthetic_county_network

__all__ = [
    "COUNTY_TERRAIN",
    "SyntheticCounty",
    "TerrainProfile",
    "synthetic_county_network",
    "DEFAULT_SPEEDS_KMH",
    "ROAD_CLASS_LABELS",
    "Edge",
    "NetworkError",
    "NetworkProblem",
    "Node",
    "OsmNetwork",
    "Point",
    "RoadNetwork",
    "SnapResult",
    "build_network",
    "build_network_arrays",
    "haversine_m",
    "keep_largest_component",
    "load_speed_table",
    "nearest_source",
    "read_edges_csv",
    "read_edges_geojson",
    "read_nodes_csv",
    "read_osm_pbf",
    "snap_points",
    "speed_table",
    "travel_time_matrix",
]
