"""Reads of tasks, reports and measurements, always scoped to what the user may see."""

from django.db.models import Q

from sixclear.orgs.models import Role
from sixclear.orgs.selectors import scope_q, sees_everything
from sixclear.plans.models import Program, Resolution, Target

from .models import Measurement, ProgressReport, ReviewStatus, Task, TaskState


def task_scope_q(user, minimum=Role.VIEWER):
    """Tasks of the units the user reaches, led by them, coordinated by them, or owned."""
    if sees_everything(user):
        return Q()
    coordinated = Task.coordinating_units.through.objects.filter(
        scope_q(user, "unit", minimum=minimum)
    ).values("task_id")
    query = scope_q(user, "unit", "lead_unit", minimum=minimum) | Q(pk__in=coordinated)
    if minimum == Role.VIEWER and user.is_authenticated:
        query |= Q(owner=user)
    return query


def visible_tasks(user):
    return Task.objects.filter(task_scope_q(user))


def visible_resolutions(user):
    return Resolution.objects.filter(scope_q(user, "unit"))


def visible_programs(user):
    return Program.objects.filter(scope_q(user, "unit"))


def visible_targets(user):
    """Targets of the units the user reaches, and those the user is responsible for."""
    query = scope_q(user, "unit", "responsible_unit")
    if user.is_authenticated and not sees_everything(user):
        query |= Q(responsible_person=user)
    return Target.objects.filter(query)


def open_tasks_of(user):
    """The issued tasks a person owns, soonest deadline first."""
    return (
        Task.objects.filter(owner=user, state=TaskState.ISSUED)
        .select_related("unit", "lead_unit")
        .order_by("deadline", "pk")
    )


def reports_awaiting_review(user):
    """Submitted progress reports this user may approve: as a manager above, or as authority."""
    managed = task_scope_q(user, minimum=Role.MANAGER)
    return (
        ProgressReport.objects.filter(status=ReviewStatus.SUBMITTED)
        .filter(Q(task__in=Task.objects.filter(managed)) | Q(task__authority=user))
        .exclude(reported_by=user)
        .select_related("task", "task__unit", "reported_by")
        .order_by("submitted_at", "pk")
    )


def measurements_awaiting_review(user):
    return (
        Measurement.objects.filter(status=ReviewStatus.SUBMITTED)
        .filter(scope_q(user, "target__unit", minimum=Role.MANAGER))
        .exclude(reported_by=user)
        .select_related("target", "target__unit", "reported_by")
        .order_by("submitted_at", "pk")
    )
