"""Portal jobs. Huey finds this module by its name; the functions say what they do."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from .services import send_follow_updates


@db_periodic_task(crontab(minute="37"))
@lock_task("portal-follow-updates")
def tell_followers():
    """Every hour, after the monitoring scan (minute 7): e-mail followers whose target or task
    has a new status or a new approved result since they were last told."""
    send_follow_updates()
