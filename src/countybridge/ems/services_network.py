"""Road networks: save a new version (validated: every road class and speed, and one connected
network), import one from a CSV/GeoJSON edge list through the network module's readers, and re-point the
county's baseline to it. A problem names its place (row, feature, component, demand point) in Chinese and
English, and nothing is saved. Saving drops cached travel-time matrices of superseded versions."""

from __future__ import annotations

import math
from typing import Any

from django.db import transaction

from countybridge.core import audit
from countybridge.core.models import AuditEvent, Region
from countybridge.core.services.errors import FieldProblem, ServiceValidationError

from . import selectors, travel
from .models import DemandPoint, Hospital, RoadNetwork, Scenario, Station
from .network.defaults import speed_table
from .network.errors import NetworkError


def from_network_error(exc: NetworkError) -> ServiceValidationError:
    return ServiceValidationError(
        [FieldProblem(p.place, p.value[:100], p.message_zh, p.message_en, p.code) for p in exc.problems]
    )


def _finite_point(node) -> bool:
    try:
        lon, lat = float(node[1]), float(node[2])
    except (TypeError, ValueError, IndexError):
        return False
    return math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90


def _places_off_road(graph, region: Region, scenarios: list[Scenario]) -> list[FieldProblem]:
    """Demand points, hospitals and stations of the county that the new network leaves without a road."""
    items: list[tuple[str, str, str, float, float]] = []
    for p in DemandPoint.objects.filter(region=region):
        items.append(("demand_point", f"需求点 {p.name}", f"demand point {p.name}", p.lon, p.lat))
    for h in Hospital.objects.filter(region=region):
        items.append(("hospital", f"医院 {h.name}", f"hospital {h.name}", h.lon, h.lat))
    for s in Station.objects.filter(scenario__in=scenarios):
        items.append(("station", f"站点 {s.name}", f"station {s.name}", s.lon, s.lat))
    if not items:
        return []
    node, km = travel.snap(graph, [i[3] for i in items], [i[4] for i in items])
    return [
        FieldProblem(
            kind,
            f"{lon},{lat}",
            f"{zh}:{travel.MAX_SNAP_KM:g} 公里内没有道路,不在新路网上",
            f"{en}: no road within {travel.MAX_SNAP_KM:g} km in the new network",
            "no_road",
        )  # fmt: skip
        for (kind, zh, en, lon, lat), n in zip(items, node, strict=True)
        if n < 0
    ]


@transaction.atomic
def network_save(
    *,
    actor,
    region: Region,
    name: str,
    nodes: list[list[Any]],
    edges: list[list[Any]],
    source: str = RoadNetwork.Source.EDITED,
    make_baseline: bool = True,
    is_synthetic: bool = False,
    request=None,
) -> RoadNetwork:
    """Store a new version of the county's network `name` and (by default) move the baseline scenario
    onto it. Refused with every problem named if a node or edge is bad, the network is not one connected
    whole, or a demand point, hospital or station of the county would have no road."""
    if actor is not None:
        selectors.require_region(actor, region)
    name = (name or "").strip()[:80] or "路网"
    bad_nodes = [n for n in nodes if not _finite_point(n)]
    if bad_nodes:
        raise ServiceValidationError(
            [FieldProblem(f"node {n[0]}", str(n[1:3])[:100], "节点缺少有效坐标(经度、纬度),无法定位",
                          "the node has no valid coordinates (lon, lat), so nothing can be placed on it",
                          "bad_coordinate") for n in bad_nodes[:20]]
        )  # fmt: skip
    node_ids = {str(n[0]) for n in nodes}
    bad = [i for i, e in enumerate(edges) if str(e[0]) not in node_ids or str(e[1]) not in node_ids]
    if bad:
        raise ServiceValidationError(
            [FieldProblem(f"edge {i + 1}", f"{edges[i][0]}-{edges[i][1]}", "道路的起点或终点不在节点表中",
                          "the edge's from or to node is not in the node list", "unknown_node") for i in bad[:20]]
        )  # fmt: skip
    try:
        graph = travel.build(
            nodes, edges, selectors.settings_for(region)["speeds_kmh"], require_connected=True
        )
    except NetworkError as exc:
        raise from_network_error(exc) from None
    baseline = Scenario.objects.filter(region=region, is_baseline=True).first()
    moved = [baseline] if (make_baseline and baseline is not None) else []
    off_road = _places_off_road(graph, region, moved)
    if off_road:
        raise ServiceValidationError(off_road)
    latest = RoadNetwork.objects.filter(region=region, name=name).order_by("-version").first()
    network = RoadNetwork.objects.create(
        region=region, name=name, version=(latest.version + 1) if latest else 1, parent=latest, source=source,
        nodes=[[str(n[0]), float(n[1]), float(n[2])] for n in nodes],
        edges=[[str(e[0]), str(e[1]), float(e[2]), str(e[3]), bool(e[4]) if len(e) > 4 else False,
                *([float(e[5])] if len(e) > 5 and e[5] else [])] for e in edges],
        node_count=len(nodes), edge_count=len(edges), content_hash=travel.content_hash(nodes, edges),
        is_synthetic=is_synthetic, created_by=actor,
    )  # fmt: skip
    for scenario in moved:
        scenario.network = network
        scenario.save(update_fields=["network", "updated_at"])
    dropped = travel.invalidate(network)
    audit.record(actor=actor, action=AuditEvent.Action.CREATE, obj=network, request=request,
                 details={"nodes": len(nodes), "edges": len(edges), "hash": network.content_hash,
                          "source": source, "cache_dropped": dropped,
                          "baseline_moved": [s.pk for s in moved]})  # fmt: skip
    return network


