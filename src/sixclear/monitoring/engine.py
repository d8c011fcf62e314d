"""The monitoring scan: recompute every task's and target's status in set-based statements.

The ORM gathers each row's facts once (latest report, late steps, latest approved value) into a
CTE; SQL on top applies the rules written out in task_rules.py and target_assessment.py. Each
policy group is one INSERT … SELECT … ON CONFLICT DO UPDATE that touches only rows whose values
changed, so a second scan on the same day writes nothing. The same SQL runs on PostgreSQL and
SQLite, but for date arithmetic.
"""

import datetime

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from sixclear.plans.models import Target
from sixclear.tracking.models import (
    Measurement,
    ProgressReport,
    ReviewStatus,
    Task,
    TaskState,
    TaskStep,
)

from .models import MonitoringRun, TargetHealth, TaskHealth
from .policies import policy_groups
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


def task_facts(today, unit_filter):
    """Per issued, done or cancelled task: what its status rests on, one subquery each."""
    latest = ProgressReport.objects.filter(
        task=OuterRef("pk"), status__in=(ReviewStatus.SUBMITTED, ReviewStatus.APPROVED)
    ).order_by("-report_date", "-pk")
    late_steps = (
        TaskStep.objects.filter(task=OuterRef("pk"), done=False, due_date__lt=today)
        .order_by().values("task").annotate(n=Count("*")).values("n")
    )
    return (
        Task.objects.filter(unit_filter)
        .filter(state__in=[TaskState.ISSUED, TaskState.DONE, TaskState.CANCELLED])
        .annotate(
            f_issued_on=TruncDate("issued_at"),
            f_last_date=Subquery(latest.values("report_date")[:1]),
            f_last_percent=Subquery(latest.values("percent")[:1]),
            f_obstacle=Coalesce(Subquery(latest.values("has_obstacles")[:1]), Value(False),
                                output_field=BooleanField()),
            f_late_steps=Coalesce(Subquery(late_steps), Value(0), output_field=IntegerField()),
        )
        .values_list("id", "state", "start_date", "deadline", "percent_complete", "f_issued_on",
                     "f_last_date", "f_last_percent", "f_obstacle", "f_late_steps")
        .order_by()
    )


TASK_FACTS = ["id", "state", "start_date", "deadline", "percent_complete", "issued_on",
              "last_date", "last_percent", "obstacle", "late_steps"]
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
    WHEN f.deadline <= p.window_end AND {total} > 0
         AND {elapsed} * 100 - {percent} * {total} - p.slack * {total} > 0 THEN 'at_risk'
    ELSE 'on_track'
  END,
  (f.state = 'issued' AND COALESCE(f.last_date, f.issued_on, p.today) < p.stale_before),
  f.last_date, f.last_percent, f.obstacle, f.late_steps
FROM facts f CROSS JOIN p"""  # noqa: S608


def _upsert(table, key, columns, ctes, select_sql, params, today):
    """Insert or update computed rows, touching only those whose values changed.

    Returns the keys of the rows written, for the jobs that react to changes.
    """
    names = ", ".join([key, *columns, "changed_on"])
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns)
    changed = " OR ".join(f"{table}.{c} IS DISTINCT FROM excluded.{c}" for c in columns)
    width = len(columns) + 1
    picked = ", ".join(f"c.h{i}" for i in range(width))
    aliases = ", ".join(f"h{i}" for i in range(width))
    # Only table and column names from our own models are interpolated; values are parameters.
    sql = (
        f"WITH {', '.join(ctes)}, c ({aliases}) AS ({select_sql}) "  # noqa: S608
        f"INSERT INTO {table} ({names}) SELECT {picked}, %s FROM c WHERE true "
        f"ON CONFLICT ({key}) DO UPDATE SET {updates}, "
        f"changed_on = CASE WHEN {table}.status IS DISTINCT FROM excluded.status "
        f"THEN excluded.changed_on ELSE {table}.changed_on END "
        f"WHERE {changed} RETURNING {key}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, _sql_value(today)])
        return [row[0] for row in cursor.fetchall()]


def scan_tasks(today):
    """Recompute task statuses; return the ids of tasks whose status data changed."""
    changed = []
    for policy, unit_filter in policy_groups("unit"):
        facts, facts_params = _as_cte("facts", task_facts(today, unit_filter), TASK_FACTS)
        parameters, parameter_values = _scan_parameters(
            today=today,
            window_end=today + datetime.timedelta(days=policy.at_risk_window_days),
            grace_before=today - datetime.timedelta(days=START_GRACE_DAYS),
            stale_before=today - datetime.timedelta(days=policy.reporting_period_days),
            slack=policy.progress_slack_percent,
        )
        changed += _upsert(
            TaskHealth._meta.db_table, "task_id", TASK_COLUMNS, [facts, parameters],
            _task_status_select(), [*facts_params, *parameter_values], today,
        )
    # A task sent back to draft has no status.
    TaskHealth.objects.filter(task__state=TaskState.DRAFT).delete()
    return changed


def _period_position():
    """Where a measurement's period ends within its year, in twelfths (a whole year is 12)."""
    return Case(
        When(period_kind="quarter", then=F("period_number") * 3),
        When(period_kind="month", then=F("period_number")),
        default=Value(12),
        output_field=IntegerField(),
    )


