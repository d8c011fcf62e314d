"""Keeping the rollups right: recompute the rows of the units a change touched.

A write recomputes its unit's own rows from the base tables in the writing transaction (a unit
holds a few hundred tasks, so this costs a few indexed queries), rather than adding deltas: a
recount is right by construction whatever the change was. The exception is the most frequent
write, a progress report: it moves its units' rows by its task's change of status, one UPDATE
each, when that change is known exactly (`move_after_report`), and recounts otherwise.
Concurrent writers to one unit are serialised by locking the unit's task rollup row first (the
UPDATE takes the same lock); on PostgreSQL the recount that follows then sees what the other
writer committed. `rebuild` recomputes every row (after a bulk load
or to repair), and `verify` compares the stored rows with a fresh count.
"""

import functools
import operator
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth

from sixclear.changes.selectors import changes_awaiting_decision
from sixclear.monitoring.models import TargetStatus, TaskStatus
from sixclear.orgs.models import Role
from sixclear.orgs.selectors import membership_paths, scope_q, sees_everything
from sixclear.plans.models import Target
from sixclear.tracking.models import Measurement, ProgressReport, ReviewStatus, Task, TaskState
from sixclear.tracking.selectors import counted_unit_id

from .models import (
    MONTH_FIGURES,
    REVIEW_FIGURES,
    TARGET_FIGURES,
    TASK_FIGURES,
    UnitMonthRollup,
    UnitTargetRollup,
    UnitTaskRollup,
)

BATCH = 5000


def _of_units(unit_ids, field="unit_id"):
    return Q() if unit_ids is None else Q(**{f"{field}__in": unit_ids})


def _counted_tasks(unit_ids):
    """Tasks with the unit they are counted at (`counted`): their lead unit when it lies below
    their owning unit, else the owning unit (`tracking.selectors.counted_unit_id`), limited to
    those counted at the listed units (by the owning and lead unit indexes)."""
    tasks = Task.objects.annotate(counted=counted_unit_id())
    if unit_ids is None:
        return tasks
    return tasks.filter(Q(unit_id__in=unit_ids) | Q(lead_unit_id__in=unit_ids),
                        counted__in=unit_ids)


def count_tasks(unit_ids=None):
    """{unit_id: {figure: n}} for the tasks counted at the units, from the base tables.

    One grouped query folded in Python: a write calls this for its unit, and eleven filtered
    counts cost more to build in the ORM than to run.
    """
    rows = (
        _counted_tasks(unit_ids)
        .annotate(on_time=ExpressionWrapper(Q(completed_on__lte=F("deadline")),
                                            output_field=BooleanField()))
        .values_list("counted", "state", "health__status", "health__stale",
                     "health__has_open_obstacle", "on_time")
        .order_by().annotate(n=Count("id"))
    )
    counts = {}
    for unit_id, state, status, stale, obstacle, on_time, n in rows:
        figures = counts.setdefault(unit_id, dict.fromkeys(TASK_FIGURES, 0))
        for figure in _task_figures_of(state, status, stale, obstacle, on_time):
            figures[figure] += n
    return counts


STATE_FIGURES = {TaskState.DRAFT: "drafts", TaskState.ISSUED: "open", TaskState.DONE: "done",
                 TaskState.CANCELLED: "cancelled"}
OPEN_STATUS_FIGURES = {TaskStatus.NOT_STARTED: "not_started", TaskStatus.ON_TRACK: "on_track",
                       TaskStatus.AT_RISK: "at_risk", TaskStatus.LATE: "late"}


def _task_figures_of(state, status, stale, obstacle, on_time):
    """The figures one task counts in: its state; for an open task its status, stale and
    obstacle; for a done one whether it was done by its deadline."""
    figures = [STATE_FIGURES[state]] if state in STATE_FIGURES else []
    if state == TaskState.ISSUED:
        if status in OPEN_STATUS_FIGURES:
            figures.append(OPEN_STATUS_FIGURES[status])
        if stale:
            figures.append("stale")
        if obstacle:
            figures.append("obstacles")
    elif state == TaskState.DONE and on_time:
        figures.append("done_on_time")
    return figures


def _with_status(status):
    return Count("id", filter=Q(health__status=status))


