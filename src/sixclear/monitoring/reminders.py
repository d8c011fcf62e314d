"""Reminders before a deadline, on the day and before a report falls due; escalation after.

Each reminder has a key that is unique per recipient, so a job that runs twice never tells
anyone the same thing twice. A changed deadline makes new keys. A person hears of one task at
most once a run, with the most pressing words (a late task is never also "due today"), and the
job's runs of one day make the same choice, so a task has one wording a day.

A late task is told to its owner first, whenever it is found late (however late that is), and
again every `late_reminder_every_days`; then it climbs, one step at a time, to the lead unit's
managers, the approving authority (or the unit's leaders) and the leaders of the unit above, each
step as many days after the one before as the policy's escalation days space them.
"""

import datetime

from django.db.models import F

from sixclear.orgs.models import Membership, Role, Unit
from sixclear.tracking.models import Task, TaskState

from .models import (
    REMINDER_KINDS,
    Notification,
    NotificationKind,
    TaskEscalation,
    parse_day_list,
)
from .policies import policy_groups

# Owners are reminded this many days before their reporting period closes.
REPORT_DUE_NOTICE_DAYS = 3
# Escalation stops at the leaders of the unit above.
ESCALATION_STEPS = 4


def queue_reminders(today):
    """Create today's reminders and escalations; return how many were new."""
    before = Notification.objects.count()
    for policy, unit_filter in policy_groups("unit"):
        tasks = Task.objects.filter(unit_filter, state=TaskState.ISSUED, deadline__isnull=False)
        notes = _one_per_task([
            *_before_deadline(tasks, policy, today),
            *_report_due(tasks, policy, today),
            *_late(tasks, policy, today),
        ])
        Notification.objects.bulk_create(notes, ignore_conflicts=True, batch_size=2000)
    return Notification.objects.count() - before


def _urgency(note):
    """Lower is more pressing: late (the higher the step, the more), due today, soon, report."""
    return (REMINDER_KINDS.index(note.kind), -note.step)


def _one_per_task(notes):
    chosen = {}
    for note in notes:
        key = (note.recipient_id, note.task_id)
        if key not in chosen or _urgency(note) < _urgency(chosen[key]):
            chosen[key] = note
    return list(chosen.values())


def _before_deadline(tasks, policy, today):
    """Before the deadline by the policy's reminder days, and on the day itself; a deadline
    already past is late, not due (escalation tells of it)."""
    owned = tasks.filter(owner__isnull=False)
    for days in [*parse_day_list(policy.reminder_days), 0]:
        kind = NotificationKind.DEADLINE_TODAY if days == 0 else NotificationKind.DEADLINE_SOON
        due = today + datetime.timedelta(days=days)
        for task_id, owner_id in owned.filter(deadline=due).values_list("pk", "owner_id"):
            yield Notification(
                recipient_id=owner_id, kind=kind, task_id=task_id, days=days,
                dedupe_key=f"deadline:{task_id}:{due}:{days}",
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


def _late(tasks, policy, today):
    thresholds = parse_day_list(policy.escalation_days)[:ESCALATION_STEPS]
    if not thresholds:
        return
    late = tasks.filter(deadline__lte=today - datetime.timedelta(days=thresholds[0]))
    rows = list(late.annotate(unit_path=F("unit__path")).values_list(
        "pk", "deadline", "owner_id", "lead_unit_id", "unit_id", "authority_id", "unit_path"))
    if not rows:
        return
    yield from _owner_reminders(rows, policy, today, thresholds[0])
    reached = _reached_today(rows, today, thresholds)
    for step in range(1, len(thresholds)):
        climbing = [row for row in rows if reached.get(row[0]) == step]
        for task_id, deadline, user_id in _recipients(step, climbing):
            yield Notification(
                recipient_id=user_id, kind=NotificationKind.LATE, task_id=task_id, step=step,
                days=(today - deadline).days, dedupe_key=f"late:{task_id}:{deadline}:{step}",
            )


def _owner_reminders(rows, policy, today, first_day):
    """Every late task's owner, from the first escalation day, then every N days."""
    every = policy.late_reminder_every_days
    for task_id, deadline, owner_id, *_rest in rows:
        if not owner_id:
            continue
        days_late = (today - deadline).days
        period = (days_late - first_day) // every if every else 0
        suffix = f":{period}" if period else ""
        yield Notification(
            recipient_id=owner_id, kind=NotificationKind.LATE, task_id=task_id, step=0,
            days=days_late, dedupe_key=f"late:{task_id}:{deadline}:0{suffix}",
        )


def _reached_today(rows, today, thresholds):
    """{task_id: step} of the escalation step each task reaches today, recorded; the owner's
    step first, then each next one once it is late enough and far enough after the last."""
    deadlines = {task_id: deadline for task_id, deadline, *_rest in rows}
    highest = {}
    for task_id, deadline, step, reached_on in TaskEscalation.objects.filter(
            task_id__in=deadlines).values_list("task_id", "deadline", "step", "reached_on"):
        if deadline == deadlines[task_id] and step >= highest.get(task_id, (-1, None))[0]:
            highest[task_id] = (step, reached_on)
    reached = {}
    for task_id, deadline in deadlines.items():
        step, since = highest.get(task_id, (-1, None))
        following = step + 1
        if following >= len(thresholds):
            continue
        days_late = (today - deadline).days
        if following == 0 or (
                days_late >= thresholds[following]
                and (today - since).days >= thresholds[following] - thresholds[step]):
            reached[task_id] = following
    TaskEscalation.objects.bulk_create(
        [TaskEscalation(task_id=task_id, deadline=deadlines[task_id], step=step,
                        reached_on=today) for task_id, step in reached.items()],
        ignore_conflicts=True,
    )
    return reached


def _recipients(step, rows):
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
