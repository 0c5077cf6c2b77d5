"""Audit rows can be neither edited nor deleted: not by the ORM, and not by raw SQL (database triggers)."""

import pytest
from django.db import DatabaseError, connection, transaction

from countybridge.core import audit
from countybridge.core.models import AuditEvent


@pytest.fixture
def event(db):
    return audit.record(actor=None, action="import", object_type="core.Region", object_repr="original")


def _unchanged(event):
    row = AuditEvent.objects.get(pk=event.pk)
    assert row.object_repr == "original"


def test_queryset_update_refused(event):
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(object_repr="changed")
    _unchanged(event)


def test_queryset_delete_refused(event):
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    _unchanged(event)


def test_instance_save_and_delete_refused(event):
    event.object_repr = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    _unchanged(event)


def test_raw_sql_update_refused_by_the_database(event):
    table = AuditEvent._meta.db_table
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET object_repr = %s WHERE id = %s", ["changed", event.pk])
    _unchanged(event)


def test_raw_sql_delete_refused_by_the_database(event):
    table = AuditEvent._meta.db_table
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [event.pk])
    _unchanged(event)


def test_raw_sql_truncate_refused_on_postgresql(event):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE exists only on PostgreSQL")
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            # fire the test transaction's deferred FK checks first, or TRUNCATE refuses for that reason
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {AuditEvent._meta.db_table}")
    _unchanged(event)


def test_admin_cannot_change_or_delete(event, rf, make_user):
    """The Django admin (if it registers the log) offers neither change nor delete."""
    from django.contrib import admin

    model_admin = admin.site._registry.get(AuditEvent)
    if model_admin is None:
        pytest.skip("audit log is not in the admin")
    request = rf.get("/admin/")
    request.user = make_user("city_admin", is_staff=True, is_superuser=True)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)
    assert not model_admin.has_add_permission(request)
