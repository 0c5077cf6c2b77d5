"""A county officer of 简阳 in a real browser: logs in through the form, sees the map drawn, opens an
own-county organisation, is refused 大邑's, and switches the interface to English."""

import re

import pytest

pytestmark = [pytest.mark.browser]

PASSWORD = "demo-password-123"  # the make_user fixture's password
COUNTY_CITIES = {"简阳市", "都江堰市", "彭州市", "邛崃市", "崇州市", "金堂县", "大邑县", "蒲江县"}


@pytest.fixture
def world(regions_loaded, make_user, make_org):
    return {
        "officer": make_user("county_officer", county="510185"),
        "own_org": make_org("510185", name="简阳市第一人民医院"),
        "other_org": make_org("510129", name="大邑县人民医院"),
    }


def _log_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    assert page.locator("h1").inner_text() == "登录"  # Chinese although the browser asks for en-US
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def _series_data(page) -> list[dict]:
    return page.evaluate(
        """() => echarts.getInstanceByDom(document.getElementById('county-map'))
                 .getOption().series[0].data"""
    )


def test_county_officer_journey(page, live_server, world):
    base = live_server.url
    _log_in(page, base, world["officer"].username)
    assert page.url == f"{base}/"
    assert world["officer"].username in page.get_by_test_id("who").inner_text()
    assert "简阳市" in page.get_by_test_id("who").inner_text()

    # the map is actually drawn: ECharts finished rendering into a canvas, with the eight county cities
    page.wait_for_selector("#county-map[data-ready='1']")
    assert page.locator("#county-map canvas").count() >= 1
    drawn = page.evaluate("() => document.querySelector('#county-map canvas').toDataURL().length")
    assert drawn > 20_000  # a blank canvas encodes to a few hundred bytes
    data = _series_data(page)
    assert {d["label"] for d in data if d["county_city"]} == COUNTY_CITIES
    assert page.locator("#county-map").get_attribute("data-county-cities") == "8"
    assert page.get_by_test_id("map-legend").is_visible()

    # clicking 简阳 on the map opens its region page
    pixel = page.evaluate(
        """() => echarts.getInstanceByDom(document.getElementById('county-map'))
                 .convertToPixel({seriesIndex: 0}, [104.60, 30.35])"""
    )
    box = page.locator("#county-map").bounding_box()
    with page.expect_navigation(url=re.compile(r"/core/regions/510185/$")):
        page.mouse.click(box["x"] + pixel[0], box["y"] + pixel[1])
    assert "简阳市" in page.locator("h1").inner_text()

    # own county's organisation
    page.goto(f"{base}/core/organisations/{world['own_org'].pk}/")
    assert page.get_by_test_id("organisation-name").inner_text().startswith("简阳市第一人民医院")

    # the organisation list shows only the own county
    page.goto(f"{base}/core/organisations/")
    table = page.get_by_test_id("organisation-table").inner_text()
    assert "简阳市第一人民医院" in table and "大邑县人民医院" not in table

    # 大邑's organisation: refused, and nothing of it shown
    response = page.goto(f"{base}/core/organisations/{world['other_org'].pk}/")
    assert response.status == 404
    assert page.get_by_test_id("error-status").inner_text() == "404"
    assert "大邑县人民医院" not in page.content()

    # the audit log is not for county officers
    response = page.goto(f"{base}/core/audit/")
    assert response.status == 403
    assert page.get_by_test_id("error-status").inner_text() == "403"
    assert page.errors == []


def test_language_switch(page, live_server, world):
    base = live_server.url
    _log_in(page, base, world["officer"].username)
    page.wait_for_selector("#county-map[data-ready='1']")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("h1").inner_text() == "成都八个县市新城概览"
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    page.wait_for_selector("#county-map[data-ready='1']")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Chengdu's eight county cities at a glance"
    assert page.locator("nav.main-nav a", has_text="Organisations").count() == 1
    labels = {d["display"] for d in _series_data(page) if d["county_city"]}
    assert "Jianyang City" in labels
    # the choice sticks on the next page
    page.goto(f"{base}/core/organisations/{world['own_org'].pk}/")
    assert page.locator("th", has_text="Kind").count() == 1
    # and back to Chinese
    with page.expect_navigation():
        page.select_option("select[name=language]", "zh-hans")
    assert page.locator("th", has_text="类别").count() == 1
    assert page.errors == []
