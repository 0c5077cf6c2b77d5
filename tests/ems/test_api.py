"""EMS API: scope (a 大邑 officer cannot read or edit 简阳), bad input (bilingual, nothing saved), scenario
edits, comparison and background runs (optimise, simulate, apply)."""

import pytest

from countybridge.core.jobs.runner import execute
from countybridge.ems.models import AnalysisRun, DemandPoint, Scenario, Station
from tests.support import assert_error, signed_in

from .conftest import DAYI, JIANYANG


def test_county_officer_sees_only_own_county(dayi, jianyang, dayi_officer):
    client = signed_in(dayi_officer)
    assert [c["code"] for c in client.get("/api/ems/counties").json()] == [DAYI]
    listed = client.get("/api/ems/scenarios").json()["items"]
    assert [s["id"] for s in listed] == [dayi.pk]
    assert_error(client.get(f"/api/ems/scenarios/{jianyang.pk}"), 404)
    assert_error(client.get(f"/api/ems/counties/{JIANYANG}/dashboard"), 404)
    assert_error(
        client.post(f"/api/ems/scenarios/{jianyang.pk}/copy", {"name": "x"}, content_type="application/json"),
        404,
    )
    assert_error(client.post(f"/api/ems/scenarios/{jianyang.pk}/stations", {"name": "x", "lon": 104.4, "lat": 30.5},
                             content_type="application/json"), 404)  # fmt: skip
    assert_error(client.get(f"/api/ems/compare?ids={dayi.pk},{jianyang.pk}"), 404)
    assert_error(
        client.post("/api/ems/runs", {"scenario": jianyang.pk}, content_type="application/json"), 404
    )
    assert {h["county"] for h in client.get("/api/ems/hospitals").json()["items"]} == {DAYI}
    assert {p["county"] for p in client.get("/api/ems/demand-points").json()["items"]} == {DAYI}
    assert Scenario.objects.count() == 2


@pytest.mark.parametrize(
    "role,extra", [("auditor", {}), ("public", {}), ("department_officer", {"domain": "hr"})]
)
def test_other_roles_refused(dayi, make_user, role, extra):
    client = signed_in(make_user(role, **extra))
    assert_error(client.get("/api/ems/scenarios"), 403)
    assert_error(client.get(f"/api/ems/scenarios/{dayi.pk}"), 403)


def test_health_officer_dashboard_and_compare(dayi, jianyang, health_officer):
    client = signed_in(health_officer)
    assert len(client.get("/api/ems/counties").json()) == 8
    board = client.get(f"/api/ems/counties/{DAYI}/dashboard").json()
    assert board["coverage"]["within"]["15"] == 0.4 and board["standards"]["required_county_rule"] == 52
    both = client.get(f"/api/ems/compare?ids={dayi.pk},{jianyang.pk}").json()
    assert both["chart"]["names"] == ["基线", "基线"] and len(both["rows"]) == 2
    assert_error(client.get("/api/ems/compare?ids=a,b"), 422)


def test_copy_add_station_move_and_compare(dayi, dayi_officer):
    client = signed_in(dayi_officer)
    copy = client.post(
        f"/api/ems/scenarios/{dayi.pk}/copy", {"name": "加站"}, content_type="application/json"
    )
    assert copy.status_code == 201
    new_id = copy.json()["id"]
    added = client.post(f"/api/ems/scenarios/{new_id}/stations", {"name": "丙镇站", "lon": 103.6, "lat": 30.5,
                        "ambulances": 1}, content_type="application/json")  # fmt: skip
    assert added.status_code == 201, added.content
    stations = client.get(f"/api/ems/scenarios/{new_id}/stations").json()
    first = next(s for s in stations if s["code"] == "S01")
    moved = client.post(f"/api/ems/scenarios/{new_id}/move", {"ambulance": first["ambulances"][0]["id"],
                        "to_station": added.json()["id"]}, content_type="application/json")  # fmt: skip
    assert moved.status_code == 200
    result = client.get(f"/api/ems/compare?ids={dayi.pk},{new_id}").json()
    assert result["chart"]["within"]["15"] == [40.0, 100.0]
    assert result["rows"][1]["cost"] > result["rows"][0]["cost"]


def test_bad_station_input_is_named_and_nothing_saved(dayi, dayi_officer):
    client = signed_in(dayi_officer)
    new_id = client.post(
        f"/api/ems/scenarios/{dayi.pk}/copy", {"name": "v"}, content_type="application/json"
    ).json()["id"]
    error = assert_error(client.post(f"/api/ems/scenarios/{new_id}/stations",
                                     {"name": "远站", "lon": "abc", "lat": 30.5, "ambulances": "two"},
                                     content_type="application/json"), 422)  # fmt: skip
    fields = {d["field"] for d in error["details"]}
    assert {"lon", "ambulances"} <= fields
    assert Station.objects.filter(scenario_id=new_id).count() == 1
    assert_error(client.post(f"/api/ems/scenarios/{new_id}/move", {"ambulance": 999999, "to_station": 1},
                             content_type="application/json"), 422)  # fmt: skip


