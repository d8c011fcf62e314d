"""The monitoring scan: recompute every task's and target's status in set-based statements.

The ORM gathers each row's facts once (latest report, late steps, latest approved value) into a
CTE; SQL on top applies the rules written out in task_rules.py and target_assessment.py, with
each unit's nearest monitoring policy joined in as per-row parameters. Tasks and targets are one
INSERT … SELECT … ON CONFLICT DO UPDATE each, touching only rows whose values changed, so a
second scan on the same day writes nothing. The same SQL runs on PostgreSQL and
SQLite, but for date arithmetic.
"""

import datetime

from django.db import connection, transaction
from django.db.models import Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from sixclear import upkeep
from sixclear.plans.models import Target
from sixclear.tracking.models import (
    Task,
    TaskState,
)

from .models import DEFAULT_POLICY, MonitoringPolicy, MonitoringRun, TargetHealth, TaskHealth
from .task_rules import START_GRACE_DAYS

SCAN_LOCK_KEY = 726_001  # PostgreSQL advisory lock: one scan at a time, the second waits


def _days(end, start):
    """SQL for whole days from `start` to `end`, both dates."""
    if connection.vendor == "postgresql":
        return f"({end} - {start})"
    return f"CAST(ROUND(julianday({end}) - julianday({start})) AS INTEGER)"


def _as_cte(name, queryset, columns):
    sql, params = queryset.query.sql_with_params()
    return f"{name} ({', '.join(columns)}) AS ({sql})", list(params)


def scanned_tasks():
    """The tasks the scan covers: issued, done or cancelled ones."""
    return (
        Task.objects
        .filter(state__in=[TaskState.ISSUED, TaskState.DONE, TaskState.CANCELLED])
        .annotate(issued_on=TruncDate("issued_at"))
        .values_list("id", "unit_id", "state", "start_date", "deadline", "percent_complete",
                     "issued_on")
        .order_by()
    )


TASK_CTE_COLUMNS = ["id", "unit_id", "state", "start_date", "deadline", "percent_complete",
                    "issued_on"]


def _policy_ctes(rows_of, names, scanned):
    """CTEs `policies (n, path, <names>)` and `unit_policy (unit_id, n)`.

    Each unit scanned gets its nearest policy: the one whose unit path is the longest prefix of
    its own, else the default (empty path). One statement then covers every policy; one per
    policy re-read the reports for each (measured: five policies cost five passes).
    """
    policies = [(DEFAULT_POLICY, "")] + [
        (policy, policy.unit.path)
        for policy in MonitoringPolicy.objects.select_related("unit").order_by("pk")]
    selects, params = [], []
    for n, (policy, path) in enumerate(policies):
        values = rows_of(policy)
        selects.append("SELECT " + ", ".join(["%s", "CAST(%s AS TEXT)", *["%s"] * len(values)]))
        params += [n, path, *(_sql_value(value) for value in values)]
    # Only our own CTE and column names are interpolated; values are parameters.
    nearest = (
        "SELECT u.id, (SELECT q.n FROM policies q WHERE u.path LIKE q.path || '%%' "  # noqa: S608
        "ORDER BY LENGTH(q.path) DESC LIMIT 1) FROM orgs_unit u "
        f"WHERE u.id IN (SELECT unit_id FROM {scanned})"
    )
    ctes = [
        f"policies (n, path, {', '.join(names)}) AS ({' UNION ALL '.join(selects)})",
        f"unit_policy (unit_id, n) AS ({nearest})",
    ]
    return ctes, params


# Each task's latest counted report and its late steps, found in one pass over each table
# (a window and a grouping) rather than one lookup per task: at national scale the lookups
# cost minutes, the passes seconds.
TASK_FACT_CTES = """
ranked_reports AS (
  SELECT r.task_id, r.report_date, r.percent, r.has_obstacles,
         ROW_NUMBER() OVER (PARTITION BY r.task_id ORDER BY r.report_date DESC, r.id DESC) AS n
  FROM tracking_progressreport r WHERE r.status IN ('submitted', 'approved')
),
late_steps AS (
  SELECT s.task_id, COUNT(*) AS n FROM tracking_taskstep s, p
  WHERE s.done = %s AND s.due_date < p.today GROUP BY s.task_id
),
facts AS (
  SELECT t.id, t.state, t.start_date, t.deadline, t.percent_complete, t.issued_on,
         r.report_date AS last_date, r.percent AS last_percent,
         COALESCE(r.has_obstacles, %s) AS obstacle, COALESCE(ls.n, 0) AS late_steps,
         q.window_end, q.stale_before, q.slack
  FROM tasks t
  JOIN unit_policy up ON up.unit_id = t.unit_id
  JOIN policies q ON q.n = up.n
  LEFT JOIN ranked_reports r ON r.task_id = t.id AND r.n = 1
  LEFT JOIN late_steps ls ON ls.task_id = t.id
)"""


TASK_COLUMNS = ["status", "stale", "last_report_date", "last_percent", "has_open_obstacle",
                "late_steps"]


