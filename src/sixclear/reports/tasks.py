"""Report jobs. Huey finds this module by its name; the functions say what they do."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from sixclear.outbox.services import job, retrying

from . import services


@job
def generate_report(report_id):
    """Build one queued report's file (never in a web worker); a retry takes over the report
    a dead worker left running."""
    services.build_report(report_id, resume=retrying())


@db_periodic_task(crontab(hour="1", minute="20"))
@lock_task("reports-scheduled")
def make_scheduled_reports():
    """Every night: create and queue the reports whose schedule is due."""
    services.make_scheduled_reports(timezone.localdate())
