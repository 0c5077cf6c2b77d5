"""The auditor's page: who may see it, filters (Asia/Shanghai days), pagination and exports."""

import csv
import datetime as dt
import io
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from countybridge.core import audit
from countybridge.core.models import AuditEvent

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _event_at(when: dt.datetime, **fields) -> AuditEvent:
    """An audit row stamped at `when` (the field is auto_now_add and rows cannot be edited afterwards)."""
    with mock.patch("django.utils.timezone.now", return_value=when):
        return audit.record(actor=fields.pop("actor", None), action=fields.pop("action", "create"), **fields)


@pytest.fixture
def auditor_client(client, make_user):
    client.force_login(make_user("auditor"))
    return client


@pytest.mark.parametrize(
    "role, kwargs",
    [
        ("public", {}),
        ("county_officer", {"county": "510185"}),
        ("department_officer", {"domain": "health"}),
    ],
)
@pytest.mark.parametrize("name", ["core:audit_list", "core:audit_export"])
def test_other_roles_are_refused(client, make_user, role, kwargs, name):
    user = make_user(role, **kwargs)
    client.force_login(user)
    assert client.get(reverse(name)).status_code == 403
    # the refusal itself is on the record
    assert AuditEvent.objects.filter(action="denied", actor=user, object_type="core.AuditEvent").exists()


def test_institution_staff_refused(client, make_user, make_org):
    client.force_login(make_user("institution_staff", organisation=make_org("510185")))
    assert client.get(reverse("core:audit_list")).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("core:audit_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ["auditor", "city_admin"])
def test_auditor_and_city_admin_see_the_log(client, make_user, role):
    client.force_login(make_user(role))
    audit.record(actor=None, action="import", object_type="core.Region", object_repr="regions 简阳")
    response = client.get(reverse("core:audit_list"))
    assert response.status_code == 200
    assert "regions 简阳" in response.content.decode()


def test_day_filter_uses_shanghai_days(auditor_client):
    # 2025-03-01 23:30 in Shanghai is 15:30 UTC; 2025-03-02 00:30 in Shanghai is still 2025-03-01 in UTC
    late = _event_at(dt.datetime(2025, 3, 1, 23, 30, tzinfo=SHANGHAI), object_repr="late-evening")
    early_next = _event_at(dt.datetime(2025, 3, 2, 0, 30, tzinfo=SHANGHAI), object_repr="just-after-midnight")
    before = _event_at(dt.datetime(2025, 2, 28, 23, 59, 59, tzinfo=SHANGHAI), object_repr="day-before")
    response = auditor_client.get(
        reverse("core:audit_list"), {"date_from": "2025-03-01", "date_to": "2025-03-01"}
    )
    shown = [e.pk for e in response.context["page"]]
    assert shown == [late.pk]
    response = auditor_client.get(
        reverse("core:audit_list"), {"date_from": "2025-03-02", "date_to": "2025-03-02"}
    )
    assert [e.pk for e in response.context["page"]] == [early_next.pk]
    # the page shows local time, not UTC
    assert "2025-03-02 00:30:00" in response.content.decode()
    response = auditor_client.get(reverse("core:audit_list"), {"date_to": "2025-02-28"})
    assert before.pk in [e.pk for e in response.context["page"]]
    assert late.pk not in [e.pk for e in response.context["page"]]


def test_filters_by_actor_role_action_type_and_region(auditor_client, make_user):
    officer = make_user("county_officer", county="510185")
    admin = make_user("city_admin")
    hit = audit.record(
        actor=officer,
        action="unmask",
        object_type="core.Person",
        object_id="1",
        region_code="510185001",
        reason="核对身份",
    )
    audit.record(actor=admin, action="unmask", object_type="core.Person", region_code="510129")
    audit.record(actor=officer, action="read_sensitive", object_type="core.Person", region_code="510185")
    audit.record(actor=officer, action="unmask", object_type="core.Organisation", region_code="510185")
    params = {
        "actor": officer.username,
        "role": "county_officer",
        "action": "unmask",
        "object_type": "core.Person",
        "region": "510185",
    }
    response = auditor_client.get(reverse("core:audit_list"), params)
    assert response.status_code == 200
    assert [e.pk for e in response.context["page"]] == [hit.pk]


@pytest.mark.parametrize(
    "params, fragment",
    [
        ({"date_from": "2025-13-01"}, "YYYY-MM-DD"),
        ({"date_from": "2025-03-02", "date_to": "2025-03-01"}, "must not be after"),
        ({"role": "superuser"}, "Unknown role"),
        ({"action": "drop"}, "Unknown action"),
        ({"region": "abc"}, "2 to 12 digits"),
        ({"object_type": "x'; drop"}, "Object type is not valid"),
    ],
)
def test_bad_filters_are_refused_not_ignored(auditor_client, params, fragment):
    audit.record(actor=None, action="import", object_type="core.Region")
    response = auditor_client.get(reverse("core:audit_list"), params)
    assert response.status_code == 400
    body = response.content.decode()
    assert fragment in body
    assert len(response.context["page"].object_list) == 0  # no rows rather than all rows
    export = auditor_client.get(reverse("core:audit_export"), {**params, "format": "csv"})
    assert export.status_code == 400 and fragment in export.content.decode()


def test_pagination(auditor_client):
    for i in range(120):
        audit.record(actor=None, action="import", object_type="test.Bulk", object_repr=f"row {i}")
    first = auditor_client.get(reverse("core:audit_list"), {"object_type": "test.Bulk"})
    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].paginator.num_pages == 3
    third = auditor_client.get(reverse("core:audit_list"), {"object_type": "test.Bulk", "page": 3})
    assert len(third.context["page"].object_list) == 20
    assert "row 0" in third.content.decode()  # oldest last


