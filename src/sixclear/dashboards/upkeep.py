"""What a write calls so that statuses and dashboards reflect it when its transaction commits.

Kept in the writing transaction rather than left to the hourly scan or a job: a person who
reports progress and opens the dashboard sees their report counted, and a failed write leaves
no half-updated figure behind. The cost is a few indexed statements per write (see
docs/performance.md).
"""

from django.utils import timezone

from sixclear.monitoring.engine import scan_targets
from sixclear.monitoring.refresh import refresh_task_statuses

from .rollups import refresh_units


def after_task_change(*tasks, months=False):
    """Recompute the tasks' statuses and their units' task rollups (and monthly trend when a
    deadline, an issue, a cancellation or a completion changed it)."""
    refresh_task_statuses([task.pk for task in tasks], timezone.localdate())
    refresh_units({task.unit_id for task in tasks}, months=months)


def after_target_change(*targets):
    """Recompute the targets' statuses and their units' target rollups."""
    scan_targets(timezone.localdate(), target_ids=[target.pk for target in targets])
    refresh_units({target.unit_id for target in targets}, tasks=False, targets=True)
