"""Report jobs. Huey finds this module by its name; the functions say what they do."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from . import services


@db_task()
def generate_report(report_id):
    """Build one queued report's file (never in a web worker)."""
    services.build_report(report_id)


@db_periodic_task(crontab(hour="1", minute="20"))
@lock_task("reports-scheduled")
def make_scheduled_reports():
    """Every night: create and queue the reports whose schedule is due."""
    services.make_scheduled_reports(timezone.localdate())
