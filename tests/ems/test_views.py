"""EMS pages: dashboards, map, scenarios, comparison, runs; scope (大邑 officer vs 简阳), refused roles,
bad input shown in both languages with nothing saved, Chinese by default and English on request."""

import json
import re

import pytest

from countybridge.ems.models import AnalysisRun, Scenario, Station
from tests.support import signed_in

from .conftest import DAYI, JIANYANG


def test_index_and_county_dashboard_in_chinese(dayi, dayi_officer):
    client = signed_in(dayi_officer)
    page = client.get("/ems/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "大邑县" in html and "简阳" not in html and 'id="ems-county-chart"' in html
    board = client.get(f"/ems/county/{DAYI}/")
    assert board.status_code == 200
    html = board.content.decode()
    assert "丙镇" in html and 'data-testid="failing"' in html and 'data-testid="standards"' in html
    assert "vendor/echarts/echarts.min.js" in html and "cdn" not in html.lower()
    assert 'lang="zh-hans"' in html


def test_english_on_request(dayi, dayi_officer):
    client = signed_in(dayi_officer, HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "en"
    html = client.get(f"/ems/county/{DAYI}/").content.decode()
    assert "Places missing the target" in html and "Dayi" in html


def test_map_page_payload(dayi, dayi_officer):
    page = signed_in(dayi_officer).get(f"/ems/county/{DAYI}/map/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "vendor/echarts-maps/chengdu.js" in html
    payload = json.loads(re.search(r'id="ems-map-data"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert [s["name"] for s in payload["stations"]] == ["一站"] and len(payload["places"]) == 3
    assert {p["name"]: p["value"][2] for p in payload["places"]}["甲镇"] == pytest.approx(5.38, abs=0.01)


def test_other_county_pages_are_not_found_for_a_county_officer(dayi, jianyang, dayi_officer):
    client = signed_in(dayi_officer)
    assert client.get(f"/ems/county/{JIANYANG}/").status_code == 404
    assert client.get(f"/ems/county/{JIANYANG}/map/").status_code == 404
    assert client.get(f"/ems/scenarios/{jianyang.pk}/").status_code == 404
    assert client.post(f"/ems/scenarios/{jianyang.pk}/copy/", {"name": "x"}).status_code == 404
    assert (
        client.post(
            f"/ems/scenarios/{jianyang.pk}/stations/", {"name": "x", "lon": 104.4, "lat": 30.5}
        ).status_code
        == 404
    )
    assert client.get(f"/ems/compare/?ids={jianyang.pk}").status_code == 404
    listed = client.get("/ems/scenarios/").content.decode()
    assert "大邑县" in listed and "简阳市" not in listed
    assert Scenario.objects.count() == 2


@pytest.mark.parametrize(
    "role,extra", [("auditor", {}), ("public", {}), ("department_officer", {"domain": "education"})]
)
def test_refused_roles(dayi, make_user, role, extra):
    client = signed_in(make_user(role, **extra))
    assert client.get("/ems/").status_code == 403
    assert client.get(f"/ems/scenarios/{dayi.pk}/").status_code == 403


def test_copy_add_station_bad_input_then_good_and_compare(dayi, dayi_officer):
    client = signed_in(dayi_officer)
    copied = client.post(f"/ems/scenarios/{dayi.pk}/copy/", {"name": "加站"})
    assert copied.status_code == 302
    new = Scenario.objects.get(name="加站")
    bad = client.post(f"/ems/scenarios/{new.pk}/stations/", {"name": "丙镇站", "lon": "东经", "lat": "30.5"})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "经度必须是数字" in html and "Longitude must be a number" in html
    assert Station.objects.filter(scenario=new).count() == 1
    good = client.post(f"/ems/scenarios/{new.pk}/stations/", {"name": "丙镇站", "lon": "103.6", "lat": "30.5",
                                                             "ambulances": "1"})  # fmt: skip
    assert good.status_code == 302 and Station.objects.filter(scenario=new).count() == 2
    compared = client.get(f"/ems/compare/?ids={dayi.pk}&ids={new.pk}")
    assert compared.status_code == 200
    html = compared.content.decode()
    assert 'data-testid="compare-table"' in html and "100.00%" in html and "40.00%" in html


def test_baseline_is_not_edited_in_place(dayi, dayi_officer):
    page = signed_in(dayi_officer).get(f"/ems/scenarios/{dayi.pk}/").content.decode()
    assert "save a copy to add stations" in page.lower() or "保存副本" in page


def test_run_start_and_result_page(dayi, dayi_officer, django_capture_on_commit_callbacks):
    from countybridge.core.jobs.runner import execute
    from countybridge.core.models import JobRun

    client = signed_in(dayi_officer)
    with django_capture_on_commit_callbacks(execute=False):
        started = client.post(
            f"/ems/scenarios/{dayi.pk}/run/", {"kind": "optimise", "model": "p_median", "p": "1"}
        )
    assert started.status_code == 302
    job = execute(JobRun.objects.get(kind="ems.optimise").pk)
    assert job.status == "succeeded", job.error
    run = AnalysisRun.objects.get()
    job_page = client.get(started["Location"]).content.decode()
    assert f"/ems/runs/{run.pk}/" in job_page  # the job page links to the stored result
    page = client.get(f"/ems/runs/{run.pk}/")
    assert page.status_code == 200 and "丙镇急救点" in page.content.decode()
    bad = client.post(f"/ems/runs/{run.pk}/apply/", {"name": "基线"})  # the baseline's name is taken
    assert bad.status_code == 400 and Scenario.objects.count() == 1
    assert client.post(f"/ems/runs/{run.pk}/apply/", {"name": "优化方案"}).status_code == 302
    bad_run = client.post(f"/ems/scenarios/{dayi.pk}/run/", {"kind": "simulate", "days": "0"})
    assert bad_run.status_code == 400


def test_road_upload_page_names_the_bad_row_and_saves_nothing(dayi, dayi_officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from countybridge.ems.models import RoadNetwork

    client = signed_in(dayi_officer)
    header = "from,to,road_class,length_m,speed_kmh,from_lon,from_lat,to_lon,to_lat\n"
    bad = (
        header
        + "A,B,county,4500,,103.50,30.50,103.55,30.50\nB,C,county,9000,fast,103.55,30.50,103.60,30.50\n"
    )
    page = client.post(
        f"/ems/county/{DAYI}/roads/",
        {"name": "test roads", "file": SimpleUploadedFile("r.csv", bad.encode())},
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert "row 3" in html and "fast" in html and RoadNetwork.objects.count() == 1
    good = client.post(f"/ems/county/{DAYI}/roads/", {"name": "test roads",
                       "file": SimpleUploadedFile("r.csv", bad.replace("fast", "50").encode())})  # fmt: skip
    assert good.status_code == 302 and RoadNetwork.objects.count() == 2
    assert (
        client.post(f"/ems/county/{JIANYANG}/roads/", {"file": SimpleUploadedFile("r.csv", b"x")}).status_code
        == 404
    )


def test_settings_page_scope_and_bad_speed(dayi, dayi_officer, health_officer):
    client = signed_in(dayi_officer)
    assert client.get(f"/ems/county/{DAYI}/settings/").status_code == 200
    assert client.get(f"/ems/county/{JIANYANG}/settings/").status_code == 404
    bad = client.post(f"/ems/county/{DAYI}/settings/", {"speed_county": "快"})
    assert bad.status_code == 400 and "speeds_kmh.county" in bad.content.decode()
    assert client.post("/ems/settings/", {"target_min": "12"}).status_code == 403
    assert signed_in(health_officer).post("/ems/settings/", {"target_min": "12"}).status_code == 302
    assert client.post(f"/ems/county/{DAYI}/settings/", {"speed_county": "60"}).status_code == 302
    from countybridge.ems.selectors import settings_for

    values = settings_for(dayi.region)
    assert values["speeds_kmh"]["county"] == 60 and values["target_min"] == 12


def test_ems_registries_on_the_import_page(dayi, dayi_officer, make_user):
    client = signed_in(dayi_officer)
    page = client.get("/core/imports/").content.decode()
    assert "急救站点" in page and "急救需求点" in page and "急救接收医院" in page
    template = client.get("/core/imports/template/ems_stations.csv")
    assert template.status_code == 200 and "救护车数" in template.content.decode("utf-8-sig")
    education = signed_in(make_user("department_officer", domain="education"))
    assert "急救站点" not in education.get("/core/imports/").content.decode()
