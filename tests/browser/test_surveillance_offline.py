"""A clinic reports cases through a dropped link: two cards recorded offline wait in the browser's queue,
upload when the link returns, and are stored exactly once each — also when the queue is flushed again."""

import datetime as dt
import json

import pytest

from countybridge.core.identifiers import make_resident_id

pytestmark = [pytest.mark.browser]

PASSWORD = "demo-password-123"


@pytest.fixture
def world(regions_loaded, make_user, make_org):
    from countybridge.surveillance.services_catalogue import catalogue_load

    catalogue_load()
    clinic = make_org("510185", "primary_care", name="简阳市射洪坝社区卫生服务中心")
    return {"staff": make_user("institution_staff", organisation=clinic), "clinic": clinic}


def _log_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def _record(page, name, number, disease="measles"):
    form = page.get_by_test_id("report-form")
    page.get_by_test_id("disease").select_option(disease)
    assert "24" in page.get_by_test_id("deadline").inner_text()
    now = dt.datetime.now().replace(minute=0, second=0, microsecond=0) - dt.timedelta(hours=1)
    form.locator("input[name=diagnosed_at]").fill(now.strftime("%Y-%m-%dT%H:%M"))
    form.locator("input[name=onset_date]").fill((now - dt.timedelta(days=2)).strftime("%Y-%m-%d"))
    form.locator("input[name=patient_name]").fill(name)
    form.locator("input[name=id_number]").fill(number)
    form.locator("input[name=address]").fill("简阳市射洪坝街道1号")
    form.locator("input[name=reporting_doctor]").fill("李医生")
    page.get_by_test_id("record").click()


def test_two_reports_recorded_offline_are_stored_once_each(page, live_server, world):
    from countybridge.surveillance.models import CaseReport

    base = live_server.url
    _log_in(page, base, world["staff"].username)
    page.goto(f"{base}/surveillance/reports/new/")
    page.get_by_test_id("disease").select_option("cholera")
    assert "2" in page.get_by_test_id("deadline").get_attribute("data-hours")

    page.context.set_offline(True)
    page.wait_for_selector("[data-testid=link-status][data-online='0']")
    numbers = [
        make_resident_id("510185", dt.date(1985, 3, 1), 31),
        make_resident_id("510185", dt.date(1991, 7, 9), 42),
    ]
    _record(page, "赵一", numbers[0])
    _record(page, "钱二", numbers[1])
    assert page.get_by_test_id("queue-count").inner_text() == "2"
    assert page.locator("[data-testid=queue-item][data-status=queued]").count() == 2
    assert CaseReport.objects.count() == 0
    queued = page.evaluate(
        "key => JSON.parse(localStorage.getItem(key))",
        page.get_by_test_id("report-form").get_attribute("data-queue-key"),
    )
    client_ids = {item["id"] for item in queued}
    assert len(client_ids) == 2

    page.context.set_offline(False)
    page.wait_for_selector("[data-testid=queue-count][data-waiting='0']", timeout=20_000)
    assert page.locator("[data-testid=queue-item][data-status=sent]").count() == 2
    stored = CaseReport.objects.order_by("pk")
    assert {str(r.client_report_id) for r in stored} == client_ids and stored.count() == 2

    # a lost answer: the queue uploads both cards again — the server returns the stored reports
    key = page.get_by_test_id("report-form").get_attribute("data-queue-key")
    page.evaluate(
        """([key, queue]) => { localStorage.setItem(key, JSON.stringify(queue));
                               window.dispatchEvent(new Event('online')); }""",
        [key, [dict(item, status="queued") for item in queued]],
    )
    page.wait_for_selector("[data-testid=queue-count][data-waiting='0']", timeout=20_000)
    assert CaseReport.objects.count() == 2
    sent = page.evaluate("key => JSON.parse(localStorage.getItem(key))", key)
    assert all(item["data"] is None for item in sent)  # personal data leaves the device once stored
    assert json.dumps(sent, ensure_ascii=False).find("赵一") == -1
    assert page.errors == []


def test_the_intake_page_reopens_while_the_link_is_down(page, live_server, world):
    from countybridge.surveillance.models import CaseReport

    base = live_server.url
    _log_in(page, base, world["staff"].username)
    page.goto(f"{base}/surveillance/reports/new/")
    # the worker says when the page and every asset it is made of are kept
    page.wait_for_selector("#report-form[data-sw-cached='1']")
    page.wait_for_function("() => !!navigator.serviceWorker.controller")
    page.context.set_offline(True)
    page.reload()
    page.get_by_test_id("record").wait_for(state="visible")  # served by the service worker, not the network
    page.wait_for_selector("[data-testid=link-status][data-online='0']")
    _record(page, "孙三", make_resident_id("510185", dt.date(1979, 5, 5), 53))
    assert page.locator("[data-testid=queue-item][data-status=queued]").count() == 1
    page.context.set_offline(False)
    page.wait_for_selector("[data-testid=queue-count][data-waiting='0']", timeout=20_000)
    assert CaseReport.objects.count() == 1


def test_a_refused_card_is_kept_shown_and_can_be_corrected(page, live_server, world):
    from countybridge.surveillance.models import CaseReport

    base = live_server.url
    _log_in(page, base, world["staff"].username)
    page.goto(f"{base}/surveillance/reports/new/")
    good = make_resident_id("510185", dt.date(1988, 8, 8), 65)
    wrong = good[:-1] + ("1" if good[-1] != "1" else "2")  # wrong check character
    _record(page, "李四", wrong)
    item = page.locator("[data-testid=queue-item][data-status=rejected]")
    item.wait_for()
    assert "身份证号码校验码错误" in item.inner_text() and "check character" in item.inner_text()
    assert CaseReport.objects.count() == 0
    client_id = item.get_attribute("data-client-id")
    page.get_by_test_id("queue-edit").click()
    form = page.get_by_test_id("report-form")
    assert form.locator("input[name=patient_name]").input_value() == "李四"
    form.locator("input[name=id_number]").fill(good)
    page.get_by_test_id("record").click()
    page.wait_for_selector("[data-testid=queue-count][data-waiting='0']", timeout=20_000)
    stored = CaseReport.objects.get()
    assert str(stored.client_report_id) == client_id and stored.id_number_masked.endswith(good[-4:])
