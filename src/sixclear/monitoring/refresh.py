"""The statuses of a few tasks, recomputed right after a write changed them.

The hourly scan (engine.py) recomputes every status in set-based SQL; a write needs only its
own task's, and reading the task's facts through its index entries and applying the rules of
task_rules.py costs a few milliseconds where the scan's statements cost seconds. Both apply
the same rules: tests hold the scan to task_rules.
"""

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from sixclear.tracking.models import ProgressReport, ReviewStatus, Task, TaskState, TaskStep
from sixclear.upkeep import TargetChange, TaskChange

from .engine import scan_targets
from .models import TaskHealth
from .policies import policy_for
from .task_rules import assess_task

COUNTED = [ReviewStatus.SUBMITTED, ReviewStatus.APPROVED]


def _latest_reports(task_ids):
    """{task_id: (report_date, percent, has_obstacles)} of each task's latest counted report.

    A task has a handful of reports, so reading them all in index order and keeping the first
    per task is cheaper than three correlated subqueries.
    """
    latest = {}
    rows = (ProgressReport.objects.filter(task_id__in=task_ids, status__in=COUNTED)
            .order_by("task_id", "-report_date", "-id")
            .values_list("task_id", "report_date", "percent", "has_obstacles"))
    for task_id, *facts in rows:
        latest.setdefault(task_id, facts)
    return latest


def _late_steps(task_ids, today):
    return dict(
        TaskStep.objects.filter(task_id__in=task_ids, done=False, due_date__lt=today)
        .values("task_id").order_by().annotate(n=Count("pk")).values_list("task_id", "n")
    )


def refresh_after_tasks(change: TaskChange) -> None:
    """The upkeep port's status stage for written tasks. After a progress report it tells the
    stages after it how each status moved (`change.moves`), so they need not recount."""
    refresh_task_statuses(change.task_ids, timezone.localdate(), tasks=change.rows or None,
                          moves=change.moves if change.reported else None)


def refresh_after_targets(change: TargetChange) -> None:
    """The upkeep port's status stage for written targets: the scan's SQL, limited to them."""
    scan_targets(timezone.localdate(), target_ids=change.target_ids)


def refresh_task_statuses(task_ids, today, *, tasks=None, moves=None):
    """Recompute and store the statuses of the listed tasks; drafts lose theirs.

    `tasks`: the rows already read in this transaction with their unit and health (locked, so
    not read again). `moves`: fill it with {task_id: (before, after)} for each task whose
    stored status was still the one read when it was replaced (see `_replace_if_unchanged`).
    """
    if tasks is None:
        tasks = list(Task.objects.filter(pk__in=task_ids).select_related("unit", "health"))
    drafts = [task.pk for task in tasks if task.state == TaskState.DRAFT]
    if drafts:  # a task sent back to draft has no status
        TaskHealth.objects.filter(task_id__in=drafts).delete()
    assessed = [task for task in tasks if task.state != TaskState.DRAFT]
    if not assessed:
        return
    ids = [task.pk for task in assessed]
    latest, late_steps = _latest_reports(ids), _late_steps(ids, today)
    policies = {}
    rows = []
    for task in assessed:
        if task.unit_id not in policies:
            policies[task.unit_id] = policy_for(task.unit)
        task.last_date, task.last_percent, task.obstacle = latest.get(task.pk, (None, None, False))
        task.late_count = late_steps.get(task.pk, 0)
        task.issued_on = timezone.localdate(task.issued_at) if task.issued_at else None
        stored = _stored_health(task)
        health = _health(task, stored, policies[task.unit_id], today)
        if moves is not None and _replace_if_unchanged(health, stored):
            moves[task.pk] = (_figures(stored), _figures(health))
        else:
            rows.append(health)
    if rows:
        TaskHealth.objects.bulk_create(rows, update_conflicts=True, unique_fields=["task"],
                                       update_fields=HEALTH_FIELDS)


HEALTH_FIELDS = ["status", "stale", "last_report_date", "last_percent", "has_open_obstacle",
                 "late_steps", "changed_on"]


def _figures(health):
    """What the rollups count of a status: (status, stale, has_open_obstacle)."""
    return None if health is None else (health.status, health.stale, health.has_open_obstacle)


def _replace_if_unchanged(health, stored):
    """Write `health` only if the stored status is still `stored` (none: still no row); True if
    written. On PostgreSQL the upsert locks the row and compares its latest committed version,
    so a status the scan changed since it was read is not mistaken for the one read, and the
    caller's move from `stored` to `health` is exact."""
    table = connection.ops.quote_name(TaskHealth._meta.db_table)
    names = ["task_id", *HEALTH_FIELDS]
    values = [health.task_id, health.status, health.stale,
              connection.ops.adapt_datefield_value(health.last_report_date),
              health.last_percent, health.has_open_obstacle, health.late_steps,
              connection.ops.adapt_datefield_value(health.changed_on)]
    if stored is None:
        condition, condition_values = "1 = 0", []
    else:
        condition = (f"{table}.status = %s AND {table}.stale = %s "
                     f"AND {table}.has_open_obstacle = %s")
        condition_values = [stored.status, stored.stale, stored.has_open_obstacle]
    with connection.cursor() as cursor:
        cursor.execute(  # names from the model, values as parameters
            f"INSERT INTO {table} ({', '.join(names)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(names))}) "
            f"ON CONFLICT (task_id) DO UPDATE SET "
            f"{', '.join(f'{name} = EXCLUDED.{name}' for name in HEALTH_FIELDS)} "
            f"WHERE {condition} RETURNING task_id", [*values, *condition_values])
        return cursor.fetchone() is not None


def _stored_health(task):
    try:
        return task.health
    except TaskHealth.DoesNotExist:
        return None


def _health(task, stored, policy, today):
    status, stale = assess_task(
        state=task.state, start_date=task.start_date, issued_on=task.issued_on,
        deadline=task.deadline, percent_complete=task.percent_complete,
        last_report_date=task.last_date, last_percent=task.last_percent,
        has_open_obstacle=bool(task.obstacle), late_steps=task.late_count, today=today,
        policy=policy,
    )
    unchanged = stored is not None and stored.status == status
    return TaskHealth(
        task_id=task.pk, status=status, stale=stale, last_report_date=task.last_date,
        last_percent=task.last_percent, has_open_obstacle=bool(task.obstacle),
        late_steps=task.late_count, changed_on=stored.changed_on if unchanged else today,
    )
