# ruff: noqa: F811  (fixtures imported from signal_support are used as test arguments)
"""Signal pages: scope (大邑's officer neither sees nor acts on 简阳's signals), refused roles, forms with
bilingual errors and nothing changed, the map, curve and tables pages with their local chart assets."""

import pytest

from countybridge.core.models import AuditEvent
from countybridge.surveillance.models import Signal, SignalEvent
from tests.support import signed_in

from .signal_support import AS_OF, DAYI, JIANYANG, diseases, two_county_signals  # noqa: F401

BASE = "/surveillance/signals/"


def _snapshot():
    return (
        list(Signal.objects.order_by("pk").values_list("status", "level", "investigation", "measures")),
        SignalEvent.objects.count(),
        AuditEvent.objects.filter(object_type="surveillance.Signal").count(),
    )


def test_index_shows_own_county_only_with_map_assets(two_county_signals, make_user):
    client = signed_in(make_user("county_officer", county=DAYI))
    page = client.get(BASE)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-region="{DAYI}"' in html and f'data-region="{JIANYANG}"' not in html
    assert "vendor/echarts/echarts.min.js" in html and "vendor/echarts-maps/chengdu.js" in html
    assert "surveillance/signals_map.js" in html and "cdn" not in html.lower()
    assert page.context["map_payload"]["regions"] == [
        {"name": "大邑县", "value": 1, "display": "大邑县", "code": DAYI, "escalated": 0, "recent": 1}
    ]


def test_city_cdc_sees_every_county(two_county_signals, make_user):
    page = signed_in(make_user("department_officer", domain="cdc")).get(BASE)
    html = page.content.decode()
    assert f'data-region="{DAYI}"' in html and f'data-region="{JIANYANG}"' in html
    assert len(page.context["map_payload"]["regions"]) == 8


def test_other_county_signal_pages_are_refused(two_county_signals, make_user):
    client = signed_in(make_user("county_officer", county=DAYI))
    pk = two_county_signals["jianyang"].pk
    before = _snapshot()
    assert client.get(f"{BASE}{pk}/").status_code == 404
    assert client.post(f"{BASE}{pk}/conclude/", {"conclusion": "verified"}).status_code == 404
    assert client.post(f"{BASE}{pk}/response/", {"measures": "消毒"}).status_code == 404
    assert client.post(f"{BASE}{pk}/escalate/", {"reason": "x"}).status_code == 404
    assert client.get(f"{BASE}curve/", {"disease": "cholera", "region": JIANYANG}).status_code == 404
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("role", "extra"), [("public", {}), ("auditor", {}), ("department_officer", {"domain": "hr"})]
)
def test_other_roles_are_refused(two_county_signals, make_user, role, extra):
    client = signed_in(make_user(role, **extra))
    pk = two_county_signals["jianyang"].pk
    before = _snapshot()
    for url in (BASE, f"{BASE}{pk}/", f"{BASE}curve/", f"{BASE}tables/"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"{BASE}{pk}/conclude/", {"conclusion": "verified"}).status_code == 403
    assert _snapshot() == before


def test_anonymous_is_sent_to_login(two_county_signals, client):
    response = client.get(BASE)
    assert response.status_code == 302 and "login" in response["Location"]


def test_conclude_response_escalate_pages(two_county_signals, make_user):
    officer = make_user("county_officer", county=JIANYANG)
    client = signed_in(officer)
    pk = two_county_signals["jianyang"].pk
    detail = client.get(f"{BASE}{pk}/")
    assert detail.status_code == 200 and b'data-testid="conclude-form"' in detail.content
    assert client.post(f"{BASE}{pk}/conclude/", {"conclusion": "verified", "note": "确诊"}).status_code == 302
    assert (
        client.post(f"{BASE}{pk}/response/", {"investigation": "流调", "measures": "隔离"}).status_code == 302
    )
    assert client.post(f"{BASE}{pk}/escalate/", {"reason": "甲类"}).status_code == 302
    signal = Signal.objects.get(pk=pk)
    assert (signal.status, signal.level, signal.investigation, signal.measures) == (
        "verified",
        "city",
        "流调",
        "隔离",
    )
    history = client.get(f"{BASE}{pk}/").content.decode()
    assert history.count("<tr>") >= 6  # header + created, verified, investigation, measures, escalated


