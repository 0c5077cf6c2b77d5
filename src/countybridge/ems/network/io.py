"""Readers for edge lists: CSV (one road segment per row) and GeoJSON (LineString features).

CSV columns (header names are case-insensitive; aliases in brackets):

- required: ``from`` [u, source, from_node], ``to`` [v, target, to_node], ``road_class`` [class, highway];
- length: ``length_m`` or ``length_km``; may be omitted when coordinates are given (straight-line length);
- optional: ``speed_kmh`` [speed] (blank = class default), ``oneway`` (1/true/yes/是; -1 = reversed),
  ``id``, and coordinates ``from_lon``, ``from_lat``, ``to_lon``, ``to_lat``.

A node CSV (``id``, ``lon``, ``lat``) may be given instead of coordinate columns.

GeoJSON: a FeatureCollection of LineString (or MultiLineString) features with properties ``road_class``
[class, highway, fclass], optional ``speed_kmh`` [speed, maxspeed], ``oneway``, ``length_m`` (default: the
length along the line), and optional ``from``/``to`` node ids; without ids the end coordinates (rounded to
1e-6°, about 0.1 m) identify the nodes, so lines that share an end point are joined.

Errors name the CSV row (``row N`` counts the header as row 1, as a spreadsheet shows it) or the feature
(``feature N (id=…)``).
"""

from __future__ import annotations

import csv
import io as _io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import IO

import numpy as np

from .errors import BAD_FILE, BAD_GEOMETRY, MISSING_COLUMNS, NetworkError, NetworkProblem, problem
from .graph import Edge, Node, RoadNetwork, build_network, haversine_m

ALIASES = {
    "from": ("from", "u", "source", "from_node", "from_id"),
    "to": ("to", "v", "target", "to_node", "to_id"),
    "road_class": ("road_class", "class", "highway", "fclass"),
    "speed_kmh": ("speed_kmh", "speed", "maxspeed"),
    "length_m": ("length_m", "length"),
    "length_km": ("length_km",),
    "oneway": ("oneway", "one_way"),
    "id": ("id", "edge_id", "osm_id"),
    "from_lon": ("from_lon", "from_lng", "from_x"),
    "from_lat": ("from_lat", "from_y"),
    "to_lon": ("to_lon", "to_lng", "to_x"),
    "to_lat": ("to_lat", "to_y"),
}
TRUE = {"1", "true", "yes", "y", "t", "是", "单向"}
FALSE = {"", "0", "false", "no", "n", "f", "否", "双向"}


def _open_text(source: str | Path | IO | bytes) -> str:
    if isinstance(source, bytes):
        return source.decode("utf-8-sig")
    if hasattr(source, "read"):
        data = source.read()
        return data.decode("utf-8-sig") if isinstance(data, bytes) else data.lstrip("\ufeff")
    return Path(source).read_text(encoding="utf-8-sig")


def _columns(header: list[str], wanted: Mapping[str, tuple[str, ...]]) -> dict[str, int]:
    lower = [h.strip().lower() for h in header]
    found = {}
    for key, names in wanted.items():
        for name in names:
            if name in lower:
                found[key] = lower.index(name)
                break
    return found


def parse_oneway(value, place: str) -> tuple[bool, bool, NetworkProblem | None]:
    """(oneway, reversed, problem) from a cell or property."""
    if value is None or isinstance(value, bool):
        return bool(value), False, None
    text = str(value).strip().lower()
    if text in ("-1", "reverse"):
        return True, True, None
    if text in TRUE:
        return True, False, None
    if text in FALSE:
        return False, False, None
    return (
        False,
        False,
        problem(
            "bad_oneway",
            place,
            f"单行标记“{value}”无法识别（用 1/0、是/否 或 -1）",
            f"oneway value '{value}' not understood (use 1/0, yes/no or -1)",
            value,
        ),
    )


