"""Reads of change requests, scoped by access."""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.db.models import Q

from sixclear.orgs.models import Role
from sixclear.orgs.selectors import scope_q, sees_everything
from sixclear.plans.models import Target
from sixclear.plans.selectors import visible_targets
from sixclear.tracking.models import Task
from sixclear.tracking.selectors import (
    measurements_awaiting_review,
    reports_awaiting_review,
    task_scope_q,
    visible_tasks,
)

from .models import ChangeKind, ChangeRequest, ChangeStatus
from .services import DECIMAL_FIELDS


def changes_awaiting_decision(user):
    """Pending changes this user may decide: as the named approving person, or as a leader."""
    pending = ChangeRequest.objects.filter(status=ChangeStatus.PENDING).exclude(requested_by=user)
    if sees_everything(user):
        decidable = Q()
    else:
        led_tasks = Q(task__authority__isnull=True) & Q(
            task__in=_tasks_led_by(user)) | Q(task__authority=user)
        led_targets = Q(target__isnull=False) & scope_q(user, "target__unit", minimum=Role.LEADER)
        decidable = led_tasks | led_targets
    return pending.filter(decidable).select_related("task", "target", "requested_by")


def count_awaiting_decision(user):
    """How many reports, measurements and change requests wait for this person's decision,
    in one query (the header shows it on every page)."""
    ids = [
        queryset.order_by().values_list("pk", flat=True)
        for queryset in (reports_awaiting_review(user), measurements_awaiting_review(user),
                         changes_awaiting_decision(user))
    ]
    return ids[0].union(*ids[1:], all=True).count()


def _tasks_led_by(user):
    from sixclear.tracking.models import Task

    return Task.objects.filter(task_scope_q(user, minimum=Role.LEADER)).values("pk")


def original_deadline(task):
    """The deadline the task was first issued with, before any approved extension."""
    first = (
        ChangeRequest.objects.filter(task=task, kind=ChangeKind.DEADLINE,
                                     status=ChangeStatus.APPROVED)
        .order_by("decided_at").values_list("original", flat=True).first()
    )
    return first["deadline"] if first else (task.deadline and task.deadline.isoformat())


def visible_change_requests(user):
    """Change requests of the tasks and targets the user may see."""
    return ChangeRequest.objects.filter(
        Q(task__in=visible_tasks(user)) | Q(target__in=visible_targets(user))
    ).select_related("task", "task__unit", "target", "target__unit", "requested_by",
                     "decided_by")


def change_requests_of(*, task=None, target=None):
    """A task's or a target's change requests, pending and decided, newest first."""
    return ChangeRequest.objects.filter(task=task, target=target).select_related(
        "requested_by", "decided_by")


@dataclass(frozen=True)
class ChangedValue:
    """One field of a change request: its label, the value before and the value asked for."""

    label: str
    before: object
    after: object
    is_number: bool = False


def changed_values(changes):
    """Each change with its fields as people read them: [(change, [ChangedValue])].

    Owners are named (one query for all the changes), dates are dates, numbers are numbers.
    """
    changes = list(changes)
    owner_ids = {
        int(values["owner"]) for change in changes
        for values in (change.original, change.proposed) if values.get("owner") is not None
    }
    people = {user.pk: user.get_full_name() or user.get_username()
              for user in get_user_model().objects.filter(pk__in=owner_ids)}
    rows = []
    for change in changes:
        model = Task if change.task_id else Target
        names = [name for name in change.original if name in change.proposed] or list(
            change.proposed)
        rows.append((change, [
            ChangedValue(
                label=model._meta.get_field(name).verbose_name,
                before=_readable(name, change.original.get(name), people),
                after=_readable(name, change.proposed.get(name), people),
                is_number=name in DECIMAL_FIELDS,
            )
            for name in names
        ]))
    return rows


def _readable(name, raw, people):
    if raw in (None, ""):
        return None
    if name == "owner":
        return people.get(int(raw), raw)
    if name == "deadline":
        try:
            return datetime.date.fromisoformat(str(raw))
        except ValueError:
            return raw
    if name in DECIMAL_FIELDS:
        try:
            return Decimal(str(raw))
        except InvalidOperation:
            return raw
    return raw
