"""Reads of resolutions, programs and targets, always scoped to what the user may see.

Plans sit below tracking: nothing here reads tasks or measurements (pages that join them are
composed in tracking's selectors or in the web layer).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from sixclear.orgs.models import Unit
from sixclear.orgs.selectors import scope_q, sees_everything

from .models import Program, Resolution, Target


def visible_resolutions(user: Any) -> QuerySet[Resolution]:
    return Resolution.objects.filter(scope_q(user, "unit"))


def visible_programs(user: Any) -> QuerySet[Program]:
    return Program.objects.filter(scope_q(user, "unit"))


def visible_targets(user: Any) -> QuerySet[Target]:
    """Targets of the units the user reaches, and those the user is responsible for."""
    query = scope_q(user, "unit", "responsible_unit")
    if user.is_authenticated and not sees_everything(user):
        query |= Q(responsible_person=user)
    return Target.objects.filter(query)


def targets_in_charge_of(user: Any) -> QuerySet[Target]:
    """The targets a person is named responsible for."""
    return (
        Target.objects.filter(responsible_person=user)
        .select_related("unit")
        .order_by("unit__path", "code")
    )


def unit_plans(user: Any, unit: Unit) -> dict[str, list[Any]]:
    """The resolutions, programs and targets a unit adopted itself."""
    return {
        "resolutions": list(visible_resolutions(user).filter(unit=unit)),
        "programs": list(visible_programs(user).filter(unit=unit).select_related("resolution")),
        "targets": list(
            visible_targets(user).filter(unit=unit).select_related("responsible_person")
        ),
    }