def read_nodes_csv(source) -> list[Node]:
    """Nodes from a CSV with ``id``, ``lon``, ``lat`` columns (errors name the row)."""
    rows = list(csv.reader(_io.StringIO(_open_text(source))))
    if not rows:
        raise NetworkError([problem(BAD_FILE, "file", "节点文件为空", "the node file is empty")])
    cols = _columns(
        rows[0],
        {
            "id": ("id", "node", "node_id"),
            "lon": ("lon", "lng", "x", "longitude"),
            "lat": ("lat", "y", "latitude"),
        },
    )
    missing = [c for c in ("id", "lon", "lat") if c not in cols]
    if missing:
        raise NetworkError([_missing("header (row 1)", missing)])
    out = []
    for r, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        id_, lon, lat = (_cell(row, cols.get(k)) or "" for k in ("id", "lon", "lat"))
        out.append(Node(id=id_, lon=lon or None, lat=lat or None, place=f"row {r}"))
    return out


def _cell(row: list[str], i: int | None) -> str | None:
    return row[i].strip() if i is not None and i < len(row) else None


def _missing(place: str, missing: list[str]) -> NetworkProblem:
    names = ", ".join(missing)
    return problem(
        MISSING_COLUMNS, place, f"缺少必需的列：{names}", f"missing required column(s): {names}", names
    )


def read_edges_csv(
    source,
    nodes: list[Node] | str | Path | IO | None = None,
    *,
    speeds: Mapping[str, float] | None = None,
    require_connected: bool = True,
) -> RoadNetwork:
    """Build a `RoadNetwork` from an edge CSV (path, text stream or bytes); see the module docstring."""
    text = _open_text(source)
    rows = list(csv.reader(_io.StringIO(text)))
    if not rows:
        raise NetworkError([problem(BAD_FILE, "file", "道路文件为空", "the road file is empty")])
    cols = _columns(rows[0], ALIASES)
    missing = [c for c in ("from", "to", "road_class") if c not in cols]
    coord_cols = ("from_lon", "from_lat", "to_lon", "to_lat")
    has_coords = all(c in cols for c in coord_cols)
    if "length_m" not in cols and "length_km" not in cols and not has_coords and nodes is None:
        missing.append("length_m (or length_km, or from_lon/from_lat/to_lon/to_lat)")
    if missing:
        raise NetworkError([_missing("header (row 1)", missing)])
    node_list: list[Node] | None = None
    if nodes is not None:
        node_list = nodes if isinstance(nodes, list) else read_nodes_csv(nodes)
    coord_nodes: dict[str, Node] = {}
    edges: list[Edge] = []
    problems: list[NetworkProblem] = []
    for r, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        place = f"row {r}"

        def cell(key: str, row=row) -> str | None:
            return _cell(row, cols.get(key))

        u, v = cell("from") or "", cell("to") or ""
        length = cell("length_m")
        if (length is None or length == "") and cell("length_km") not in (None, ""):
            try:
                length = float(cell("length_km")) * 1000.0
            except ValueError:
                length = cell("length_km")
        oneway, reverse, bad = parse_oneway(cell("oneway"), place)
        if bad:
            problems.append(bad)
            continue
        if has_coords:
            for end, lo, la in ((u, "from_lon", "from_lat"), (v, "to_lon", "to_lat")):
                if end and cell(lo) and cell(la) and end not in coord_nodes:
                    coord_nodes[end] = Node(id=end, lon=cell(lo), lat=cell(la), place=place)
        if reverse:
            u, v = v, u
        edges.append(
            Edge(
                u=u,
                v=v,
                road_class=cell("road_class") or "",
                length_m=length if length != "" else None,
                speed_kmh=cell("speed_kmh"),
                oneway=oneway,
                place=place,
                edge_id=cell("id") or "",
            )
        )
    all_nodes = node_list
    if coord_nodes:
        all_nodes = list(coord_nodes.values()) + (node_list or [])
    return build_network(
        edges,
        all_nodes,
        speeds=speeds,
        require_connected=require_connected,
        strict_nodes=node_list is not None,
    )


def _coord_id(lon: float, lat: float) -> str:
    return f"{lon:.6f},{lat:.6f}"


