"""Obstacle and meeting jobs. Huey finds this module by its name."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from .services import escalate_overdue_obstacles, remind_unclosed_meetings


@db_periodic_task(crontab(hour="6", minute="47"))
@lock_task("obstacle-escalation")
def escalate_obstacles_and_remind_organisers():
    """Every morning: obstacles not answered in time climb one level; organisers of meetings
    held and not closed are reminded. Both are safe to run twice."""
    escalate_overdue_obstacles()
    remind_unclosed_meetings()
