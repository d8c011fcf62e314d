"""The criteria sets shipped with Sixclear for 2025 and 2026 (later years are created when a
round is opened or by `sixclear evaluation seed --year`)."""

from django.db import migrations
from django.utils import timezone

YEARS = (2025, 2026)


def seed(apps, schema_editor):
    from sixclear.evaluation.defaults import default_sets

    criteria_sets = apps.get_model("evaluation", "CriteriaSet")
    criteria = apps.get_model("evaluation", "Criterion")
    for year in YEARS:
        for data in default_sets(year):
            if criteria_sets.objects.filter(unit=None, year=year, level=data["level"]).exists():
                continue
            created = criteria_sets.objects.create(
                year=year, level=data["level"], name=data["name"], basis=data["basis"],
                rules=data["rules"], status="published", published_at=timezone.now())
            criteria.objects.bulk_create(
                criteria(criteria_set=created, position=position, **row)
                for position, row in enumerate(data["criteria"], start=1))


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
