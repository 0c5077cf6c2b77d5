"""Road network: readers, validation naming the place, snapping, travel-time matrices, content hash."""

import io
import json

import numpy as np
import pytest
from scipy.sparse.csgraph import dijkstra

from countybridge.ems.network import (
    DEFAULT_SPEEDS_KMH,
    Edge,
    NetworkError,
    Point,
    build_network,
    build_network_arrays,
    keep_largest_component,
    load_speed_table,
    nearest_source,
    read_edges_csv,
    read_edges_geojson,
    read_osm_pbf,
    snap_points,
    travel_time_matrix,
)

# A small hand-checked graph (minutes = metres / (km/h * 1000/60)):
#   A-B county 45 km/h, 1500 m  -> 2.0 min
#   B-C township 30 km/h, 1000 m -> 2.0 min
#   A-C expressway 90 km/h, 7500 m -> 5.0 min
#   C-D village 20 km/h, 2000 m -> 6.0 min, one way C -> D
#   D-A speed 60 given, 3000 m -> 3.0 min
HAND_CSV = """from,to,road_class,length_m,speed_kmh,oneway
A,B,county,1500,,0
B,C,township,1000,,
A,C,expressway,7500,,
C,D,village,2000,,1
D,A,national,3000,60,
"""


def hand():
    return read_edges_csv(io.StringIO(HAND_CSV))


def test_matrix_equals_hand_computed():
    net = hand()
    m = travel_time_matrix(net, ["A", "B", "C", "D"], ["A", "B", "C", "D"])
    expected = np.array(
        [
            [0, 2, 4, 9],  # A->D: A-B-C-D = 2+2+6 = 10, or D via A? A->D is D-A reversed = 3 (two-way)
            [2, 0, 2, 5],
            [4, 2, 0, 6],
            [3, 5, 7, 0],
        ],
        dtype=float,
    )
    expected[0, 3] = 3.0  # D-A is two-way: A->D directly in 3 min
    expected[1, 3] = 5.0  # B->A->D
    expected[2, 3] = 6.0  # C->D one way 6 min, or C->B->A->D = 7
    expected[3] = [3, 5, 7, 0]  # D cannot use the one-way C->D backwards: D->A->B->C = 3+2+2
    np.testing.assert_allclose(m, expected)


def test_oneway_only_allows_forward():
    net = hand()
    # D -> C must not use the one-way C -> D edge (6 min); it goes round via A and B (7 min)
    assert travel_time_matrix(net, ["D"], ["C"])[0, 0] == pytest.approx(7.0)


def test_matrix_equals_scipy_reference_on_random_graph():
    rng = np.random.default_rng(3)
    n = 400
    u = rng.integers(0, n, 2000)
    v = rng.integers(0, n, 2000)
    ring_u, ring_v = np.arange(n), (np.arange(n) + 1) % n  # keeps it connected
    u, v = np.concatenate([u, ring_u]), np.concatenate([v, ring_v])
    length = rng.uniform(100, 5000, len(u))
    speed = rng.choice([20.0, 30.0, 45.0, 65.0, 90.0], len(u))
    oneway = rng.random(len(u)) < 0.2
    oneway[-n:] = False
    net = build_network_arrays(
        [f"n{i}" for i in range(n)], np.zeros(n), np.zeros(n), u, v, length, speed, oneway
    )
    sources = rng.choice(n, 30, replace=False)
    targets = rng.choice(n, 50, replace=False)
    ours = travel_time_matrix(net, sources, targets)
    ref = dijkstra(net.graph, directed=True, indices=sources)[:, targets]
    np.testing.assert_allclose(ours, ref)
    # fewer targets than sources goes backwards on the transposed graph: same numbers
    np.testing.assert_allclose(
        travel_time_matrix(net, targets, sources[:5]), dijkstra(net.graph, indices=targets)[:, sources[:5]]
    )
    # duplicates and limit
    dup = travel_time_matrix(net, [sources[0], sources[0]], targets, limit=5.0)
    np.testing.assert_allclose(dup[0], dup[1])
    full = ref[0]
    np.testing.assert_allclose(dup[0][full <= 5.0], full[full <= 5.0])
    assert np.isinf(dup[0][full > 5.0]).all()
    # multi-source nearest
    dist, which = nearest_source(net, sources[:3])
    allm = dijkstra(net.graph, indices=sources[:3])
    np.testing.assert_allclose(dist, allm.min(axis=0))
    np.testing.assert_allclose(allm[which, np.arange(n)], dist)


def test_parallel_edges_keep_fastest():
    net = build_network([Edge("A", "B", "county", 4500), Edge("A", "B", "expressway", 4500)])
    assert travel_time_matrix(net, ["A"], ["B"])[0, 0] == pytest.approx(3.0)


