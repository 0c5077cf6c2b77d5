"""Database triggers refuse UPDATE and DELETE on the audit log, whatever the application does.

The only way round them is `audit_maintenance.maintenance_mode` on one connection (retention purges by a
DBA after the 180-day minimum, and the test suite's flush); the application itself never enters it.
"""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON core_auditevent
       WHEN cb_audit_maintenance() = 0
       BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;""",
    """CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON core_auditevent
       WHEN cb_audit_maintenance() = 0
       BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;""",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION core_audit_append_only() RETURNS trigger AS $$
       BEGIN
         IF current_setting('countybridge.audit_maintenance', true) = 'on' THEN
           IF TG_OP = 'TRUNCATE' THEN RETURN NULL; END IF;
           RETURN OLD;
         END IF;
         RAISE EXCEPTION 'audit rows are append-only';
       END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER audit_no_update_delete BEFORE UPDATE OR DELETE ON core_auditevent
       FOR EACH ROW EXECUTE FUNCTION core_audit_append_only();""",
    """CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON core_auditevent
       FOR EACH STATEMENT EXECUTE FUNCTION core_audit_append_only();""",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRES, "sqlite": SQLITE}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
