"""Rollup rows are rewritten by every write: leave room on each page for the new version (so
PostgreSQL updates in place, without touching the indexes) and vacuum them early."""

from django.db import migrations

TABLES = ["dashboards_unittaskrollup", "dashboards_unittargetrollup", "dashboards_unitmonthrollup"]
SETTINGS = ("fillfactor = 70, autovacuum_vacuum_scale_factor = 0.02, "
            "autovacuum_analyze_scale_factor = 0.02")


def tune(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"ALTER TABLE {table} SET ({SETTINGS})")


def untune(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(
            f"ALTER TABLE {table} RESET (fillfactor, autovacuum_vacuum_scale_factor, "
            "autovacuum_analyze_scale_factor)")


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0002_unitmonthrollup_month_rollup_month")]
    operations = [migrations.RunPython(tune, untune)]
