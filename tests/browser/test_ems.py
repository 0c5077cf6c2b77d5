"""EMS pages in a real browser: a 大邑 officer sees the county dashboard chart, the network map drawn on
the local Chengdu outlines and a scenario comparison chart, with no script errors."""

import pytest

pytestmark = [pytest.mark.browser]

PASSWORD = "demo-password-123"  # the make_user fixture's password
DAYI = "510129"


@pytest.fixture
def world(regions_loaded, make_user):
    from countybridge.core.models import Region
    from countybridge.ems import services
    from tests.ems.conftest import _network

    baseline = _network(DAYI, lambda code: Region.objects.get(code=code))
    officer = make_user("county_officer", county=DAYI)
    variant = services.scenario_copy(actor=officer, scenario=baseline, name="加站")
    services.station_add(actor=officer, scenario=variant, name="丙镇站", lon=103.6, lat=30.5, ambulances=1)
    return {"officer": officer, "baseline": baseline, "variant": variant}


def _log_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def test_dashboard_map_and_comparison_draw(page, live_server, world):
    base = live_server.url
    _log_in(page, base, world["officer"].username)
    page.goto(f"{base}/ems/county/{DAYI}/")
    page.wait_for_selector("#ems-within-chart[data-ready='1']")
    assert page.locator("[data-testid=failing] tbody tr").count() == 1
    page.goto(f"{base}/ems/county/{DAYI}/map/")
    page.wait_for_selector("#ems-map[data-ready='1']")
    page.goto(f"{base}/ems/compare/?ids={world['baseline'].pk}&ids={world['variant'].pk}")
    page.wait_for_selector("#ems-compare-chart[data-ready='1']")
    assert "100.00%" in page.locator("[data-testid=compare-table]").inner_text()
    page.goto(f"{base}/ems/")
    page.wait_for_selector("#ems-county-chart[data-ready='1']")
    assert page.errors == []
