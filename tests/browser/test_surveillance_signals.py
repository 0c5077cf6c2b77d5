"""Signal pages in a real browser: a 大邑 officer sees the Chengdu map of open signals (their county only),
the epidemic curve with its threshold band, and concludes a signal through the form, with no script errors."""

import datetime as dt

import pytest

pytestmark = [pytest.mark.browser]

PASSWORD = "demo-password-123"  # the make_user fixture's password
DAYI, JIANYANG = "510129", "510185"


@pytest.fixture
def world(regions_loaded, make_user):
    from countybridge.surveillance.models import Disease, Signal
    from countybridge.surveillance.services_signals import detection_run
    from tests.surveillance.signal_support import add_cases

    day = dt.date.today() - dt.timedelta(days=1)
    dysentery = Disease.objects.create(code="dysentery", name_zh="痢疾", name_en="Dysentery", kind="notifiable",
                                       detection_method="cidars-percentile",
                                       detection_params={"percentile": 90, "min_cases": 1, "years_back": 3})  # fmt: skip
    add_cases(dysentery, DAYI, day, 3)
    add_cases(dysentery, JIANYANG, day, 2)
    detection_run(frequency="day", as_of=day)
    return {
        "officer": make_user("county_officer", county=DAYI),
        "signal": Signal.objects.get(region__code=DAYI),
    }


def _log_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def test_map_curve_and_conclusion(page, live_server, world):
    base = live_server.url
    _log_in(page, base, world["officer"].username)
    page.goto(f"{base}/surveillance/signals/")
    page.wait_for_selector("#signal-map[data-ready='1']")
    assert page.locator("#signal-map").get_attribute("data-regions") == "1"
    assert page.locator("[data-testid=signal-table] tbody tr").count() == 1
    page.goto(f"{base}/surveillance/signals/curve/?disease=dysentery&region={DAYI}&frequency=day")
    page.wait_for_selector("#epi-curve[data-ready='1']")
    page.goto(f"{base}/surveillance/signals/{world['signal'].pk}/")
    page.check("input[name=conclusion][value=verified]")
    page.fill("textarea[name=note]", "学校聚集")
    with page.expect_navigation():
        page.locator("[data-testid=conclude-form] button[type=submit]").click()
    assert "疑似事件" in page.locator("[data-testid=status]").inner_text()
    assert page.errors == []
