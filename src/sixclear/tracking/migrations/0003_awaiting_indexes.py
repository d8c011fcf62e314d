"""The approvals inbox reads what waits for a decision oldest first, by these partial indexes."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("plans", "0002_historicaltarget_indicator_target_indicator"),
        ("tracking", "0002_progressreport_report_latest_counted_and_more"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="measurement",
            index=models.Index(
                condition=models.Q(("status", "submitted")), fields=["submitted_at", "id"],
                include=("target", "reported_by"), name="measurement_awaiting"),
        ),
        migrations.AddIndex(
            model_name="progressreport",
            index=models.Index(
                condition=models.Q(("status", "submitted")), fields=["submitted_at", "id"],
                include=("task", "reported_by"), name="report_awaiting"),
        ),
    ]
