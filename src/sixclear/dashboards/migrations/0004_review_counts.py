"""Each unit's rollup row counts what waits for a decision (the header's approvals badge adds
them up); the counts of the rows already there are filled in here."""

from django.db import migrations, models
from django.db.models import Count


def count(apps, schema_editor):
    Unit = apps.get_model("orgs", "Unit")
    Rollup = apps.get_model("dashboards", "UnitTaskRollup")
    counts = {}
    for model, unit_field, figure in (
        (apps.get_model("tracking", "ProgressReport"), "task__unit_id", "reports_to_review"),
        (apps.get_model("tracking", "Measurement"), "target__unit_id", "measurements_to_review"),
    ):
        rows = (model.objects.filter(status="submitted").values_list(unit_field).order_by()
                .annotate(n=Count("id")))
        for unit_id, n in rows:
            counts.setdefault(unit_id, {})[figure] = n
    if not counts and not Rollup.objects.exists():
        return
    # Every unit gets its row, as `sixclear rollups` would write it.
    unit_ids = Unit.objects.values_list("pk", flat=True)
    Rollup.objects.bulk_create(
        [Rollup(unit_id=pk, **counts.get(pk, {})) for pk in unit_ids], batch_size=5000,
        update_conflicts=True, unique_fields=["unit"],
        update_fields=["reports_to_review", "measurements_to_review"])


class Migration(migrations.Migration):

    dependencies = [
        ("dashboards", "0003_rollup_storage"),
        ("orgs", "0001_initial"),
        ("tracking", "0003_awaiting_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="unittaskrollup",
            name="measurements_to_review",
            field=models.PositiveIntegerField(default=0, verbose_name="values awaiting review"),
        ),
        migrations.AddField(
            model_name="unittaskrollup",
            name="reports_to_review",
            field=models.PositiveIntegerField(default=0, verbose_name="reports awaiting review"),
        ),
        migrations.RunPython(count, migrations.RunPython.noop),
    ]
