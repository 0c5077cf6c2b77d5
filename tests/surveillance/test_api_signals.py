# ruff: noqa: F811  (fixtures imported from signal_support are used as test arguments)
"""Signal API: scope (大邑's officer cannot see or act on 简阳's signals), refused roles, bad input with a
bilingual structured error and nothing changed, the curve, map, summary and the detection-run start."""

import pytest

from countybridge.core.models import AuditEvent
from countybridge.surveillance.models import Signal, SignalEvent
from tests.support import assert_error, signed_in

from .signal_support import AS_OF, DAYI, JIANYANG, diseases, two_county_signals  # noqa: F401

API = "/api/surveillance/signals"


def _snapshot():
    return (
        list(Signal.objects.order_by("pk").values_list("status", "level", "investigation", "measures")),
        SignalEvent.objects.count(),
        AuditEvent.objects.filter(object_type="surveillance.Signal").count(),
    )


def test_county_officer_lists_and_reads_own_county_only(two_county_signals, make_user):
    client = signed_in(make_user("county_officer", county=DAYI))
    listed = client.get(API).json()
    assert listed["count"] == 1 and listed["items"][0]["region"] == DAYI
    assert client.get(API, {"region": JIANYANG}).json()["count"] == 0
    own = client.get(f"{API}/{two_county_signals['dayi'].pk}")
    assert own.status_code == 200 and [e["kind"] for e in own.json()["events"]] == ["created"]
    assert_error(client.get(f"{API}/{two_county_signals['jianyang'].pk}"), 404)
    map_rows = client.get(f"{API}/map").json()
    assert [r["code"] for r in map_rows] == [DAYI] and map_rows[0]["open"] == 1
    assert_error(client.get(f"{API}/curve", {"disease": "cholera", "region": JIANYANG}), 404)
    summary = client.get(f"{API}/summary", {"by": "county"}).json()
    assert [r["code"] for r in summary["rows"]] == [DAYI]


def test_county_officer_cannot_act_on_another_county(two_county_signals, make_user):
    client = signed_in(make_user("county_officer", county=DAYI))
    target = two_county_signals["jianyang"].pk
    before = _snapshot()
    for path, body in (
        ("conclude", {"conclusion": "verified", "note": ""}),
        ("response", {"measures": "消毒"}),
        ("escalate", {"reason": "x"}),
    ):
        assert_error(client.post(f"{API}/{target}/{path}", body, content_type="application/json"), 404)
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("role", "extra"),
    [
        ("public", {}),
        ("auditor", {}),
        ("department_officer", {"domain": "education"}),
        ("institution_staff", {"organisation": "own"}),
    ],
)
def test_other_roles_are_refused(two_county_signals, make_user, make_org, role, extra):
    if extra.get("organisation"):
        extra = {"organisation": make_org(JIANYANG)}
    client = signed_in(make_user(role, **extra))
    target = two_county_signals["jianyang"].pk
    before = _snapshot()
    assert_error(client.get(API), 403)
    assert_error(client.get(f"{API}/{target}"), 403)
    assert_error(client.get(f"{API}/map"), 403)
    assert_error(client.get(f"{API}/summary"), 403)
    assert_error(client.get(f"{API}/curve", {"disease": "cholera", "region": JIANYANG}), 403)
    assert_error(
        client.post(f"{API}/{target}/conclude", {"conclusion": "verified"}, content_type="application/json"),
        403,
    )
    assert_error(client.post(f"{API}/runs", {}, content_type="application/json"), 403)
    assert _snapshot() == before


def test_anonymous_is_refused(two_county_signals, client):
    assert_error(client.get(API), 401)


def test_health_department_reads_but_does_not_act(two_county_signals, make_user):
    client = signed_in(make_user("department_officer", domain="health"))
    assert client.get(API).json()["count"] == 3
    target = two_county_signals["jianyang"].pk
    assert_error(
        client.post(f"{API}/{target}/escalate", {"reason": "x"}, content_type="application/json"), 403
    )


