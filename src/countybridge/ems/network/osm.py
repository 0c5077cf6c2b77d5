"""OpenStreetMap ``.osm.pbf`` → `RoadNetwork`, parsed with pyrosm (drivable ways split at intersections).

Speeds come from the OSM ``highway`` class (OSRM car profile, `defaults.DEFAULT_SPEEDS_KMH`); a numeric
``maxspeed`` tag is used only when ``use_maxspeed`` is True (it is a legal limit, not a travel speed, and
ambulances are exempt: facts § 4). Classes missing from the speed table fall back to ``road`` (25 km/h).
``oneway=yes/1/true`` is one way, ``-1`` one way against the drawing direction. Extracts clipped to a box
leave fragments, so by default only the largest strongly connected part is kept (`OsmNetwork.dropped`
lists the rest).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .defaults import speed_table
from .errors import BAD_FILE, NetworkError, problem
from .graph import RoadNetwork, build_network_arrays, keep_largest_component


@dataclass
class OsmNetwork:
    network: RoadNetwork
    dropped: list[str]  # node ids outside the largest strongly connected component


def _maxspeed(value) -> float:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return math.nan
    m = re.match(r"\s*(\d+(?:\.\d+)?)\s*(mph)?", str(value))
    if not m:
        return math.nan
    x = float(m.group(1))
    return x * 1.609344 if m.group(2) else x


def read_osm_pbf(
    path: str | Path,
    *,
    bounding_box: Sequence[float] | None = None,
    speeds: Mapping[str, float] | None = None,
    use_maxspeed: bool = False,
    keep_largest: bool = True,
) -> OsmNetwork:
    """Read drivable roads from ``path`` (optionally clipped to ``[minlon, minlat, maxlon, maxlat]``)."""
    import pyrosm  # imported here: heavy (geopandas), only needed for OSM files

    path = Path(path)
    if not path.exists():
        raise NetworkError([problem(BAD_FILE, str(path.name), "文件不存在", "file does not exist")])
    try:
        osm = pyrosm.OSM(str(path), bounding_box=list(bounding_box) if bounding_box is not None else None)
        got = osm.get_network(network_type="driving", nodes=True)
    except Exception as exc:  # pyrosm raises assorted errors on corrupt input
        raise NetworkError(
            [problem(BAD_FILE, path.name, f"无法读取 OSM 文件：{exc}", f"cannot read the OSM file: {exc}")]
        ) from exc
    if got is None or got[1] is None or len(got[1]) == 0:
        raise NetworkError(
            [problem(BAD_FILE, path.name, "文件中没有可通行车辆的道路", "the file has no drivable roads")]
        )
    nodes, edges = got
    table = speed_table(speeds)
    node_ids = nodes["id"].astype(np.int64).to_numpy()
    index = {int(n): i for i, n in enumerate(node_ids)}
    u = np.fromiter((index[int(x)] for x in edges["u"]), dtype=np.int64, count=len(edges))
    v = np.fromiter((index[int(x)] for x in edges["v"]), dtype=np.int64, count=len(edges))
    highway = [str(h).lower() if h is not None else "road" for h in edges["highway"]]
    cls = [h if h in table else "road" for h in highway]
    speed = np.array([table[c] for c in cls], dtype=float)
    if use_maxspeed and "maxspeed" in edges:
        tagged = np.array([_maxspeed(x) for x in edges["maxspeed"]])
        ok = np.isfinite(tagged) & (tagged > 0)
        speed[ok] = tagged[ok]
    oneway_tag = [
        str(x).strip().lower() if x is not None else "" for x in edges.get("oneway", [None] * len(edges))
    ]
    oneway = np.array([t in ("yes", "1", "true", "-1") for t in oneway_tag], dtype=bool)
    reverse = np.array([t == "-1" for t in oneway_tag], dtype=bool)
    u2 = np.where(reverse, v, u)
    v2 = np.where(reverse, u, v)
    length = np.maximum(edges["length"].to_numpy(dtype=float), 0.1)  # pyrosm gives metres; avoid zero
    network = build_network_arrays(
        [str(n) for n in node_ids],
        nodes["lon"].to_numpy(dtype=float),
        nodes["lat"].to_numpy(dtype=float),
        u2,
        v2,
        length,
        speed,
        oneway,
        edge_class=cls,
        edge_place=[f"way {w}" for w in edges["id"]],
        require_connected=False,
    )
    dropped: list[str] = []
    if keep_largest:
        network, dropped = keep_largest_component(network)
    return OsmNetwork(network=network, dropped=dropped)