def test_non_numeric_and_non_positive_speed_name_the_row():
    text = "from,to,road_class,length_m,speed_kmh\nA,B,county,100,fast\nB,C,county,100,0\nC,A,county,100,-5\n"
    with pytest.raises(NetworkError) as err:
        read_edges_csv(io.StringIO(text))
    places = [p.place for p in err.value.problems]
    assert places == ["row 2", "row 3", "row 4"]
    assert {p.code for p in err.value.problems} == {"bad_speed"}
    first = err.value.problems[0]
    assert "fast" in first.message_en and "fast" in first.message_zh and "车速" in first.message_zh


def test_unknown_road_class_names_the_row():
    text = "from,to,road_class,length_m\nA,B,county,100\nB,C,superhighway,100\n"
    with pytest.raises(NetworkError) as err:
        read_edges_csv(io.StringIO(text))
    (p,) = err.value.problems
    assert (p.code, p.place) == ("unknown_road_class", "row 3")
    assert "superhighway" in p.message_en and "未知道路等级" in p.message_zh


def test_missing_columns_named():
    with pytest.raises(NetworkError) as err:
        read_edges_csv(io.StringIO("from,length_m\nA,100\n"))
    (p,) = err.value.problems
    assert p.code == "missing_columns" and p.place == "header (row 1)"
    assert "to" in p.message_en and "road_class" in p.message_en and "缺少" in p.message_zh


def test_disconnected_graph_names_the_component():
    text = "from,to,road_class,length_m\nA,B,county,100\nB,C,county,100\nX,Y,village,100\n"
    with pytest.raises(NetworkError) as err:
        read_edges_csv(io.StringIO(text))
    (p,) = err.value.problems
    assert p.code == "disconnected"
    assert "X" in p.place and "Y" in p.place and "row 4" in p.place and "A" not in p.value
    assert "不连通" in p.message_zh
    # allowed when asked, and the largest part can be kept
    net = read_edges_csv(io.StringIO(text), require_connected=False)
    sub, dropped = keep_largest_component(net)
    assert sorted(dropped) == ["X", "Y"] and sub.n_nodes == 3


def test_oneway_dead_end_is_reported_as_one_way():
    text = "from,to,road_class,length_m,oneway\nA,B,county,100,0\nB,C,county,100,1\n"
    with pytest.raises(NetworkError) as err:
        read_edges_csv(io.StringIO(text))
    (p,) = err.value.problems
    assert "C" in p.place and "one way" in p.message_en and "单向" in p.message_zh


def test_csv_lengths_from_coordinates_and_node_file():
    edges = "from,to,road_class\nA,B,county\n"
    nodes = "id,lon,lat\nA,104.0,30.0\nB,104.01,30.0\n"
    net = read_edges_csv(io.StringIO(edges), io.StringIO(nodes))
    # 0.01° of longitude at 30°N ≈ 963 m; at 45 km/h ≈ 1.28 min
    assert net.edge_length_m[0] == pytest.approx(963.3, rel=2e-3)
    with pytest.raises(NetworkError) as err:
        read_edges_csv(io.StringIO("from,to,road_class\nA,Z,county\n"), io.StringIO(nodes))
    assert err.value.problems[0].place == "row 2" and err.value.problems[0].code == "unknown_node"


def test_geojson_joins_lines_by_end_coordinates_and_names_features():
    def line(coords, **props):
        return {
            "type": "Feature",
            "properties": props,
            "geometry": {"type": "LineString", "coordinates": coords},
        }

    fc = {
        "type": "FeatureCollection",
        "features": [
            line([[104.0, 30.0], [104.005, 30.0], [104.01, 30.0]], road_class="county", id="r1"),
            line([[104.01, 30.0], [104.01, 30.01]], road_class="township", speed_kmh=40, oneway="no"),
        ],
    }
    net = read_edges_geojson(io.BytesIO(json.dumps(fc).encode()))
    assert net.n_nodes == 3 and net.n_edges == 2
    a = net.node_index("104.000000,30.000000")
    c = net.node_index("104.010000,30.010000")
    expected = 963.3 / 750 + 1111.9 / (40 * 1000 / 60)
    assert travel_time_matrix(net, [a], [c])[0, 0] == pytest.approx(expected, rel=3e-3)
    fc["features"].append(
        line([[104.0, 30.0], [104.0, 30.02]], road_class="county", speed_kmh="slow", name="乡道X")
    )
    fc["features"].append(
        {
            "type": "Feature",
            "properties": {"road_class": "county"},
            "geometry": {"type": "Point", "coordinates": [1, 2]},
        }
    )
    with pytest.raises(NetworkError) as err:
        read_edges_geojson(fc)
    codes = {p.place: p.code for p in err.value.problems}
    assert codes["feature 3 (id=乡道X)"] == "bad_speed" and codes["feature 4"] == "bad_geometry"


