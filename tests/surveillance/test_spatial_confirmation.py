# ruff: noqa: F811  (fixtures imported from signal_support are used as test arguments)
"""The space-time scan as the second stage on MPM signals (facts: surveillance.md § 2.1): an injected
township cluster is confirmed through the detection run, null data is not, too few cases and missing
township coordinates are stored as such (the latter naming the townships, in Chinese and English), a rerun
scans nothing again, scope and roles are enforced on the API and the page, and bad input stores nothing."""

import datetime as dt
import math

import numpy as np
import pytest
from django.utils import timezone

from countybridge.core.models import AuditEvent, Organisation, Region, RegionLevel
from countybridge.surveillance import services_spatial
from countybridge.surveillance.demo import demo_township_coordinates
from countybridge.surveillance.models import CaseReport, Signal, SignalEvent
from countybridge.surveillance.selectors_reports import township_case_counts
from countybridge.surveillance.services_signals import detection_run
from tests.support import assert_error, signed_in

from .signal_support import AS_OF, DAYI, JIANYANG, diseases, two_county_signals  # noqa: F401

API = "/api/surveillance/signals"
BASE = "/surveillance/signals/"


def _townships(county: str = JIANYANG) -> list[Region]:
    return list(Region.objects.filter(level=RegionLevel.TOWNSHIP, parent__code=county).order_by("code"))