def count_targets(unit_ids=None):
    """{(unit_id, area): {figure: n}} for the units' own targets; no status yet is no data."""
    rows = (
        Target.objects.filter(_of_units(unit_ids)).values("unit_id", "group").order_by()
        .annotate(
            targets=Count("id"),
            on_track=_with_status(TargetStatus.ON_TRACK),
            behind=_with_status(TargetStatus.BEHIND),
            off_track=_with_status(TargetStatus.OFF_TRACK),
            no_data=Count("id", filter=Q(health__isnull=True) | Q(
                health__status=TargetStatus.NO_DATA)),
        )
    )
    return {(row.pop("unit_id"), row.pop("group")): row for row in rows}


def count_months(unit_ids=None):
    """{(unit_id, month): {due, done, done_on_time}}: deadlines falling in the month, and
    completions made in it."""
    months = defaultdict(lambda: dict.fromkeys(MONTH_FIGURES, 0))
    due = (
        _counted_tasks(unit_ids).filter(state__in=[TaskState.ISSUED, TaskState.DONE],
                                        deadline__isnull=False)
        .annotate(month=TruncMonth("deadline")).values("counted", "month").order_by()
        .annotate(n=Count("id"))
    )
    for row in due:
        months[row["counted"], row["month"]]["due"] = row["n"]
    done = (
        _counted_tasks(unit_ids).filter(state=TaskState.DONE, completed_on__isnull=False)
        .annotate(month=TruncMonth("completed_on")).values("counted", "month").order_by()
        .annotate(n=Count("id"), on_time=Count("id", filter=Q(completed_on__lte=F("deadline"))))
    )
    for row in done:
        months[row["counted"], row["month"]].update(done=row["n"], done_on_time=row["on_time"])
    return dict(months)


def count_reviews(unit_ids=None, *, reports=True, measurements=True):
    """{unit_id: {figure: n}}: submitted progress reports on the units' own tasks and
    submitted values of their own targets, waiting for a decision (indexed by task and
    status, and by target)."""
    counts = defaultdict(lambda: dict.fromkeys(REVIEW_FIGURES, 0))
    for wanted, model, unit_field, figure in (
        (reports, ProgressReport, "task__unit_id", "reports_to_review"),
        (measurements, Measurement, "target__unit_id", "measurements_to_review"),
    ):
        if not wanted:
            continue
        rows = (model.objects.filter(_of_units(unit_ids, unit_field),
                                     status=ReviewStatus.SUBMITTED)
                .values_list(unit_field).order_by().annotate(n=Count("id")))
        for unit_id, n in rows:
            counts[unit_id][figure] = n
    return dict(counts)


def _lock_units(unit_ids):
    """Take each unit's task rollup row (creating it if need be), in id order (no deadlock);
    returns {unit_id: version} as locked."""
    locked = _lock_rows(unit_ids)
    if len(locked) < len(unit_ids):
        UnitTaskRollup.objects.bulk_create(
            [UnitTaskRollup(unit_id=pk) for pk in unit_ids if pk not in locked],
            ignore_conflicts=True)
        locked = _lock_rows(unit_ids)
    return locked


def _lock_rows(unit_ids):
    return dict(UnitTaskRollup.objects.select_for_update().filter(unit_id__in=unit_ids)
                .order_by("unit_id").values_list("unit_id", "version"))


def _write_unit_rows(unit_ids, counts, figures, versions):
    """Write `figures` of the units' task rollup rows (the others stay as they are), each row
    one version past `versions` (what was locked, or read before a rebuild)."""
    zero = dict.fromkeys(figures, 0)
    rows = [UnitTaskRollup(unit_id=pk, version=versions.get(pk, 0) + 1,
                           **{**zero, **counts.get(pk, {})}) for pk in unit_ids]
    UnitTaskRollup.objects.bulk_create(
        rows, batch_size=BATCH, update_conflicts=True, unique_fields=["unit"],
        update_fields=[*figures, "version"])


def _merged(unit_ids, *counts):
    return {pk: {k: v for figures in counts for k, v in figures.get(pk, {}).items()}
            for pk in unit_ids}


def _only(counts, figure):
    return {pk: {figure: row[figure]} for pk, row in counts.items()}


def _replace(model, unit_ids, counts, key_fields):
    model.objects.filter(_of_units(unit_ids)).delete()
    model.objects.bulk_create(
        [model(**dict(zip(key_fields, key, strict=True)), **figures)
         for key, figures in counts.items()],
        batch_size=BATCH,
    )


