"""A task's status by the rules, for one task at a time, in plain Python.

The scan computes the same rules in SQL for every task at once (engine.py); this module is the
readable statement of those rules, the oracle the scan is tested against, and the source of the
reason written in words.
"""

import datetime

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import TaskStatus

START_GRACE_DAYS = 7


def assess_task(*, state, start_date, issued_on, deadline, percent_complete, last_report_date,
                last_percent, has_open_obstacle, late_steps, today, policy):
    """Return (status, stale) for a task that is issued, done or cancelled.

    - cancelled and done follow the task's state;
    - late: the deadline has passed;
    - not started: the start date has passed (or a week since issue) with no report;
    - at risk: an open obstacle, a late step, or, within the policy's window before the
      deadline, progress lagging the share of time elapsed by more than the allowed slack;
    - on track otherwise. Stale: no report within the reporting period.
    """
    # A task issued without a recorded time counts from today: not stale, not yet started.
    issued_on = issued_on or today
    stale = state == "issued" and (last_report_date or issued_on) < today - datetime.timedelta(
        days=policy.reporting_period_days)
    if state == "cancelled":
        return TaskStatus.CANCELLED, False
    if state == "done":
        return TaskStatus.DONE, False
    if deadline is not None and deadline < today:
        return TaskStatus.LATE, stale
    started = start_date < today if start_date else issued_on < today - datetime.timedelta(
        days=START_GRACE_DAYS)
    if last_report_date is None and started:
        return TaskStatus.NOT_STARTED, stale
    if has_open_obstacle or late_steps:
        return TaskStatus.AT_RISK, stale
    if _lagging(start_date or issued_on, deadline, today, policy,
                last_percent if last_percent is not None else percent_complete):
        return TaskStatus.AT_RISK, stale
    return TaskStatus.ON_TRACK, stale


def _lagging(start, deadline, today, policy, percent):
    if deadline is None or deadline > today + datetime.timedelta(days=policy.at_risk_window_days):
        return False
    total = (deadline - start).days
    if total <= 0:
        return False
    elapsed = (today - start).days
    return elapsed * 100 - percent * total - policy.progress_slack_percent * total > 0


def _date(value):
    return formats.date_format(value, "DATE_FORMAT")


def describe(task, health, today):
    """The reason for a task's status, in words in the current language."""
    parts = []
    if health.status == TaskStatus.LATE:
        days = (today - task.deadline).days
        parts.append(ngettext(
            "deadline %(date)s passed %(days)d day ago",
            "deadline %(date)s passed %(days)d days ago", days,
        ) % {"date": _date(task.deadline), "days": days})
    elif health.status in (TaskStatus.AT_RISK, TaskStatus.ON_TRACK, TaskStatus.NOT_STARTED) \
            and task.deadline:
        days = (task.deadline - today).days
        parts.append(ngettext(
            "deadline %(date)s, in %(days)d day", "deadline %(date)s, in %(days)d days", days,
        ) % {"date": _date(task.deadline), "days": days})
    if health.last_report_date:
        parts.append(_("last report %(percent)d %% on %(date)s") % {
            "percent": health.last_percent or 0, "date": _date(health.last_report_date)})
    elif health.status not in (TaskStatus.DONE, TaskStatus.CANCELLED):
        parts.append(_("no progress reported yet"))
    if health.has_open_obstacle:
        parts.append(_("an obstacle is reported"))
    if health.late_steps:
        parts.append(ngettext("%(count)d step is late", "%(count)d steps are late",
                              health.late_steps) % {"count": health.late_steps})
    if health.stale:
        parts.append(_("no report within the reporting period"))
    return "; ".join(parts)
