"""Reminders before a deadline, on the day and before a report falls due; escalation after.

Each reminder has a key that is unique per recipient, so a job that runs twice, or catches up
after a missed day, never tells anyone the same thing twice. A changed deadline makes new keys.
"""

import datetime

from django.db.models import F

from sixclear.orgs.models import Membership, Role, Unit
from sixclear.tracking.models import Task, TaskState

from .models import Notification, NotificationKind, parse_day_list
from .policies import policy_groups

# A missed day (the job did not run) is caught up for this long after a step falls due.
CATCH_UP_DAYS = 7
# Owners are reminded this many days before their reporting period closes.
REPORT_DUE_NOTICE_DAYS = 3


def queue_reminders(today):
    """Create today's reminders and escalations; return how many were new."""
    before = Notification.objects.count()
    for policy, unit_filter in policy_groups("unit"):
        tasks = Task.objects.filter(unit_filter, state=TaskState.ISSUED, deadline__isnull=False)
        notes = [
            *_before_deadline(tasks, policy, today),
            *_report_due(tasks, policy, today),
            *_escalations(tasks, policy, today),
        ]
        Notification.objects.bulk_create(notes, ignore_conflicts=True, batch_size=2000)
    return Notification.objects.count() - before


def _before_deadline(tasks, policy, today):
    owned = tasks.filter(owner__isnull=False)
    for days in [*parse_day_list(policy.reminder_days), 0]:
        kind = NotificationKind.DEADLINE_TODAY if days == 0 else NotificationKind.DEADLINE_SOON
        due = today + datetime.timedelta(days=days)
        window = (due - datetime.timedelta(days=CATCH_UP_DAYS), due) if days == 0 else (due, due)
        rows = owned.filter(deadline__range=window).values_list("pk", "owner_id", "deadline")
        for task_id, owner_id, deadline in rows:
            yield Notification(
                recipient_id=owner_id, kind=kind, task_id=task_id, days=days,
                dedupe_key=f"deadline:{task_id}:{deadline}:{days}",
            )


def _report_due(tasks, policy, today):
    """Owners whose reporting period closes soon: last report (or issue) + period - notice."""
    closes_on = today + datetime.timedelta(days=REPORT_DUE_NOTICE_DAYS)
    last_before = closes_on - datetime.timedelta(days=policy.reporting_period_days)
    rows = (
        tasks.filter(owner__isnull=False, health__last_report_date=last_before)
        .values_list("pk", "owner_id")
    )
    for task_id, owner_id in rows:
        yield Notification(
            recipient_id=owner_id, kind=NotificationKind.REPORT_DUE, task_id=task_id,
            days=REPORT_DUE_NOTICE_DAYS, dedupe_key=f"report:{task_id}:{closes_on}",
        )


def _escalations(tasks, policy, today):
    """Step 0 tells the owner, 1 the lead unit's managers, 2 the approving authority (or the
    unit's leaders), 3 the leaders of the unit above."""
    for step, days_late in enumerate(parse_day_list(policy.escalation_days)[:4]):
        newest = today - datetime.timedelta(days=days_late)
        window = tasks.filter(
            deadline__range=(newest - datetime.timedelta(days=CATCH_UP_DAYS), newest)
        ).annotate(unit_path=F("unit__path"))
        rows = list(window.values_list(
            "pk", "deadline", "owner_id", "lead_unit_id", "unit_id", "authority_id", "unit_path"
        ))
        for task_id, deadline, user_id in _recipients(step, rows):
            yield Notification(
                recipient_id=user_id, kind=NotificationKind.LATE, task_id=task_id, step=step,
                days=(today - deadline).days, dedupe_key=f"late:{task_id}:{deadline}:{step}",
            )


def _recipients(step, rows):
    if step == 0:
        return [(task, deadline, owner) for task, deadline, owner, *_ in rows if owner]
    if step == 1:
        units = {lead or unit for _t, _d, _o, lead, unit, _a, _p in rows}
        people = _people_in(units, [Role.MANAGER])
        return [(t, d, user) for t, d, _o, lead, unit, _a, _p in rows
                for user in people.get(lead or unit, ())]
    if step == 2:
        leaders = _people_in({unit for *_x, unit, _a, _p in rows}, [Role.LEADER])
        return [(t, d, user) for t, d, _o, _l, unit, authority, _p in rows
                for user in ([authority] if authority else leaders.get(unit, ()))]
    step_length = Unit.steplen
    parents = {path: path[:-step_length] for *_x, path in rows if len(path) > step_length}
    leaders = _people_by_path(set(parents.values()), [Role.LEADER])
    return [(t, d, user) for t, d, _o, _l, _u, _a, path in rows
            for user in leaders.get(parents.get(path), ())]


def _people_in(unit_ids, roles):
    people = {}
    rows = Membership.objects.filter(unit_id__in=unit_ids, role__in=roles, unit__is_active=True)
    for unit_id, user_id in rows.values_list("unit_id", "user_id"):
        people.setdefault(unit_id, []).append(user_id)
    return people


def _people_by_path(paths, roles):
    people = {}
    rows = Membership.objects.filter(unit__path__in=paths, role__in=roles, unit__is_active=True)
    for path, user_id in rows.values_list("unit__path", "user_id"):
        people.setdefault(path, []).append(user_id)
    return people
