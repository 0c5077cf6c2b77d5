"""The one way past the audit log's append-only triggers, for one database connection at a time.

Used by operators purging rows older than the retention minimum, and by the test suite's flush.
The application's own code paths never call it.
"""

from contextlib import contextmanager

from django.db import connection as default_connection
from django.db.backends.signals import connection_created
from django.dispatch import receiver


def _set_sqlite_flag(conn, value: int) -> None:
    conn.connection.create_function("cb_audit_maintenance", 0, lambda: value)


@receiver(connection_created)
def _register_sqlite_function(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        _set_sqlite_flag(connection, 0)


@contextmanager
def maintenance_mode(conn=None):
    conn = conn or default_connection
    conn.ensure_connection()
    if conn.vendor == "sqlite":
        _set_sqlite_flag(conn, 1)
    elif conn.vendor == "postgresql":
        with conn.cursor() as cursor:
            cursor.execute("SELECT set_config('countybridge.audit_maintenance', 'on', false)")
    try:
        yield
    finally:
        if conn.vendor == "sqlite":
            _set_sqlite_flag(conn, 0)
        elif conn.vendor == "postgresql" and conn.connection is not None:
            with conn.cursor() as cursor:
                cursor.execute("SELECT set_config('countybridge.audit_maintenance', 'off', false)")
