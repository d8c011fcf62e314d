"""Monitoring jobs. Huey finds this module by its name; the functions say what they do."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from sixclear.outbox.services import job

from .engine import run_scan
from .notifications import send_at_once, send_daily_digests
from .reminders import queue_reminders


@db_periodic_task(crontab(minute="7"))
@lock_task("monitoring-scan")
def refresh_statuses_and_reminders():
    """Every hour: recompute statuses, then queue the reminders and escalations due."""
    run = run_scan()
    queue_reminders(run.today)


@db_periodic_task(crontab(hour="7", minute="30"))
def send_digests():
    """Every morning: one e-mail per person with what needs their attention."""
    send_daily_digests()


@job
def email_notifications_now(notification_ids):
    """Right after a write commits: e-mail the people who chose to hear at once."""
    send_at_once(notification_ids)
