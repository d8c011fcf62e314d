"""The statuses of a few tasks, recomputed right after a write changed them.

The hourly scan (engine.py) recomputes every status in set-based SQL; a write needs only its
own task's, and reading the task's facts through its index entries and applying the rules of
task_rules.py costs a few milliseconds where the scan's statements cost seconds. Both apply
the same rules: tests hold the scan to task_rules.
"""

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
    """The upkeep port's status stage for written tasks."""
    refresh_task_statuses(change.task_ids, timezone.localdate())


def refresh_after_targets(change: TargetChange) -> None:
    """The upkeep port's status stage for written targets: the scan's SQL, limited to them."""
    scan_targets(timezone.localdate(), target_ids=change.target_ids)


def refresh_task_statuses(task_ids, today):
    """Recompute and store the statuses of the listed tasks; drafts lose theirs."""
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
        rows.append(_health(task, _stored_health(task), policies[task.unit_id], today))
    TaskHealth.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["task"],
        update_fields=["status", "stale", "last_report_date", "last_percent",
                       "has_open_obstacle", "late_steps", "changed_on"],
    )


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