def read_edges_geojson(
    source,
    *,
    speeds: Mapping[str, float] | None = None,
    require_connected: bool = True,
) -> RoadNetwork:
    """Build a `RoadNetwork` from a GeoJSON FeatureCollection (path, stream, bytes or an already-parsed
    dict); see the module docstring."""
    if isinstance(source, Mapping):
        data = source
    else:
        try:
            data = json.loads(_open_text(source))
        except json.JSONDecodeError as exc:
            raise NetworkError(
                [problem(BAD_FILE, "file", f"不是有效的 GeoJSON：{exc}", f"not valid GeoJSON: {exc}")]
            ) from exc
    if (
        not isinstance(data, Mapping)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise NetworkError(
            [
                problem(
                    BAD_FILE,
                    "file",
                    "需要 GeoJSON FeatureCollection",
                    "a GeoJSON FeatureCollection is required",
                )
            ]
        )
    nodes: dict[str, Node] = {}
    edges: list[Edge] = []
    problems: list[NetworkProblem] = []
    for k, feature in enumerate(data["features"]):
        props = (feature or {}).get("properties") or {}
        fid = (feature or {}).get("id") or props.get("id") or props.get("name")
        place = f"feature {k + 1}" + (f" (id={fid})" if fid not in (None, "") else "")
        geom = (feature or {}).get("geometry") or {}
        if geom.get("type") == "LineString":
            parts = [geom.get("coordinates")]
        elif geom.get("type") == "MultiLineString":
            parts = geom.get("coordinates") or []
        else:
            problems.append(
                problem(
                    BAD_GEOMETRY,
                    place,
                    f"几何类型“{geom.get('type')}”不是线（LineString）",
                    f"geometry type '{geom.get('type')}' is not a LineString",
                    geom.get("type"),
                )
            )
            continue
        cls = next((props[a] for a in ALIASES["road_class"] if props.get(a) not in (None, "")), None)
        if cls is None:
            problems.append(_missing(place, ["road_class"]))
            continue
        speed = next((props[a] for a in ALIASES["speed_kmh"] if props.get(a) not in (None, "")), None)
        oneway, reverse, bad = parse_oneway(props.get("oneway"), place)
        if bad:
            problems.append(bad)
            continue
        for p, coords in enumerate(parts):
            part_place = place if len(parts) == 1 else f"{place} part {p + 1}"
            try:
                xy = np.asarray(coords, dtype=float)[:, :2]
                if len(xy) < 2 or not np.isfinite(xy).all():
                    raise ValueError
            except (ValueError, TypeError, IndexError):
                problems.append(
                    problem(
                        BAD_GEOMETRY,
                        part_place,
                        "线的坐标无效或少于两个点",
                        "line coordinates are invalid or fewer than two points",
                    )
                )
                continue
            u = (
                str(props.get("from"))
                if props.get("from") not in (None, "") and len(parts) == 1
                else _coord_id(*xy[0])
            )
            v = (
                str(props.get("to"))
                if props.get("to") not in (None, "") and len(parts) == 1
                else _coord_id(*xy[-1])
            )
            nodes.setdefault(u, Node(u, float(xy[0, 0]), float(xy[0, 1]), place=part_place))
            nodes.setdefault(v, Node(v, float(xy[-1, 0]), float(xy[-1, 1]), place=part_place))
            length = props.get("length_m")
            if length in (None, ""):
                length = float(np.sum(haversine_m(xy[:-1, 0], xy[:-1, 1], xy[1:, 0], xy[1:, 1])))
            if reverse:
                u, v = v, u
            edges.append(Edge(u, v, str(cls), length, speed, oneway, part_place, str(fid or "")))
    return _build_reporting_all(
        problems, edges, list(nodes.values()), speeds=speeds, require_connected=require_connected
    )


def _build_reporting_all(problems: list[NetworkProblem], edges, nodes, **kwargs) -> RoadNetwork:
    """Build; when the reader already found problems, add the builder's record problems and raise them all."""
    if not problems:
        return build_network(edges, nodes, **kwargs)
    try:
        build_network(edges, nodes, **{**kwargs, "require_connected": False})
    except NetworkError as exc:
        problems = problems + exc.problems
    raise NetworkError(problems)