def network_lists(graph) -> tuple[list[list[Any]], list[list[Any]]]:
    """Stored node and edge lists from a network-module graph."""
    nodes = [[graph.node_ids[i], float(graph.lon[i]), float(graph.lat[i])] for i in range(graph.n_nodes)]
    table = speed_table()
    edges = []
    for k, (u, v, length, one, speed) in enumerate(
        zip(
            graph.edge_u,
            graph.edge_v,
            graph.edge_length_m,
            graph.edge_oneway,
            graph.edge_speed_kmh,
            strict=True,
        )
    ):
        cls = graph.edge_class[k]
        edge = [graph.node_ids[int(u)], graph.node_ids[int(v)], round(float(length), 1), cls, bool(one)]
        factor = round(float(speed) / table.get(cls, float(speed)), 4)
        if factor != 1.0:
            edge.append(factor)  # the edge's own speed relative to its class (terrain, a file's speed_kmh)
        edges.append(edge)
    return nodes, edges


def _read_osm(content: bytes, speeds):
    """An OpenStreetMap extract (.osm.pbf) through the network module (pyrosm); only its largest strongly
    connected part is kept, as the module does for clipped extracts."""
    import tempfile

    from .network import read_osm_pbf

    with tempfile.NamedTemporaryFile(suffix=".osm.pbf") as handle:
        handle.write(content)
        handle.flush()
        try:
            return read_osm_pbf(handle.name, speeds=speeds).network
        except ImportError:
            raise ServiceValidationError(
                [FieldProblem("file", "", "本系统未安装 OSM 读取组件(pyrosm),请改用 CSV 或 GeoJSON",
                              "The OSM reader (pyrosm) is not installed here: use CSV or GeoJSON", "unavailable")]
            ) from None  # fmt: skip


def network_import(
    *, actor, region: Region, name: str, content: bytes, filename: str, request=None
) -> RoadNetwork:
    """Import a road network file (CSV edge list, GeoJSON lines) read by the network module; every bad
    row/feature is named and nothing is saved."""
    selectors.require_region(actor, region)
    from .network import read_edges_csv, read_edges_geojson

    speeds = selectors.settings_for(region)["speeds_kmh"]
    is_json = filename.lower().endswith((".json", ".geojson"))
    is_osm = filename.lower().endswith(".pbf")
    try:
        if is_osm:
            graph = _read_osm(content, speeds)
        else:
            reader = read_edges_geojson if is_json else read_edges_csv
            graph = reader(content, speeds=speeds, require_connected=True)
    except NetworkError as exc:
        raise from_network_error(exc) from None
    nodes, edges = network_lists(graph)
    kind = (
        RoadNetwork.Source.OSM
        if is_osm
        else RoadNetwork.Source.GEOJSON
        if is_json
        else RoadNetwork.Source.CSV
    )
    return network_save(
        actor=actor, region=region, name=name, nodes=nodes, edges=edges, source=kind, request=request
    )