def target_facts(unit_filter):
    """Per target: its latest approved value and the period it is for."""
    latest = (
        Measurement.objects.filter(target=OuterRef("pk"), status=ReviewStatus.APPROVED)
        .annotate(position=_period_position())
        .order_by("-year", "-position", "-pk")
    )
    decimal = DecimalField(max_digits=20, decimal_places=4)
    return (
        Target.objects.filter(unit_filter)
        .annotate(
            f_year=Subquery(latest.values("year")[:1]),
            f_period_kind=Subquery(latest.values("period_kind")[:1]),
            f_period_number=Subquery(latest.values("period_number")[:1]),
            f_position=Subquery(latest.values("position")[:1]),
            f_actual=Subquery(latest.values("value")[:1], output_field=decimal),
        )
        .values_list("id", "kind", "direction", "baseline_year", "baseline_value",
                     "target_value", "f_year", "f_period_kind", "f_period_number", "f_position",
                     "f_actual")
        .order_by()
    )


TARGET_FACTS = ["id", "kind", "direction", "baseline_year", "baseline_value", "target_value",
                "year", "period_kind", "period_number", "position", "actual"]
TARGET_COLUMNS = ["status", "year", "period_kind", "period_number", "actual", "expected",
                  "expected_high", "gap", "gap_percent"]

# Expected value for the measured period: the baseline in the baseline year; the threshold
# itself; otherwise a straight line from the previous year's point to this year's, at the
# period's position in the year (for a range, the lenient end: the low path when higher is
# better, the high path when lower is better). The gap is signed so that negative is worse.
TARGET_STATUS_SELECT = """SELECT g.id,
  CASE
    WHEN g.actual IS NULL OR g.expected IS NULL THEN 'no_data'
    WHEN g.gap >= 0 THEN 'on_track'
    WHEN g.expected = 0 THEN 'off_track'
    WHEN -g.gap * 100 <= p.tolerance * ABS(g.expected) THEN 'behind'
    ELSE 'off_track'
  END,
  g.year, COALESCE(g.period_kind, ''), COALESCE(g.period_number, 0), g.actual, g.expected,
  g.expected_high, g.gap,
  CASE WHEN g.expected = 0 THEN NULL ELSE ROUND(g.gap * 100.0 / ABS(g.expected), 2) END
FROM (
  SELECT e.*, CASE WHEN e.direction = 'lower' THEN e.expected - e.actual
                   ELSE e.actual - e.expected END AS gap
  FROM (
    SELECT f.*, this.expected_high AS expected_high,
      CASE
        WHEN f.year IS NULL THEN NULL
        WHEN f.year = f.baseline_year THEN f.baseline_value
        WHEN f.kind = 'threshold' THEN f.target_value
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
) g CROSS JOIN p"""


def scan_targets(today):
    """Recompute target statuses; return the ids of targets whose status data changed."""
    changed = []
    for policy, unit_filter in policy_groups("unit"):
        facts, facts_params = _as_cte("facts", target_facts(unit_filter), TARGET_FACTS)
        parameters, parameter_values = _scan_parameters(tolerance=policy.tolerance_percent)
        changed += _upsert(
            TargetHealth._meta.db_table, "target_id", TARGET_COLUMNS, [facts, parameters],
            TARGET_STATUS_SELECT, [*facts_params, *parameter_values], today,
        )
    return changed


def _take_scan_lock():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SCAN_LOCK_KEY])


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
    run.finished_at = timezone.now()
    run.save(update_fields=["tasks_changed", "targets_changed", "finished_at"])
    return run