def refresh_units(unit_ids, *, tasks=True, targets=False, months=False):
    """Recount the listed units' rollups: their tasks, and when asked their targets and months.

    Call it inside the transaction that made the change, after the change and after the
    statuses it affects were recomputed. With the tasks it recounts the progress reports
    waiting for review, with the targets the values waiting for review.
    """
    unit_ids = sorted(set(unit_ids))
    if not unit_ids:
        return
    # Inside a write's transaction already: no savepoint of its own (two statements saved).
    with transaction.atomic(savepoint=False):
        versions = _lock_units(unit_ids)
        # Each unit's row is written once, one version up, whatever was recounted.
        parts, figures = [], []
        if tasks:
            parts += [count_tasks(unit_ids),
                      _only(count_reviews(unit_ids, measurements=False), "reports_to_review")]
            figures += [*TASK_FIGURES, "reports_to_review"]
        if targets:
            parts.append(_only(count_reviews(unit_ids, reports=False), "measurements_to_review"))
            figures.append("measurements_to_review")
        _write_unit_rows(unit_ids, _merged(unit_ids, *parts), figures, versions)
        if targets:
            _replace(UnitTargetRollup, unit_ids, count_targets(unit_ids), ["unit_id", "group"])
        if months:
            _replace(UnitMonthRollup, unit_ids, count_months(unit_ids), ["unit_id", "month"])


def move_after_report(change):
    """Move the task rollup rows by what progress reports changed, one UPDATE per unit, which
    also takes the row's lock (writers to one unit wait for each other as with a recount).

    A task's status figures move at the unit it is counted at, its reports waiting for review
    at its owning unit. Exact only when each task's status move is known (the status stage
    wrote it over the very status it read: `change.moves`), the rows came with their units and
    no other unit may count them (a lead unit changed in the same write), and every row
    exists; returns False otherwise, and the caller recounts.
    """
    if not change.rows or any(task.pk not in change.moves for task in change.rows):
        return False
    # A task without a status before this write never went through the upkeep (written around
    # the services: a bulk load before `rebuild`, a test's factory), so its unit's rows may not
    # count it at all: only a recount is right then.
    if any(change.moves[task.pk][0] is None for task in change.rows):
        return False
    delta = {unit_id: defaultdict(int) for unit_id in change.unit_ids}
    for task in change.rows:
        if {task.unit_id, task.lead_unit_id} - {None} != change.unit_ids:
            return False
        before, after = change.moves[task.pk]
        counted = delta[_counted_unit_id(task)]
        for figure in _task_figures_of(task.state, *before, None):
            counted[figure] -= 1
        for figure in _task_figures_of(task.state, *after, None):
            counted[figure] += 1
        if change.submitted:
            delta[task.unit_id]["reports_to_review"] += 1
    for unit_id in sorted(delta):  # in id order, as recounts lock them: no deadlock
        moved = {figure: F(figure) + n for figure, n in delta[unit_id].items() if n}
        if not UnitTaskRollup.objects.filter(unit_id=unit_id).update(
                **moved, version=F("version") + 1):
            return False
    return True


def _counted_unit_id(task):
    """`tracking.selectors.counted_unit_id` for one task read with its unit and lead unit."""
    lead, unit = task.lead_unit, task.unit
    below = (lead is not None and lead.depth > unit.depth and lead.path.startswith(unit.path))
    return lead.pk if below else unit.pk


# Beyond this many changed statuses a full recount is cheaper than listing the units.
REBUILD_ABOVE = 20_000


def refresh_after_scan(task_ids, target_ids):
    """Recount the units whose tasks' or targets' statuses the scan changed."""
    if len(task_ids) + len(target_ids) > REBUILD_ABOVE:
        rebuild(months=False)  # statuses do not move the monthly trend
        return
    task_units = {unit for pair in Task.objects.filter(pk__in=task_ids)
                  .values_list("unit_id", "lead_unit_id") for unit in pair if unit}
    target_units = set(
        Target.objects.filter(pk__in=target_ids).values_list("unit_id", flat=True))
    refresh_units(task_units)
    refresh_units(target_units, tasks=False, targets=True)


