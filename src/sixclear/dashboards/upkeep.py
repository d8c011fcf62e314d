"""The dashboards' handlers on the upkeep port (`sixclear.upkeep`): recount the rollups of the
units a change touched, in the writing transaction, after the statuses were recomputed.

Kept in the writing transaction rather than left to the hourly scan or a job: a person who
reports progress and opens the dashboard sees their report counted, and a failed write leaves
no half-updated figure behind. The cost is a few indexed statements per write (see
docs/performance.md).
"""

from sixclear.upkeep import StatusChange, TargetChange, TaskChange

from .rollups import move_after_report, refresh_after_scan, refresh_units


def recount_after_tasks(change: TaskChange) -> None:
    """The units' task rollups, and their monthly trend when the change may move it. After a
    progress report whose status moves are known, the unit's row moves by them instead."""
    if change.reported and not change.months and move_after_report(change):
        return
    refresh_units(change.unit_ids, months=change.months)


def recount_after_targets(change: TargetChange) -> None:
    refresh_units(change.unit_ids, tasks=False, targets=True)


def recount_after_scan(change: StatusChange) -> None:
    if change.task_ids or change.target_ids:
        refresh_after_scan(change.task_ids, change.target_ids)
