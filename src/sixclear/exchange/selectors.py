"""Reads of the exchange app, scoped to what the person may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from sixclear.orgs.models import Unit
from sixclear.orgs.selectors import scope_q
from sixclear.plans.models import Target
from sixclear.tracking.models import Measurement, Task

from .models import ImportJob, ImportKind


def export_objects(unit: Unit, kind: str) -> QuerySet[Any]:
    """A unit's own targets, measurements or tasks, in key order, in a fixed number of queries.

    The unit page decides who reaches the unit; everyone who may see a unit sees these.
    """
    if kind == ImportKind.TASKS:
        return (Task.objects.filter(unit=unit)
                .select_related("owner", "lead_unit", "authority", "program")
                .prefetch_related("coordinating_units", "targets").order_by("code", "pk"))
    if kind == ImportKind.TARGETS:
        return (Target.objects.filter(unit=unit)
                .select_related("responsible_unit", "responsible_person", "resolution")
                .order_by("code"))
    return (Measurement.objects.filter(target__unit=unit).select_related("target")
            .order_by("target__code", "period_kind", "year", "period_number"))


def visible_import_jobs(user: Any) -> QuerySet[ImportJob]:
    """Imports into the units the person can see; the views require a manager on top."""
    return ImportJob.objects.filter(scope_q(user, "unit")).select_related("unit", "created_by")


def recent_imports(unit: Unit, limit: int = 10) -> QuerySet[ImportJob]:
    return ImportJob.objects.filter(unit=unit).select_related("created_by")[:limit]