def test_csv_export_has_bom_local_times_and_is_recorded(auditor_client):
    _event_at(
        dt.datetime(2025, 3, 1, 23, 30, tzinfo=SHANGHAI),
        object_type="core.Region",
        object_repr="大邑县 䢺江镇",
        region_code="510129",
    )
    _event_at(
        dt.datetime(2025, 3, 1, 10, 0, tzinfo=SHANGHAI),
        object_type="core.Region",
        object_repr='=HYPERLINK("http://x")',
    )
    response = auditor_client.get(
        reverse("core:audit_export"), {"format": "csv", "date_from": "2025-03-01", "date_to": "2025-03-01"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM so Excel opens Chinese correctly
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0].startswith("时间") and len(rows) == 3
    assert rows[1][0] == "2025-03-01 23:30:00" and rows[1][6] == "大邑县 䢺江镇"
    assert rows[2][6].startswith("'=")  # formula neutralised
    export_row = AuditEvent.objects.filter(action="export", object_type="core.AuditEvent").get()
    assert export_row.details["format"] == "csv" and export_row.details["rows"] == 2


def test_xlsx_export(auditor_client):
    from openpyxl import load_workbook

    _event_at(
        dt.datetime(2025, 3, 1, 23, 30, tzinfo=SHANGHAI), object_type="core.Region", object_repr="简阳市"
    )
    response = auditor_client.get(
        reverse("core:audit_export"), {"format": "xlsx", "date_from": "2025-03-01", "date_to": "2025-03-01"}
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == "2025-03-01 23:30:00" and rows[1][6] == "简阳市"
    assert AuditEvent.objects.filter(action="export", details__format="xlsx").exists()


def test_unknown_export_format(auditor_client):
    response = auditor_client.get(reverse("core:audit_export"), {"format": "pdf"})
    assert response.status_code == 400
    assert "未知导出格式" in response.content.decode()
    assert not AuditEvent.objects.filter(action="export").exists()


def test_query_count_does_not_grow_with_rows(auditor_client, django_assert_max_num_queries, make_user):
    officer = make_user("county_officer", county="510185")
    for i in range(60):
        audit.record(actor=officer, action="read_sensitive", object_type="core.Person", object_id=str(i))
    # session, user, count, page rows, object-type list, and the navigation's look-ups
    with django_assert_max_num_queries(8):
        response = auditor_client.get(reverse("core:audit_list"))
    assert len(response.context["page"].object_list) == 50
