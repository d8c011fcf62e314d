"""Reads of monitoring results, scoped to what the user may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from sixclear.plans.models import Target
from sixclear.plans.trajectory import expected_path, possible_range
from sixclear.tracking.models import PeriodKind, ReviewStatus, Task, TaskState
from sixclear.tracking.selectors import visible_tasks

from . import target_assessment, task_rules
from .models import TargetHealth
from .policies import policy_for


def owner_freshness(user: Any, tasks: QuerySet[Task] | None = None) -> list[dict[str, Any]]:
    """Per owner of the open tasks the user may see: how many they own and how many are
    reported on within the reporting period, with the share as a percentage.

    Owners who stop reporting are the commonest failure of monitoring; this makes it visible.
    """
    tasks = visible_tasks(user) if tasks is None else tasks
    rows = (
        tasks.filter(state=TaskState.ISSUED, owner__isnull=False, health__isnull=False)
        .values("owner_id", "owner__username", "owner__first_name", "owner__last_name")
        .annotate(open=Count("pk"), fresh=Count("pk", filter=Q(health__stale=False)))
        .order_by("owner__username")
    )
    return [
        {**row, "share": round(100 * row["fresh"] / row["open"]) if row["open"] else None}
        for row in rows
    ]


def task_status_reason(task: Task, today: datetime.date | None = None) -> str:
    """The reason for a task's computed status in words, or "" when it has none yet."""
    health = getattr(task, "health", None)
    if health is None:
        return ""
    return task_rules.describe(task, health, today or timezone.localdate())


@dataclass(frozen=True)
class TargetOutlook:
    """What a target page shows beside its path: the stored status, and, computed on the page
    from the approved yearly values, what the remaining years need and where it is heading."""

    health: TargetHealth | None  # None before the first scan
    latest_year: int | None  # the latest approved yearly value
    latest_value: Decimal | None
    goal: Decimal | None  # the value aimed at in the target year (the lenient end of a range)
    target_year: int
    required_rate: Decimal | None  # growth kinds: % a year still needed
    required_amount: Decimal | None  # amounts, counts, thresholds to reach: how much a year
    forecast: target_assessment.Forecast

    @property
    def years_left(self) -> int | None:
        return None if self.latest_year is None else self.target_year - self.latest_year


def _approved_yearly_values(target: Target) -> list[tuple[int, Decimal]]:
    """(year, value) of the approved yearly measurements; uses prefetched rows when present."""
    return sorted(
        (measurement.year, measurement.value)
        for measurement in target.measurements.all()
        if measurement.period_kind == PeriodKind.YEAR
        and measurement.status == ReviewStatus.APPROVED
    )


def _final_point(target: Target) -> tuple[Any, Any]:
    """(low, high) expected in the target year: the stored path's point (it may be drawn by
    hand), else the computed path's."""
    for point in target.trajectory.all():
        if point.year == target.target_year:
            return point.expected_value, point.expected_high
    path = expected_path(
        kind=target.kind, baseline_value=target.baseline_value,
        baseline_year=target.baseline_year, target_year=target.target_year,
        target_value=target.target_value, annual_rate=target.annual_rate,
        annual_rate_high=target.annual_rate_high, direction=target.direction,
    )
    return path[-1][1], path[-1][2]


def assess_years(target: Target, rows: list) -> None:
    """Give each year's row with a reported value the status that value earns, by the rule
    and tolerance of the target's own status (`target_assessment.assess`), so that the page
    names a year and the target with the same words (a value still waiting for approval is
    marked so beside it)."""
    tolerance = policy_for(target.unit).tolerance_percent
    for row in rows:
        if (row.measured is not None and row.expected is not None
                and row.year != target.baseline_year):
            row.assessment = target_assessment.assess(
                kind=target.kind, direction=target.direction, actual=row.measured,
                expected=row.expected, expected_high=row.expected_high,
                tolerance_percent=tolerance)


def target_outlook(target: Target) -> TargetOutlook:
    """A target's stored status, required rate (growth kinds) or required yearly amount
    (cumulative amounts, counts and thresholds to reach; a threshold to keep needs no amount,
    only to stay beyond it) from the latest approved yearly value, and the forecast
    with its likelihood and method (monitoring.target_assessment), held within what the
    indicator can be (0–100 for a share in %, or the target's declared range).

    Only approved yearly values count, as in the scan. Pass a target from
    `tracking.selectors.targets_for_page` so its path and measurements are prefetched.
    """
    values = [(year, value) for year, value in _approved_yearly_values(target)
              if year > target.baseline_year]
    latest_year, latest_value = values[-1] if values else (None, None)
    growth = target.kind in target_assessment.GROWTH_KINDS
    if growth:
        goal_low, goal_high = _final_point(target)
    else:
        goal_low, goal_high = target.target_value, None
    goal = goal_high if target.direction == "lower" and goal_high is not None else goal_low
    required_rate = required_amount = None
    if latest_value is not None and growth:
        required_rate = target_assessment.required_rate(
            actual=latest_value, actual_year=latest_year, goal=goal,
            target_year=target.target_year)
    elif latest_value is not None and target.kind in target_assessment.AMOUNT_KINDS:
        required_amount = target_assessment.required_yearly_amount(
            actual=latest_value, actual_year=latest_year, goal=goal,
            target_year=target.target_year)
    lowest, highest = possible_range(
        kind=target.kind, unit_of_measure=target.unit_of_measure,
        lowest=target.lowest_possible, highest=target.highest_possible)
    forecast = target_assessment.forecast(
        kind=target.kind, direction=target.direction, baseline_value=target.baseline_value,
        baseline_year=target.baseline_year, measurements=values,
        target_year=target.target_year, goal=goal_low, goal_high=goal_high,
        lowest=lowest, highest=highest,
    )
    return TargetOutlook(
        health=getattr(target, "health", None), latest_year=latest_year,
        latest_value=latest_value, goal=goal, required_rate=required_rate,
        required_amount=required_amount, forecast=forecast, target_year=target.target_year,
    )