def rebuild(months=True):
    """Recompute every rollup row from the base tables; returns the rows written per table."""
    from sixclear.orgs.models import Unit

    written = {}
    with transaction.atomic():
        # Versions only go up, through a rebuild too: a dashboard's stamp never comes back.
        versions = dict(UnitTaskRollup.objects.values_list("unit_id", "version"))
        UnitTaskRollup.objects.all().delete()
        unit_ids = list(Unit.objects.order_by("pk").values_list("pk", flat=True))
        _write_unit_rows(unit_ids, _merged(unit_ids, count_tasks(), count_reviews()),
                         [*TASK_FIGURES, *REVIEW_FIGURES], versions)
        targets = count_targets()
        _replace(UnitTargetRollup, None, targets, ["unit_id", "group"])
        written.update({"units": len(unit_ids), "target rows": len(targets)})
        if months:
            counted = count_months()
            _replace(UnitMonthRollup, None, counted, ["unit_id", "month"])
            written["month rows"] = len(counted)
    return written


def _stored(model, key_fields, figures):
    return {
        tuple(row[k] for k in key_fields) if len(key_fields) > 1 else row[key_fields[0]]:
        {f: row[f] for f in figures}
        for row in model.objects.values(*key_fields, *figures)
    }


def verify():
    """Compare every stored rollup row with a fresh count; return the differences found.

    A unit with no task has an all-zero task row or none: both are right.
    """
    differences = []
    figures = [*TASK_FIGURES, *REVIEW_FIGURES]
    zero = dict.fromkeys(figures, 0)
    stored = _stored(UnitTaskRollup, ["unit_id"], figures)
    counted = count_tasks()
    reviews = count_reviews()
    fresh = {pk: {**zero, **figures_}
             for pk, figures_ in _merged(set(counted) | set(reviews), counted, reviews).items()}
    for unit_id in sorted(set(stored) | set(fresh)):
        if stored.get(unit_id, zero) != fresh.get(unit_id, zero):
            differences.append(("tasks", unit_id, stored.get(unit_id), fresh.get(unit_id)))
    for name, model, keys, figures, count in (
        ("targets", UnitTargetRollup, ["unit_id", "group"], TARGET_FIGURES, count_targets),
        ("months", UnitMonthRollup, ["unit_id", "month"], MONTH_FIGURES, count_months),
    ):
        stored, fresh = _stored(model, keys, figures), count()
        for key in sorted(set(stored) | set(fresh), key=str):
            if stored.get(key) != fresh.get(key):
                differences.append((name, key, stored.get(key), fresh.get(key)))
    return differences


def _scalar(queryset, function="COUNT", expression=None):
    """`queryset` reduced to one number, as a subquery (0 when it has no row)."""
    reduced = queryset.order_by().annotate(
        n=Func(expression or F("pk"), function=function)).values("n")
    return Coalesce(Subquery(reduced, output_field=IntegerField()), Value(0))


def count_awaiting_decision(user):
    """What waits for this person's decision, as the header's approvals badge shows it on
    every page: submitted progress reports and target values, and pending change requests.

    One statement whatever the number of rows: the per-unit counts of reports and values
    waiting (`reports_to_review`, `measurements_to_review`) summed over the units the
    person manages (one row per unit), less their own among them (one never decides one's
    own), plus the reports on tasks outside those units that name them as approving person
    (through the task's authority index), plus the pending change requests they decide
    (few). The same rules as `tracking.selectors.reports_awaiting_review`,
    `measurements_awaiting_review` and `changes.selectors.changes_awaiting_decision`, which
    list them.
    """
    parts = []
    submitted = {"status": ReviewStatus.SUBMITTED}
    if sees_everything(user) or membership_paths(user, Role.MANAGER):
        rows = UnitTaskRollup.objects.filter(scope_q(user, "unit", minimum=Role.MANAGER))
        own_reports = ProgressReport.objects.filter(
            scope_q(user, "task__unit", minimum=Role.MANAGER), reported_by=user, **submitted)
        own_values = Measurement.objects.filter(
            scope_q(user, "target__unit", minimum=Role.MANAGER), reported_by=user, **submitted)
        waiting = F("reports_to_review") + F("measurements_to_review")
        parts += [_scalar(rows, "SUM", waiting), -_scalar(own_reports), -_scalar(own_values)]
    if not sees_everything(user):
        named = ProgressReport.objects.filter(task__authority=user, **submitted).exclude(
            reported_by=user)
        for path in membership_paths(user, Role.MANAGER):
            named = named.exclude(task__unit__path__startswith=path)
        parts.append(_scalar(named))
    parts.append(_scalar(changes_awaiting_decision(user)))
    total = functools.reduce(operator.add, parts)
    return (get_user_model().objects.filter(pk=user.pk)
            .annotate(awaiting=ExpressionWrapper(total, output_field=IntegerField()))
            .values_list("awaiting", flat=True).get())