def test_settings_api_refuses_bad_speed(dayi, dayi_officer):
    client = signed_in(dayi_officer)
    error = assert_error(client.post("/api/ems/settings", {"county": DAYI, "values": {"speeds_kmh": {"county": "x"}}},
                                     content_type="application/json"), 422)  # fmt: skip
    assert error["details"][0]["field"] == "speeds_kmh.county"
    ok = client.post(
        "/api/ems/settings", {"county": DAYI, "values": {"target_min": 12}}, content_type="application/json"
    )
    assert ok.json()["target_min"] == 12
    assert_error(
        client.post("/api/ems/settings", {"values": {"target_min": 12}}, content_type="application/json"), 403
    )


def test_optimise_job_apply_and_simulate_job(dayi, dayi_officer, django_capture_on_commit_callbacks):
    client = signed_in(dayi_officer)
    with django_capture_on_commit_callbacks(execute=False):
        started = client.post("/api/ems/runs", {"scenario": dayi.pk, "kind": "optimise", "p": 1},
                              content_type="application/json")  # fmt: skip
    assert started.status_code == 202, started.content
    job = execute(started.json()["job_id"])
    assert job.status == "succeeded", job.error
    run = AnalysisRun.objects.get(pk=job.result["run_id"])
    # one station for 100 / 300 / 600 residents at A, B, C (A–B 6 min, B–C 12 min): weighted travel is
    # 12,600 at A, 7,800 at B and 5,400 at C, so the p-median puts it at 丙镇 (C), where 60% live
    assert [s["name"] for s in run.result["sites"]] == ["丙镇急救点"]
    assert run.result["after"]["average"] < run.result["before"]["average"]
    applied = client.post(f"/api/ems/runs/{run.pk}/apply", {"name": "优化"}, content_type="application/json")
    assert applied.status_code == 201 and applied.json()["ambulances"] == 2
    DemandPoint.objects.update(call_rate=2000)  # 2,000 dispatches a year for 1,000 residents: ~5 a day
    with django_capture_on_commit_callbacks(execute=False):
        started = client.post("/api/ems/runs", {"scenario": dayi.pk, "kind": "simulate", "days": 3, "replications": 2},
                              content_type="application/json")  # fmt: skip
    job = execute(started.json()["job_id"])
    assert job.status == "succeeded", job.error
    sim = client.get(f"/api/ems/runs/{job.result['run_id']}").json()
    summary = sim["result"]["summary"]
    assert summary["calls"] > 0 and summary["response_mean"]["mean"] > 5
    assert 0 < summary["utilisation"]["mean"] < 1


def test_road_network_import_api(dayi, jianyang, dayi_officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from countybridge.ems.models import RoadNetwork

    client = signed_in(dayi_officer)
    header = "from,to,road_class,length_m,speed_kmh,from_lon,from_lat,to_lon,to_lat\n"
    bad = (
        header
        + "A,B,county,4500,,103.50,30.50,103.55,30.50\nB,C,county,9000,fast,103.55,30.50,103.60,30.50\n"
    )
    error = assert_error(client.post("/api/ems/networks", {"county": DAYI, "name": "test roads",
                         "file": SimpleUploadedFile("roads.csv", bad.encode())}), 422)  # fmt: skip
    assert error["details"][0]["field"] == "row 3"
    island = (
        header + "A,B,county,4500,,103.50,30.50,103.55,30.50\nB,C,county,9000,,103.55,30.50,103.60,30.50\n"
    )
    island += "X,Y,county,900,,103.58,30.52,103.59,30.52\n"
    error = assert_error(client.post("/api/ems/networks", {"county": DAYI, "name": "test roads",
                         "file": SimpleUploadedFile("roads.csv", island.encode())}), 422)  # fmt: skip
    assert "X" in error["details"][0]["field"]
    assert RoadNetwork.objects.filter(region__code=DAYI).count() == 1
    assert_error(client.post("/api/ems/networks", {"county": JIANYANG, "name": "r",
                 "file": SimpleUploadedFile("roads.csv", bad.encode())}), 404)  # fmt: skip
    good = bad.replace("fast", "50")
    made = client.post("/api/ems/networks", {"county": DAYI, "name": "test roads",
                       "file": SimpleUploadedFile("roads.csv", good.encode())})  # fmt: skip
    assert made.status_code == 201 and made.json()["version"] == 2
    assert [n["county"] for n in client.get("/api/ems/networks").json()["items"]] == [DAYI, DAYI]


def test_list_endpoints_query_counts_do_not_grow_with_rows(
    dayi, health_officer, django_assert_max_num_queries
):
    from countybridge.ems import services

    client = signed_in(health_officer)
    for i in range(5):
        services.scenario_copy(actor=health_officer, scenario=dayi, name=f"v{i}")
    with django_assert_max_num_queries(8):
        assert client.get("/api/ems/scenarios").json()["count"] == 6
    with django_assert_max_num_queries(8):
        client.get("/api/ems/hospitals")
    with django_assert_max_num_queries(8):
        client.get("/api/ems/demand-points")
    with django_assert_max_num_queries(8):
        client.get("/api/ems/networks")