def test_snap_names_the_far_demand_point():
    nodes = "id,lon,lat\nA,104.0,30.0\nB,104.01,30.0\n"
    net = read_edges_csv(io.StringIO("from,to,road_class\nA,B,county\n"), io.StringIO(nodes))
    res = snap_points(net, [Point("站点1", 104.0001, 30.0), ("乡镇B", 104.0099, 30.0001)], max_distance_m=500)
    assert list(res.node) == [net.node_index("A"), net.node_index("B")]
    assert res.distance_m[0] == pytest.approx(9.6, abs=0.5)
    with pytest.raises(NetworkError) as err:
        snap_points(
            net, [Point("站点1", 104.0, 30.0), Point("需求点 山村C", 104.0, 30.1)], max_distance_m=2000
        )
    (p,) = err.value.problems
    assert (p.code, p.place) == ("not_snappable", "需求点 山村C")
    assert "2000" in p.message_en and "米内没有道路" in p.message_zh
    soft = snap_points(net, [Point("C", 104.0, 30.1), Point("bad", "x", 30.0)], 2000, raise_on_failure=False)
    assert list(soft.node) == [-1, -1]


def test_hash_changes_when_an_edge_speed_changes_and_not_with_row_order():
    net = hand()
    rows = HAND_CSV.strip().split("\n")
    reordered = read_edges_csv(io.StringIO("\n".join([rows[0], *reversed(rows[1:])]) + "\n"))
    assert reordered.content_hash == net.content_hash
    changed = read_edges_csv(io.StringIO(HAND_CSV.replace("D,A,national,3000,60,", "D,A,national,3000,61,")))
    assert changed.content_hash != net.content_hash
    assert net.with_speeds({"township": 31}).content_hash != net.content_hash
    assert net.with_speeds({"township": 30}).content_hash == net.content_hash


def test_speed_table_override(tmp_path):
    path = tmp_path / "speeds.json"
    path.write_text(json.dumps({"county": 90, "forest_road": 10}))
    table = load_speed_table(path)
    assert (
        table["county"] == 90
        and table["forest_road"] == 10
        and table["expressway"] == DEFAULT_SPEEDS_KMH["expressway"]
    )
    net = read_edges_csv(io.StringIO(HAND_CSV), speeds=table)
    assert travel_time_matrix(net, ["A"], ["B"])[0, 0] == pytest.approx(1.0)


def test_osm_pbf_reader_on_pyrosm_test_extract():
    pyrosm = pytest.importorskip("pyrosm")
    got = read_osm_pbf(pyrosm.get_data("test_pbf"))
    net = got.network
    assert net.n_nodes > 100 and net.n_edges > 100
    assert net.components()[0] == 1  # only the largest strongly connected part is kept
    assert set(net.edge_class) <= set(DEFAULT_SPEEDS_KMH)
    m = travel_time_matrix(net, [0, 1, 2], np.arange(net.n_nodes))
    assert np.isfinite(m).all() and (m >= 0).all()
    lon, lat = float(np.nanmean(net.lon)), float(np.nanmean(net.lat))
    assert snap_points(net, [Point("centre", lon, lat)], 2000).node[0] >= 0


def test_osm_missing_file_named(tmp_path):
    with pytest.raises(NetworkError) as err:
        read_osm_pbf(tmp_path / "none.osm.pbf")
    assert err.value.problems[0].place == "none.osm.pbf"


def test_osm_bounding_box_and_maxspeed_parsing():
    pyrosm = pytest.importorskip("pyrosm")
    from countybridge.ems.network.osm import _maxspeed

    full = read_osm_pbf(pyrosm.get_data("test_pbf")).network
    box = read_osm_pbf(pyrosm.get_data("test_pbf"), bounding_box=[26.93, 60.52, 26.95, 60.53]).network
    assert 0 < box.n_nodes < full.n_nodes
    assert box.lon.max() <= 26.951 and box.lat.max() <= 60.533  # pyrosm keeps whole segments at the edge
    assert _maxspeed("50") == 50 and _maxspeed("30 mph") == pytest.approx(48.28, abs=0.01)
    assert np.isnan(_maxspeed("none")) and np.isnan(_maxspeed(None)) and np.isnan(_maxspeed(float("nan")))


def test_many_components_are_summarised():
    pairs = "".join(f"X{k},Y{k},village,100\n" for k in range(60))
    net = read_edges_csv(
        io.StringIO("from,to,road_class,length_m\nA,B,county,100\nB,C,county,100\n" + pairs),
        require_connected=False,
    )
    problems = net.connectivity_problems()
    assert len(problems) == 51 and problems[-1].place == "10 more component(s), 20 node(s)"
    assert all(p.code == "disconnected" for p in problems)
