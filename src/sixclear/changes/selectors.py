"""Reads of change requests, scoped by access."""

from django.db.models import Q

from sixclear.orgs.models import Role
from sixclear.orgs.selectors import scope_q, sees_everything
from sixclear.tracking.selectors import task_scope_q

from .models import ChangeKind, ChangeRequest, ChangeStatus


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
