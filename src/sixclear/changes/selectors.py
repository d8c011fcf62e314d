"""Reads of change requests, scoped by access."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from sixclear.orgs.models import Role
from sixclear.orgs.selectors import scope_q, sees_everything
from sixclear.plans.models import Target
from sixclear.plans.selectors import visible_targets
from sixclear.tracking.models import Task
from sixclear.tracking.selectors import count_awaiting_review, visible_tasks

from .models import ChangeKind, ChangeRequest, ChangeStatus
from .services import DECIMAL_FIELDS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def changes_decided_by_q(user: Any) -> Q:
    """Change requests this user decides (`services.may_decide`, but for one's own): a
    task's named approving person; where the task names none, and for targets, the leaders
    of its unit and above. A join on the unit's path, not a list of every task they lead."""
    if sees_everything(user):
        return Q()
    return (
        Q(task__authority=user)
        | Q(task__isnull=False, task__authority__isnull=True)
        & scope_q(user, "task__unit", minimum=Role.LEADER)
        | Q(target__isnull=False) & scope_q(user, "target__unit", minimum=Role.LEADER)
    )


def changes_awaiting_decision(user: Any) -> QuerySet[ChangeRequest]:
    """Pending changes this user may decide: as the named approving person, or as a leader."""
    return (
        ChangeRequest.objects.filter(changes_decided_by_q(user), status=ChangeStatus.PENDING)
        .exclude(requested_by=user)
        .select_related("task", "target", "requested_by")
    )


def count_awaiting_decision(user: Any) -> int:
    """How many reports, measurements and change requests wait for this person's decision,
    counted from the base tables (exact). The header reads the per-unit rollups instead,
    whatever the number of rows: `dashboards.rollups.count_awaiting_decision`."""
    return count_awaiting_review(user) + changes_awaiting_decision(user).count()


def original_deadline(task: Task) -> str | None:
    """The deadline the task was first issued with, before any approved extension."""
    first = (
        ChangeRequest.objects.filter(task=task, kind=ChangeKind.DEADLINE,
                                     status=ChangeStatus.APPROVED)
        .order_by("decided_at").values_list("original", flat=True).first()
    )
    return first["deadline"] if first else (task.deadline.isoformat() if task.deadline else None)


def visible_change_requests(user: Any) -> QuerySet[ChangeRequest]:
    """Change requests of the tasks and targets the user may see."""
    return ChangeRequest.objects.filter(
        Q(task__in=visible_tasks(user)) | Q(target__in=visible_targets(user))
    ).select_related("task", "task__unit", "target", "target__unit", "requested_by",
                     "decided_by")


def change_requests_of(*, task: Task | None = None,
                       target: Target | None = None) -> QuerySet[ChangeRequest]:
    """A task's or a target's change requests, pending and decided, newest first."""
    return ChangeRequest.objects.filter(task=task, target=target).select_related(
        "requested_by", "decided_by")


@dataclass(frozen=True)
class ChangedValue:
    """One field of a change request: its label, the value before and the value asked for."""

    label: StrOrPromise
    before: object
    after: object
    is_number: bool = False


def changed_values(
    changes: Iterable[ChangeRequest],
) -> list[tuple[ChangeRequest, list[ChangedValue]]]:
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
                # A field the request changes, never a reverse relation.
                label=model._meta.get_field(name).verbose_name,  # type: ignore[union-attr]
                before=_readable(name, change.original.get(name), people),
                after=_readable(name, change.proposed.get(name), people),
                is_number=name in DECIMAL_FIELDS,
            )
            for name in names
        ]))
    return rows


def _readable(name: str, raw: Any, people: Mapping[int, str]) -> Any:
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
