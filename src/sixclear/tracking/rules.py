"""The rules a task must keep, written once: the services, the importer, the admin and the
change approval all check a task through `TaskRules`.

- References: each field that points at a row (owner, lead unit, resolution, …) may point only
  at rows that belong where the task belongs (`task_reference_choices`), and a parent task the
  caller may see; anything else is "not found", naming nothing.
- Fields: a title, a deadline not before the start, a lead unit in the task's unit, an owner
  with an officer role there, a task group of the task's resolution, no parent loop.
- The six clears, once issued.
- Clear authority: once issued, what the six clears fixed changes only by the approving person
  or someone above them (`holds_authority`), otherwise through a change request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from sixclear.orgs.models import ROLE_RANK, Membership, Role, Unit
from sixclear.orgs.selectors import ancestor_paths, has_role
from sixclear.plans.models import Program, Resolution, ResolutionItem, ResolutionItemKind, Target
from sixclear.references import References, per_field

from .models import SIX_CLEAR_LABELS, Task, TaskState
from .selectors import task_scope_q

User = AbstractBaseUser | AnonymousUser

# What the six clears fix once a task is issued: person, deadline, responsibility, result and
# authority. (Clear work — the title and description — may be worded better by a manager.)
HELD_BY_AUTHORITY = ("owner", "deadline", "expected_result", "lead_unit", "coordinating_units",
                     "authority", "authority_body")
SINGLE_REFERENCES = ("owner", "authority", "lead_unit", "resolution", "program", "task_group",
                     "parent")
LINKS = ("coordinating_units", "targets")


def _roles_from(minimum: str) -> list[str]:
    return [role for role in Role.values if ROLE_RANK[role] >= ROLE_RANK[minimum]]


def task_reference_choices(unit: Unit) -> dict[str, QuerySet]:
    """What a task of `unit` may point at: owners with an officer role reaching the unit or in
    a sub-unit, approvers with a manager role at the unit or above, lead units in its subtree,
    coordinating units among its neighbours and the units above, and resolutions, programs,
    task groups and targets of the unit or above."""
    people = get_user_model().objects.filter(is_active=True)
    above = ancestor_paths(unit)
    parent_path = above[-2] if len(above) > 1 else unit.path
    resolutions = Resolution.objects.filter(unit__path__in=above)
    return {
        "owner": people.filter(
            Q(memberships__unit__path__in=above) | Q(memberships__unit__path__startswith=unit.path),
            memberships__role__in=_roles_from(Role.OFFICER),
            memberships__unit__is_active=True,
        ).distinct().order_by("username"),
        "authority": people.filter(
            memberships__unit__path__in=above,
            memberships__role__in=_roles_from(Role.MANAGER),
            memberships__unit__is_active=True,
        ).distinct().order_by("username"),
        "lead_unit": Unit.objects.filter(path__startswith=unit.path, is_active=True).order_by(
            "path"),
        "coordinating_units": Unit.objects.filter(
            Q(path__startswith=parent_path) | Q(path__in=above), is_active=True
        ).order_by("path"),
        "resolution": resolutions.order_by("-term_start", "number"),
        "program": Program.objects.filter(unit__path__in=above).order_by("number"),
        "task_group": ResolutionItem.objects.filter(
            resolution__in=resolutions, kind=ResolutionItemKind.TASK_GROUP
        ).select_related("resolution").order_by("resolution", "position"),
        "targets": Target.objects.filter(unit__path__in=above).order_by("code"),
    }


def parent_choices(actor: Any, unit: Unit) -> QuerySet[Task]:
    """The tasks a task of `unit` may be a sub-task of: those of the unit or a unit above it
    that `actor` may see."""
    return Task.objects.filter(task_scope_q(actor), unit__path__in=ancestor_paths(unit))


def owners_for(lead_unit: Unit) -> QuerySet:
    """The people `TaskRules` accepts as owner of a task that `lead_unit` leads: an officer
    role or above reaching the lead unit (at it or above it), as `is_officer` asks."""
    return get_user_model().objects.filter(
        is_active=True,
        memberships__unit__path__in=ancestor_paths(lead_unit),
        memberships__role__in=_roles_from(Role.OFFICER),
        memberships__unit__is_active=True,
    ).distinct().order_by("username")

def _within(unit: Unit, ancestor: Unit) -> bool:
    return unit.path.startswith(ancestor.path)


class TaskRules:
    """The rules for tasks of one unit written by one person, with lookups remembered so that
    an import of thousands of rows asks each question once."""

    def __init__(self, *, actor: Any, unit: Unit):
        self.actor, self.unit = actor, unit
        choices = task_reference_choices(unit)
        allowed: dict[str, Callable[[], QuerySet]] = {
            name: (lambda queryset=queryset: queryset)  # type: ignore[misc]
            for name, queryset in choices.items()}
        allowed["parent"] = lambda: parent_choices(actor, unit)
        self.references = References(allowed)
        self._officers: dict[tuple[int, int], bool] = {}

    def errors(self, task: Task, links: dict | None = None) -> dict[str, Any]:
        """Every broken rule of `task` (with its many-to-many `links`), as {field: message}.
        A check that reads a reference that may not be pointed at is skipped: its message
        could name the row."""
        values = {name: getattr(task, name) for name in SINGLE_REFERENCES
                  if getattr(task, f"{name}_id") is not None}
        values.update({name: list(items) for name, items in (links or {}).items() if items})
        refused = self.references.errors(values)
        errors = {**self.field_errors(task, skip=set(refused)), **refused}
        if task.pk and not task.code.strip() and type(task).objects.filter(
                pk=task.pk).exclude(code="").exists():
            # Every task has a code (`codes.py`): a spreadsheet row finds its task by it.
            errors["code"] = _("A task keeps its code: the rows of its spreadsheets find it "
                               "by its code.")
        if not errors and task.state == TaskState.ISSUED:
            errors = {key: SIX_CLEAR_LABELS[key] for key in task.missing_clears()}
        return errors

    def field_errors(self, task: Task,
                     skip: set[str] | frozenset[str] = frozenset()) -> dict[str, Any]:
        """The rules between a task's fields; those reading a field in `skip` are left out."""
        errors: dict[str, Any] = {}
        if not task.title.strip():
            errors["title"] = _("Give the task a title.")
        if task.start_date and task.deadline and task.deadline < task.start_date:
            errors["deadline"] = _("The deadline cannot be before the start date.")
        if task.lead_unit_id and "lead_unit" not in skip and not _within(
                task.lead_unit, self.unit):  # type: ignore[arg-type]  # set: lead_unit_id
            errors["lead_unit"] = _("The lead unit must be %(unit)s or one of its sub-units.") % {
                "unit": self.unit.name}
        if (task.owner_id and not skip & {"owner", "lead_unit"}
                and not self.is_officer(task.owner, task.lead_unit or self.unit)):
            errors["owner"] = _("%(person)s has no officer role in %(unit)s.") % {
                "person": (task.owner.get_full_name()  # type: ignore[union-attr]  # owner_id set
                           or task.owner.get_username()),  # type: ignore[union-attr]
                "unit": (task.lead_unit or self.unit).name}
        if task.task_group_id and not skip & {"task_group", "resolution"}:
            if task.task_group.kind != ResolutionItemKind.TASK_GROUP:  # type: ignore[union-attr]
                errors["task_group"] = _("Choose a group of tasks and solutions.")
            elif (task.resolution_id
                  and task.task_group.resolution_id  # type: ignore[union-attr]
                  != task.resolution_id):
                errors["task_group"] = _("Choose a group of tasks of the task's resolution.")
        if task.parent_id and "parent" not in skip and self._loops(task):
            errors["parent"] = _("A task cannot be its own parent, directly or through its "
                                 "sub-tasks.")
        return errors

    def is_officer(self, person: Any, unit: Unit) -> bool:
        key = (person.pk, unit.pk)
        if key not in self._officers:
            self._officers[key] = has_role(person, unit, Role.OFFICER)
        return self._officers[key]

    def _loops(self, task: Task) -> bool:
        if task.pk is None:
            return False
        seen, current = {task.pk}, task.parent_id
        while current is not None:
            if current in seen:
                return True
            seen.add(current)
            current = Task.objects.filter(pk=current).values_list("parent_id", flat=True).first()
        return False

    def held_errors(self, task: Task, changed: set[str]) -> dict[str, Any]:
        """The clears of an issued task that `changed` touches and the actor may not change
        directly, as {field: message pointing to the change request}."""
        if task.state != TaskState.ISSUED:
            return {}
        held = sorted(set(changed) & set(HELD_BY_AUTHORITY))
        if not held or holds_authority(self.actor, task):
            return {}
        message = _("This task is issued: its %(field)s changes only through a change request "
                    "that its approving authority decides. Ask for one on the task's page "
                    "(Ask for a change).")
        return per_field(Task, held, message)


def holds_authority(user: Any, task: Task) -> bool:
    """The task's approving person, or someone above them: a leader at a unit above the one
    the approving person acts from, or a stronger role at that same unit; without a named
    person, the leaders over the task's unit. System administrators too."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or task.authority_id == user.pk:
        return True
    chain = ancestor_paths(task.unit)
    if not task.authority_id:
        return has_role(user, task.unit, Role.LEADER)
    held = (Membership.objects.filter(unit__path__in=chain, unit__is_active=True,
                                      user_id__in=[user.pk, task.authority_id])
            .values_list("user_id", "unit__path", "role"))
    theirs = [(path, ROLE_RANK[role]) for person, path, role in held
              if person == task.authority_id]
    if not theirs:  # the approving person no longer acts on this chain: its leaders decide
        return has_role(user, task.unit, Role.LEADER)
    their_path, their_rank = max(theirs, key=lambda item: (len(item[0]), item[1]))
    return any(
        ROLE_RANK[role] >= ROLE_RANK[Role.LEADER]
        and (len(path) < len(their_path)
             or (path == their_path and ROLE_RANK[role] > their_rank))
        for person, path, role in held if person == user.pk
    )