def _place_townships(county: str = JIANYANG) -> list[Region]:
    """Real-looking coordinates on a 10 km grid around the county seat (not marked synthetic)."""
    townships = _townships(county)
    seat = Region.objects.get(code=county)
    for i, t in enumerate(townships):
        t.lon = round(seat.lon + 0.1 * (i % 6 - 2.5), 6)
        t.lat = round(seat.lat + 0.09 * (i // 6 - 2), 6)
    Region.objects.bulk_update(townships, ["lon", "lat"])
    return townships


def _add(disease, township: Region | None, day: dt.date, n: int, *, county: str = JIANYANG, **extra) -> None:
    region = Region.objects.get(code=county)
    org = Organisation.objects.filter(region=region).first() or Organisation.objects.create(
        kind="hospital",
        name=f"{county} 人民医院",
        region=region,
        hospital_level=2,
        hospital_grade="甲",
        beds=300,
    )
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    start = CaseReport.objects.count()
    CaseReport.objects.bulk_create(
        CaseReport(organisation=org, region=region, township=township, disease=disease,
                   case_classification="confirmed", diagnosed_at=at, onset_date=day, report_date=day,
                   legal_class="B", deadline_hours=24, deadline_at=at + dt.timedelta(hours=24), reported_at=at,
                   patient_key=f"s{start + i}", patient_name_masked="张*", **extra)
        for i in range(n)
    )  # fmt: skip


def _background(disease, townships, *, seed: int, per_day: float = 1.2, end: dt.date = AS_OF) -> None:
    """372 days of sporadic cases spread over the townships (Poisson, no cluster)."""
    rng = np.random.default_rng(seed)
    start = end - dt.timedelta(days=371)
    for d in range(372):
        day = start + dt.timedelta(days=d)
        for t_index in rng.choice(len(townships), size=rng.poisson(per_day)):
            _add(disease, townships[int(t_index)], day, 1)


def _make_signal(disease, county: str = JIANYANG) -> Signal:
    """An MPM signal on AS_OF as the detection run stores it (the scan does not depend on how it came)."""
    now = timezone.now()
    signal = Signal.objects.create(disease=disease, region=Region.objects.get(code=county), frequency="day",
                                   period=AS_OF.isoformat(), period_start=AS_OF - dt.timedelta(days=6),
                                   period_end=AS_OF, method="cidars-daily", observed=12, threshold=9,
                                   detected_at=now, deadline_at=now + dt.timedelta(hours=24))  # fmt: skip
    SignalEvent.objects.create(signal=signal, kind="created", to_status="pending", to_level="county")
    return signal


def _mpm_signal(disease, county: str = JIANYANG) -> Signal:
    return Signal.objects.get(disease=disease, region__code=county, period=AS_OF.isoformat())


def _stored(signal: Signal) -> tuple:
    signal.refresh_from_db()
    return (
        signal.spatial_status,
        signal.spatial_p,
        signal.spatial_cluster,
        signal.events.filter(kind="spatial_scan").count(),
        AuditEvent.objects.filter(object_type="surveillance.Signal", details__signal="spatial_scan").count(),
    )


@pytest.fixture
def placed(db):
    return _place_townships()


def test_township_counts_count_duplicates_and_withdrawn_reports_out(diseases, placed):
    dysentery = diseases["dysentery"]
    _add(dysentery, placed[0], AS_OF, 3)
    _add(dysentery, placed[1], AS_OF - dt.timedelta(days=2), 2)
    _add(dysentery, None, AS_OF, 1)  # no township: cannot be placed
    _add(dysentery, placed[2], AS_OF, 1, status=CaseReport.Status.WITHDRAWN)
    first = CaseReport.objects.filter(township=placed[0]).first()
    _add(dysentery, placed[0], AS_OF, 1, duplicate_of=first)
    _add(dysentery, placed[0], AS_OF - dt.timedelta(days=400), 5)  # before the window
    counted = township_case_counts(dysentery, JIANYANG, start=AS_OF - dt.timedelta(days=6), end=AS_OF)
    assert [t.code for t in counted.townships] == [t.code for t in placed]
    assert counted.counts.shape == (len(placed), 7)
    assert counted.counts[0, 6] == 3 and counted.counts[1, 4] == 2 and counted.counts.sum() == 5
    assert counted.unplaced == 1


def test_injected_cluster_is_confirmed_through_the_detection_run(diseases, placed):
    dysentery = diseases["dysentery"]
    _background(dysentery, placed, seed=7)
    focus = placed[7]
    _add(dysentery, focus, AS_OF, 24)  # 24 extra cases in one township on the last day (a school)
    summary = detection_run(frequency="day", as_of=AS_OF)
    signal = _mpm_signal(dysentery)
    assert signal.method == "cidars-daily" and summary["spatial_scans"].get("confirmed") == 1
    assert signal.spatial_status == "confirmed" and signal.is_spatially_confirmed
    assert signal.spatial_p < 0.05
    cluster = signal.spatial_cluster
    assert focus.code in [t["code"] for t in cluster["townships"]]
    assert cluster["end"] == AS_OF.isoformat()
    assert dt.date.fromisoformat(cluster["start"]) >= AS_OF - dt.timedelta(days=6)
    assert cluster["observed"] >= 24 and cluster["observed"] > cluster["expected"]
    assert cluster["relative_risk"] > 1 and cluster["llr"] > 0 and cluster["coordinates_synthetic"] is False
    assert signal.spatial_detail["replicas"] == 999 and signal.spatial_detail["max_window_days"] == 7
    assert signal.spatial_detail["study_start"] == (AS_OF - dt.timedelta(days=371)).isoformat()
    # never changes the signal otherwise
    assert (signal.status, signal.level) == ("pending", "county")
    kinds = list(signal.events.values_list("kind", flat=True))
    assert kinds == ["created", "spatial_scan"]
    # the list marks it, the detail shows the cluster
    officer = signed_in_officer(JIANYANG)
    listing = officer.get(BASE).content.decode()
    assert 'data-testid="spatially-confirmed"' in listing
    page = officer.get(f"{BASE}{signal.pk}/").content.decode()
    assert 'data-status="confirmed"' in page and focus.name_zh in page and "spatial-synthetic" not in page
    body = officer.get(f"{API}/{signal.pk}").json()
    assert body["spatial_status"] == "confirmed" and body["spatial_p"] == signal.spatial_p
    assert body["spatial_cluster"]["townships"][0]["code"] == cluster["townships"][0]["code"]
    # a rerun of the run stores and scans nothing again
    again = detection_run(frequency="day", as_of=AS_OF)
    assert again["signals_created"] == 0 and again["spatial_scans"] == {}
    assert signal.events.filter(kind="spatial_scan").count() == 1


def signed_in_officer(county: str):
    from countybridge.core.models import User

    user = User.objects.create_user(username=f"officer-{county}", password="x" * 12, role="county_officer",
                                    region=Region.objects.get(code=county))  # fmt: skip
    return signed_in(user)


def test_null_data_is_not_confirmed(diseases, placed, make_user):
    dysentery = diseases["dysentery"]
    _background(dysentery, placed, seed=11)
    signal = _make_signal(dysentery)
    services_spatial.signal_spatial_scan(actor=make_user("department_officer", domain="cdc"), signal=signal)
    signal.refresh_from_db()
    assert signal.spatial_status == "not_confirmed"
    assert signal.spatial_p is None or signal.spatial_p >= 0.05
    assert signal.spatial_detail["message_zh"] and signal.spatial_detail["message_en"]
    assert (signal.status, signal.level) == ("pending", "county")


def test_too_few_cases_is_stored_as_such(two_county_signals, placed):
    signal = two_county_signals["jianyang_mpm"]  # 3 cases, no township
    signal.refresh_from_db()
    assert (
        signal.spatial_status == "too_few_cases" and signal.spatial_p is None and signal.spatial_cluster == {}
    )
    assert (
        "10" in signal.spatial_detail["message_zh"]
        and "fewer than the 10" in signal.spatial_detail["message_en"]
    )
    assert signal.spatial_detail["unplaced_cases"] == 3
    # fixed-threshold signals are not scanned
    assert two_county_signals["jianyang"].spatial_status == "not_run"


def test_missing_coordinates_names_the_townships_in_both_languages(diseases, placed, make_user, settings):
    dysentery = diseases["dysentery"]
    _background(dysentery, placed, seed=3)
    lacking = [placed[2], placed[5]]
    Region.objects.filter(pk__in=[t.pk for t in lacking]).update(lon=None, lat=None)
    # a township without any case needs no point: it cannot change a cylinder's count
    empty = _townships()[-1]
    CaseReport.objects.filter(township=empty).delete()
    Region.objects.filter(pk=empty.pk).update(lon=None, lat=None)
    signal = services_spatial.signal_spatial_scan(
        actor=make_user("city_admin"), signal=_make_signal(dysentery)
    )
    detail = signal.spatial_detail
    assert signal.spatial_status == "no_coordinates" and signal.spatial_p is None
    assert detail["missing_townships"] == [t.code for t in lacking]
    for t in lacking:
        assert (
            t.name_zh in detail["message_zh"]
            and t.code in detail["message_en"]
            and t.name_en in detail["message_en"]
        )
    assert empty.code not in detail["message_en"]
    assert "行政区划导入" in detail["message_zh"] and "regions import" in detail["message_en"]
    client = signed_in(make_user("county_officer", county=JIANYANG))
    page = client.get(f"{BASE}{signal.pk}/").content.decode()
    assert lacking[0].name_zh in page and 'data-status="no_coordinates"' in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(f"{BASE}{signal.pk}/").content.decode()
    assert "regions import" in english and lacking[0].name_en in english


def test_scan_on_demand_is_idempotent_unless_asked(diseases, placed, make_user):
    dysentery = diseases["dysentery"]
    _background(dysentery, placed, seed=5)
    _add(dysentery, placed[10], AS_OF, 20)
    signal = _make_signal(dysentery)
    assert signal.spatial_status == "not_run"
    client = signed_in(make_user("department_officer", domain="cdc"))
    first = client.post(f"{API}/{signal.pk}/scan", {}, content_type="application/json")
    assert first.status_code == 200 and first.json()["spatial_status"] == "confirmed"
    assert [e["kind"] for e in first.json()["events"]] == ["created", "spatial_scan"]
    once = _stored(signal)
    again = client.post(f"{API}/{signal.pk}/scan", content_type="application/json")  # no body: not rescanned
    assert again.status_code == 200 and _stored(signal) == once
    rescanned = client.post(f"{API}/{signal.pk}/scan", {"rescan": True}, content_type="application/json")
    assert rescanned.status_code == 200
    after = _stored(signal)
    assert after[:3] == once[:3]  # same data, same seed: the same result
    assert after[3:] == (once[3] + 1, once[4] + 1)


def test_page_button_scans_for_the_county_officer(diseases, placed, make_user):
    dysentery = diseases["dysentery"]
    _background(dysentery, placed, seed=5)
    _add(dysentery, placed[10], AS_OF, 20)
    signal = _make_signal(dysentery)
    client = signed_in(make_user("county_officer", county=JIANYANG))
    page = client.get(f"{BASE}{signal.pk}/").content.decode()
    assert 'data-testid="scan-form"' in page and 'data-status="not_run"' in page
    assert client.post(f"{BASE}{signal.pk}/scan/").status_code == 302
    signal.refresh_from_db()
    assert signal.spatial_status == "confirmed"
    page = client.get(f"{BASE}{signal.pk}/").content.decode()
    assert 'name="rescan" value="1"' in page and placed[10].name_zh in page
    # the city administrator may scan again
    admin = signed_in(make_user("city_admin"))
    assert admin.post(f"{BASE}{signal.pk}/scan/", {"rescan": "1"}).status_code == 302
    assert signal.events.filter(kind="spatial_scan").count() == 2


def test_other_county_officer_cannot_scan(two_county_signals, make_user):
    signal = two_county_signals["jianyang_mpm"]
    Signal.objects.filter(pk=signal.pk).update(spatial_status="not_run")
    client = signed_in(make_user("county_officer", county=DAYI))
    before = _stored(signal)
    assert_error(client.post(f"{API}/{signal.pk}/scan", {}, content_type="application/json"), 404)
    assert_error(
        client.post(f"{API}/{signal.pk}/scan", {"rescan": True}, content_type="application/json"), 404
    )
    assert client.post(f"{BASE}{signal.pk}/scan/").status_code == 404
    assert client.post(f"{BASE}{signal.pk}/scan/", {"rescan": "1"}).status_code == 404
    assert _stored(signal) == before


@pytest.mark.parametrize(
    ("role", "extra"),
    [("public", {}), ("auditor", {}), ("department_officer", {"domain": "education"}),
     ("department_officer", {"domain": "health"})],
)  # fmt: skip
def test_other_roles_cannot_scan(two_county_signals, make_user, role, extra):
    signal = two_county_signals["jianyang_mpm"]
    client = signed_in(make_user(role, **extra))
    before = _stored(signal)
    assert_error(
        client.post(f"{API}/{signal.pk}/scan", {"rescan": True}, content_type="application/json"), 403
    )
    assert client.post(f"{BASE}{signal.pk}/scan/", {"rescan": "1"}).status_code == 403
    assert _stored(signal) == before
    if role == "department_officer" and extra["domain"] == "health":  # reads, but no scan button
        page = client.get(f"{BASE}{signal.pk}/").content.decode()
        assert 'data-testid="spatial-scan"' in page and "scan-form" not in page


def test_bad_input_is_refused_in_both_languages_and_stores_nothing(two_county_signals, make_user):
    client = signed_in(make_user("county_officer", county=JIANYANG))
    fixed = two_county_signals["jianyang"]
    before = _stored(fixed)
    error = assert_error(client.post(f"{API}/{fixed.pk}/scan", {}, content_type="application/json"), 422)
    assert error["details"][0]["code"] == "not_mpm" and "MPM" in error["details"][0]["message_en"]
    assert "移动百分位数法" in error["details"][0]["message_zh"]
    page = client.post(f"{BASE}{fixed.pk}/scan/")
    assert page.status_code == 400
    html = page.content.decode()
    assert 'data-field="method"' in html and "移动百分位数法" in html and "moving-percentile" in html
    assert "scan-form" not in client.get(f"{BASE}{fixed.pk}/").content.decode()
    assert _stored(fixed) == before
    assert_error(client.post(f"{API}/999999/scan", {}, content_type="application/json"), 404)
    assert client.post(f"{BASE}999999/scan/").status_code == 404
    mpm = two_county_signals["jianyang_mpm"]
    before = _stored(mpm)
    assert_error(
        client.post(f"{API}/{mpm.pk}/scan", {"rescan": "often"}, content_type="application/json"), 422
    )
    assert client.get(f"{BASE}{mpm.pk}/scan/").status_code == 405
    assert _stored(mpm) == before


def test_demo_coordinates_fill_only_missing_points_and_are_marked_synthetic(db, make_user):
    from countybridge.core.services import region_update

    townships = _townships()
    real = townships[0]
    real.lon, real.lat = 104.55, 30.39
    real.save()
    filled = demo_township_coordinates(seed=42)
    assert (
        filled == Region.objects.filter(level=RegionLevel.TOWNSHIP, parent__is_county_city=True).count() - 1
    )
    real.refresh_from_db()
    assert (real.lon, real.lat, real.coordinates_are_synthetic) == (104.55, 30.39, False)
    other = Region.objects.get(pk=townships[1].pk)
    seat = Region.objects.get(code=JIANYANG)
    assert other.coordinates_are_synthetic and math.dist((other.lon, other.lat), (seat.lon, seat.lat)) < 0.3
    assert demo_township_coordinates(seed=42) == 0  # a second load fills nothing
    # coordinates given by the administrator (form or regions import) are real again
    region_update(actor=make_user("city_admin"), region=other, data={"lon": 104.6, "lat": 30.4})
    other.refresh_from_db()
    assert (other.lon, other.coordinates_are_synthetic) == (104.6, False)


def test_synthetic_coordinates_are_shown_with_the_cluster(diseases, make_user):
    dysentery = diseases["dysentery"]
    demo_township_coordinates(seed=1)
    townships = _townships()
    _background(dysentery, townships, seed=7)
    _add(dysentery, townships[4], AS_OF, 24)
    detection_run(frequency="day", as_of=AS_OF)
    signal = _mpm_signal(dysentery)
    assert signal.spatial_status == "confirmed" and signal.spatial_cluster["coordinates_synthetic"] is True
    assert signal.spatial_detail["coordinates_synthetic"] is True
    page = signed_in(make_user("county_officer", county=JIANYANG)).get(f"{BASE}{signal.pk}/")
    assert 'data-testid="spatial-synthetic"' in page.content.decode()


def test_service_scan_refuses_non_mpm_signal(two_county_signals, make_user):
    from countybridge.core.services.errors import ServiceValidationError

    officer = make_user("county_officer", county=JIANYANG)
    with pytest.raises(ServiceValidationError) as err:
        services_spatial.signal_spatial_scan(actor=officer, signal=two_county_signals["jianyang"])
    assert err.value.problems[0].code == "not_mpm"
    assert not SignalEvent.objects.filter(kind="spatial_scan", signal=two_county_signals["jianyang"]).exists()