def _sql_value(value):
    # SQLite stores dates as ISO text; PostgreSQL takes the date itself.
    if isinstance(value, datetime.date) and connection.vendor != "postgresql":
        return value.isoformat()
    return value


def _scan_parameters(**values):
    """A one-row CTE `p` holding the scan's parameters, so the rules read p.today etc."""
    names = ", ".join(values)
    marks = ", ".join(["%s"] * len(values))
    return f"p ({names}) AS (SELECT {marks})", [_sql_value(v) for v in values.values()]


def _task_status_select():
    start = "COALESCE(f.start_date, f.issued_on)"
    total = _days("f.deadline", start)
    elapsed = _days("p.today", start)
    percent = "COALESCE(f.last_percent, f.percent_complete)"
    # Only our own SQL fragments are interpolated.
    return f"""SELECT f.id,
  CASE
    WHEN f.state = 'cancelled' THEN 'cancelled'
    WHEN f.state = 'done' THEN 'done'
    WHEN f.deadline < p.today THEN 'late'
    WHEN f.last_date IS NULL AND (f.start_date < p.today
         OR (f.start_date IS NULL AND f.issued_on < p.grace_before)) THEN 'not_started'
    WHEN f.obstacle OR f.late_steps > 0 THEN 'at_risk'
    WHEN f.deadline <= f.window_end AND {total} > 0
         AND {elapsed} * 100 - {percent} * {total} - f.slack * {total} > 0 THEN 'at_risk'
    ELSE 'on_track'
  END,
  (f.state = 'issued' AND COALESCE(f.last_date, f.issued_on, p.today) < f.stale_before),
  f.last_date, f.last_percent, f.obstacle, f.late_steps
FROM facts f CROSS JOIN p"""  # noqa: S608


