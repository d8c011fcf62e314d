"""Review jobs. Huey finds this module by its name; the functions say what they do."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from . import services


@db_periodic_task(crontab(hour="0", minute="40"))
@lock_task("snapshots-take")
def take_period_snapshots():
    """Every night: freeze the month, quarter, year or term review that has just ended (the
    last week's, so a night missed is caught up; a snapshot taken stays as it is), and seal
    whatever a missing key left unsealed."""
    for result in services.take_ended_periods():
        if not result.sealed:
            services.seal_snapshots(result.period)