def test_conclude_response_escalate_through_the_api(two_county_signals, make_user):
    client = signed_in(make_user("county_officer", county=JIANYANG))
    pk = two_county_signals["jianyang_mpm"].pk
    done = client.post(f"{API}/{pk}/conclude", {"conclusion": "verified", "note": "学校聚集"},
                       content_type="application/json")  # fmt: skip
    assert done.status_code == 200 and done.json()["status"] == "verified"
    resp = client.post(f"{API}/{pk}/response", {"investigation": "现场流调", "measures": "晨检"},
                       content_type="application/json")  # fmt: skip
    assert resp.json()["investigation"] == "现场流调" and resp.json()["measures"] == "晨检"
    up = client.post(f"{API}/{pk}/escalate", {"reason": "跨校传播"}, content_type="application/json")
    assert up.json()["level"] == "city"
    assert [e["kind"] for e in up.json()["events"]] == [
        "created",
        "spatial_scan",  # the detection run's space-time scan of the new MPM signal
        "verified",
        "investigation",
        "measures",
        "escalated",
    ]
    summary = client.get(f"{API}/summary", {"by": "disease"}).json()
    row = next(r for r in summary["rows"] if r["code"] == "dysentery")
    assert (row["verified"], row["escalated"], row["concluded"]) == (1, 1, 1)
    assert row["share_within_deadline"] == 1.0
    assert summary["overall"]["signals"] == 2 and summary["overall"]["concluded"] == 1


@pytest.mark.parametrize(
    ("path", "body", "status", "field"),
    [
        ("conclude", {"conclusion": "maybe"}, 422, "conclusion"),
        ("conclude", {"conclusion": "false_alarm", "note": " "}, 422, "note"),
        ("conclude", {}, 422, "conclusion"),
        ("response", {}, 422, "investigation"),
        ("response", {"measures": 5}, 422, "measures"),
        ("escalate", {"reason": ""}, 422, "reason"),
        ("escalate", {"reason": "x" * 5000}, 422, "reason"),
    ],
)
def test_bad_input_is_a_bilingual_structured_error_and_changes_nothing(
    two_county_signals, make_user, path, body, status, field
):
    client = signed_in(make_user("county_officer", county=JIANYANG))
    before = _snapshot()
    pk = two_county_signals["jianyang"].pk
    error = assert_error(client.post(f"{API}/{pk}/{path}", body, content_type="application/json"), status)
    fields = [d["field"] for d in error["details"]]
    assert any(f == field or f.endswith(f".{field}") for f in fields), error
    assert all(d["message_zh"] and d["message_en"] for d in error["details"])
    assert _snapshot() == before


def test_bad_query_parameters(two_county_signals, make_user):
    client = signed_in(make_user("city_admin"))
    assert_error(client.get(API, {"status": "open"}), 422)
    assert_error(client.get(f"{API}/curve", {"disease": "nope", "region": JIANYANG}), 422)
    assert_error(client.get(f"{API}/curve", {"disease": "cholera", "region": JIANYANG, "periods": 1}), 422)
    assert_error(client.get(f"{API}/summary", {"by": "township"}), 422)


def test_epidemic_curve_has_counts_threshold_and_signals(two_county_signals, make_user):
    client = signed_in(make_user("department_officer", domain="cdc"))
    got = client.get(f"{API}/curve", {"disease": "dysentery", "region": JIANYANG, "frequency": "day",
                                      "end": AS_OF.isoformat(), "periods": 30})  # fmt: skip
    assert got.status_code == 200
    curve = got.json()
    assert len(curve["periods"]) == len(curve["counts"]) == len(curve["threshold"]) == 30
    assert curve["periods"][-1] == AS_OF.isoformat() and curve["counts"][-1] == 3
    assert curve["method"] == "cidars-daily" and curve["threshold"][-1] == 0.0
    assert [s["period"] for s in curve["signals"]] == [AS_OF.isoformat()]


def test_start_run_needs_the_cdc_and_valid_parameters(
    diseases, make_user, django_capture_on_commit_callbacks
):
    county = signed_in(make_user("county_officer", county=DAYI))
    assert_error(county.post(f"{API}/runs", {}, content_type="application/json"), 403)
    cdc = signed_in(make_user("department_officer", domain="cdc"))
    assert_error(cdc.post(f"{API}/runs", {"frequency": "month"}, content_type="application/json"), 422)
    assert_error(cdc.post(f"{API}/runs", {"as_of": "2026-13-01"}, content_type="application/json"), 422)
    with django_capture_on_commit_callbacks(execute=False):
        started = cdc.post(
            f"{API}/runs", {"frequency": "week", "as_of": "2026-11-22"}, content_type="application/json"
        )
    assert started.status_code == 202 and started.json()["job_id"]


def test_unknown_query_parameter_is_refused(two_county_signals, make_user):
    client = signed_in(make_user("city_admin"))
    error = assert_error(client.get(API, {"county": JIANYANG}), 400, "unknown_parameter")
    assert any("county" in d["field"] for d in error["details"])


def test_curve_needs_disease_and_region(two_county_signals, make_user):
    client = signed_in(make_user("city_admin"))
    error = assert_error(client.get(f"{API}/curve"), 422, "validation_failed")
    assert {d["field"] for d in error["details"]} == {"disease", "region"}
    assert_error(client.get(f"{API}/curve", {"regoin": JIANYANG}), 400, "unknown_parameter")