def _upsert(table, key, columns, ctes, select_sql, params, today):
    """Insert or update computed rows, touching only those whose values changed.

    The new-or-changed rows are picked with one join against the stored rows first, so the
    conflict handling (a lookup per row) runs only for them, not for every row scanned.
    Returns the keys of the rows written, for the jobs that react to changes.
    """
    names = ", ".join([key, *columns, "changed_on"])
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns)
    width = len(columns) + 1
    aliases = ", ".join(f"h{i}" for i in range(width))
    picked = ", ".join(f"d.h{i}" for i in range(width))
    differs = " OR ".join(f"h.{c} IS DISTINCT FROM c.h{i + 1}" for i, c in enumerate(columns))
    # Only table and column names from our own models are interpolated; values are parameters.
    sql = (
        f"WITH {', '.join(ctes)}, c ({aliases}) AS ({select_sql}), "  # noqa: S608
        f"d AS (SELECT c.* FROM c LEFT JOIN {table} h ON h.{key} = c.h0 "
        f"WHERE h.{key} IS NULL OR {differs}) "
        f"INSERT INTO {table} ({names}) SELECT {picked}, %s FROM d WHERE true "
        f"ON CONFLICT ({key}) DO UPDATE SET {updates}, "
        f"changed_on = CASE WHEN {table}.status IS DISTINCT FROM excluded.status "
        f"THEN excluded.changed_on ELSE {table}.changed_on END "
        f"RETURNING {key}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, _sql_value(today)])
        return [row[0] for row in cursor.fetchall()]


def scan_tasks(today):
    """Recompute every task status; return the ids of tasks whose status data changed.

    A write recomputes its own task's status with monitoring.refresh instead."""
    tasks, task_params = _as_cte("tasks", scanned_tasks(), TASK_CTE_COLUMNS)
    parameters, parameter_values = _scan_parameters(
        today=today, grace_before=today - datetime.timedelta(days=START_GRACE_DAYS))
    policies, policy_params = _policy_ctes(lambda policy: [
        today + datetime.timedelta(days=policy.at_risk_window_days),
        today - datetime.timedelta(days=policy.reporting_period_days),
        policy.progress_slack_percent,
    ], ["window_end", "stale_before", "slack"], "tasks")
    changed = _upsert(
        TaskHealth._meta.db_table, "task_id", TASK_COLUMNS,
        [parameters, tasks, *policies, TASK_FACT_CTES.strip()],
        _task_status_select(),
        [*parameter_values, *task_params, *policy_params, False, False], today,
    )
    # A task sent back to draft has no status.
    TaskHealth.objects.filter(task__state=TaskState.DRAFT).delete()
    return changed


def scanned_targets(listed):
    return (
        Target.objects.filter(listed)
        .values_list("id", "unit_id", "kind", "direction", "baseline_year", "baseline_value",
                     "target_value")
        .order_by()
    )


# Each target's latest approved value, in one pass over the measurements. `position` is where
# the period ends within its year, in twelfths (a whole year is 12).
TARGET_FACT_CTES = """
ranked_values AS (
  SELECT m.target_id, m.year, m.period_kind, m.period_number, m.value, m.position,
         ROW_NUMBER() OVER (PARTITION BY m.target_id
                            ORDER BY m.year DESC, m.position DESC, m.id DESC) AS n
  FROM (
    SELECT v.*, CASE v.period_kind WHEN 'quarter' THEN v.period_number * 3
                                   WHEN 'month' THEN v.period_number ELSE 12 END AS position
    FROM tracking_measurement v WHERE v.status = 'approved' {only_listed}
  ) m
),
facts AS (
  SELECT t.id, t.kind, t.direction, t.baseline_year, t.baseline_value, t.target_value,
         r.year, r.period_kind, r.period_number, r.position, r.value AS actual, q.tolerance
  FROM targets t
  JOIN unit_policy up ON up.unit_id = t.unit_id
  JOIN policies q ON q.n = up.n
  LEFT JOIN ranked_values r ON r.target_id = t.id AND r.n = 1
)"""


TARGET_COLUMNS = ["status", "year", "period_kind", "period_number", "actual", "expected",
                  "expected_high", "gap", "gap_percent"]

# Expected value for the measured period: the baseline in the baseline year; for a threshold to
# keep, the threshold itself; otherwise (a threshold to reach included) a straight line from the
# previous year's point to this year's, at the period's position in the year (for a range, the
# lenient end: the low path when higher is better, the high path when lower is better). The gap
# is signed so that negative is worse.
TARGET_STATUS_SELECT = """SELECT g.id,
  CASE
    WHEN g.actual IS NULL OR g.expected IS NULL THEN 'no_data'
    WHEN g.gap >= 0 THEN 'on_track'
    WHEN g.expected = 0 THEN 'off_track'
    WHEN -g.gap * 100 <= g.tolerance * ABS(g.expected) THEN 'behind'
    ELSE 'off_track'
  END,
  g.year, COALESCE(g.period_kind, ''), COALESCE(g.period_number, 0), g.actual,
  ROUND(g.expected, 4), g.expected_high, ROUND(g.gap, 4),
  CASE WHEN g.expected = 0 THEN NULL ELSE ROUND(g.gap * 100.0 / ABS(g.expected), 2) END
FROM (
  SELECT e.*, CASE WHEN e.direction = 'lower' THEN e.expected - e.actual
                   ELSE e.actual - e.expected END AS gap
  FROM (
    SELECT f.*, this.expected_high AS expected_high,
      CASE
        WHEN f.year IS NULL THEN NULL
        WHEN f.year = f.baseline_year THEN f.baseline_value
        WHEN f.kind = 'threshold_keep' THEN f.target_value
        WHEN f.kind = 'yes_no' THEN this.expected_value
        WHEN f.kind = 'growth_range' AND f.direction = 'lower' THEN
             COALESCE(earlier.expected_high, f.baseline_value)
             + (this.expected_high - COALESCE(earlier.expected_high, f.baseline_value))
               * f.position / 12.0
        ELSE COALESCE(earlier.expected_value, f.baseline_value)
             + (this.expected_value - COALESCE(earlier.expected_value, f.baseline_value))
               * f.position / 12.0
      END AS expected
    FROM facts f
    LEFT JOIN plans_trajectorypoint this ON this.target_id = f.id AND this.year = f.year
    LEFT JOIN plans_trajectorypoint earlier
      ON earlier.target_id = f.id AND earlier.year = f.year - 1
  ) e
) g"""


def scan_targets(today, target_ids=None):
    """Recompute target statuses (of the listed targets only, when given); return the ids of
    targets whose status data changed."""
    listed = Q() if target_ids is None else Q(id__in=list(target_ids))
    facts = TARGET_FACT_CTES.strip().format(
        only_listed="" if target_ids is None else "AND v.target_id IN (SELECT id FROM targets)")
    targets, target_params = _as_cte(
        "targets", scanned_targets(listed),
        ["id", "unit_id", "kind", "direction", "baseline_year", "baseline_value", "target_value"])
    policies, policy_params = _policy_ctes(
        lambda policy: [policy.tolerance_percent], ["tolerance"], "targets")
    return _upsert(
        TargetHealth._meta.db_table, "target_id", TARGET_COLUMNS,
        [targets, *policies, facts], TARGET_STATUS_SELECT,
        [*target_params, *policy_params], today,
    )


def _take_scan_lock():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SCAN_LOCK_KEY])
            # Measured on the bench set: JIT compiled each statement anew (~0.75 s apiece)
            # and gained nothing on these scans.
            cursor.execute("SET LOCAL jit = off")


def run_scan(today=None):
    """Recompute every status as of `today`. Safe to run twice at once: the second waits."""
    today = today or timezone.localdate()
    run = MonitoringRun.objects.create(started_at=timezone.now(), today=today)
    with transaction.atomic():
        _take_scan_lock()
        run.changed_task_ids = scan_tasks(today)
        run.changed_target_ids = scan_targets(today)
        run.tasks_changed = len(run.changed_task_ids)
        run.targets_changed = len(run.changed_target_ids)
        # What counts statuses (the dashboards' rollups) follows through the upkeep port.
        upkeep.statuses_changed(task_ids=run.changed_task_ids,
                                target_ids=run.changed_target_ids)
    run.finished_at = timezone.now()
    run.save(update_fields=["tasks_changed", "targets_changed", "finished_at"])
    return run