@pytest.mark.parametrize(
    ("path", "data", "field"),
    [
        ("conclude", {"conclusion": "maybe"}, "conclusion"),
        ("conclude", {"conclusion": "false_alarm", "note": ""}, "note"),
        ("response", {}, "investigation"),
        ("escalate", {"reason": "  "}, "reason"),
    ],
)
def test_bad_form_input_shows_bilingual_errors_and_saves_nothing(
    two_county_signals, make_user, path, data, field
):
    client = signed_in(make_user("county_officer", county=JIANYANG))
    pk = two_county_signals["jianyang"].pk
    before = _snapshot()
    response = client.post(f"{BASE}{pk}/{path}/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'data-field="{field}"' in html
    problem = response.context["errors"][0]
    assert problem.field == field and problem.message_zh in html and problem.message_en in html
    assert _snapshot() == before


def test_health_department_reads_without_forms(two_county_signals, make_user):
    client = signed_in(make_user("department_officer", domain="health"))
    pk = two_county_signals["jianyang"].pk
    page = client.get(f"{BASE}{pk}/")
    assert page.status_code == 200 and b"conclude-form" not in page.content
    assert client.post(f"{BASE}{pk}/conclude/", {"conclusion": "verified"}).status_code == 403


def test_curve_page_draws_counts_and_threshold_band(two_county_signals, make_user):
    client = signed_in(make_user("county_officer", county=JIANYANG))
    page = client.get(f"{BASE}curve/", {"disease": "dysentery", "region": JIANYANG, "frequency": "day",
                                        "end": AS_OF.isoformat()})  # fmt: skip
    assert page.status_code == 200
    curve = page.context["curve"]
    assert curve["counts"][-1] == 3 and curve["threshold"][-1] == 0.0 and curve["signals"]
    html = page.content.decode()
    assert "surveillance/signals_curve.js" in html and 'id="curve-data"' in html


def test_curve_page_bad_input(two_county_signals, make_user):
    client = signed_in(make_user("county_officer", county=JIANYANG))
    bad = client.get(f"{BASE}curve/", {"disease": "nope", "region": JIANYANG, "end": "2026-02-30"})
    assert bad.status_code == 400
    assert {p.field for p in bad.context["errors"]} == {"disease", "end"}
    assert "Unknown disease code" in bad.content.decode() and "未知的病种代码" in bad.content.decode()


def test_tables_page_per_disease_and_county_with_verification_times(two_county_signals, make_user):
    admin = make_user("city_admin")
    client = signed_in(admin)
    client.post(
        f"{BASE}{two_county_signals['dayi'].pk}/conclude/", {"conclusion": "false_alarm", "note": "误报"}
    )
    page = client.get(f"{BASE}tables/")
    assert page.status_code == 200
    by_county = {r["code"]: r for r in page.context["by_county"]}
    assert by_county[DAYI]["false_alarm"] == 1 and by_county[DAYI]["share_within_deadline"] == 1.0
    assert by_county[JIANYANG]["total"] == 2 and by_county[JIANYANG]["median_hours"] is None
    by_disease = {r["code"]: r["total"] for r in page.context["by_disease"]}
    assert by_disease == {"cholera": 2, "dysentery": 1}
    assert page.context["figures"]["concluded"] == 1
    county_page = signed_in(make_user("county_officer", county=DAYI)).get(f"{BASE}tables/")
    assert [r["code"] for r in county_page.context["by_county"]] == [DAYI]


def test_pages_are_in_chinese_by_default_and_english_on_request(two_county_signals, make_user, settings):
    client = signed_in(make_user("county_officer", county=JIANYANG))
    pk = two_county_signals["jianyang"].pk
    zh = client.get(f"{BASE}{pk}/").content.decode()
    assert "核实时限" in zh and "上报市疾控" in zh and "Verification due" not in zh
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en = client.get(f"{BASE}{pk}/").content.decode()
    assert "Verification due" in en and "Escalate to the city CDC" in en
