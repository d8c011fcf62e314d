"""What the dashboards show, read from the rollups and added up over a unit's subtree.

Access: a dashboard opens only for a unit the person may see (`orgs.selectors.visible_units`);
a role reaches the unit's whole subtree, so every figure below counts only what they may see.
Figures count targets by the unit that owns them, and tasks once, at their lead unit when it lies
below their owning unit, else at the owning unit (`tracking.selectors.counted_unit_id`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone

from sixclear.monitoring.models import TargetHealth, TargetStatus, TaskHealth
from sixclear.monitoring.target_assessment import required_rate, required_yearly_amount
from sixclear.orgs.models import Unit
from sixclear.orgs.selectors import ancestor_paths, sub_units
from sixclear.plans.models import Area, Target, TargetKind, TrajectoryPoint
from sixclear.tracking.models import ProgressReport

from .models import TARGET_FIGURES, TASK_FIGURES, UnitMonthRollup, UnitTargetRollup, UnitTaskRollup


def share(part: int | Decimal, whole: int | Decimal | None) -> Decimal | None:
    """part ÷ whole in %, to one decimal place; None when there is nothing to divide."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class TaskFigures:
    drafts: int = 0
    open: int = 0
    done: int = 0
    done_on_time: int = 0
    cancelled: int = 0
    not_started: int = 0
    on_track: int = 0
    at_risk: int = 0
    late: int = 0
    stale: int = 0
    obstacles: int = 0

    @property
    def assigned(self) -> int:
        """Issued tasks, open or done (cancelled and drafts aside)."""
        return self.open + self.done

    @property
    def unassessed(self) -> int:
        """Open tasks the scan has not given a status yet."""
        return self.open - self.not_started - self.on_track - self.at_risk - self.late

    @property
    def on_time_rate(self) -> Decimal | None:
        """Done on time ÷ (done + open and late): of the tasks whose deadline has come or
        that are finished, the share finished by their deadline. None when there are none."""
        return share(self.done_on_time, self.done + self.late)


@dataclass
class TargetFigures:
    targets: int = 0
    on_track: int = 0
    behind: int = 0
    off_track: int = 0
    no_data: int = 0

    @property
    def on_track_rate(self) -> Decimal | None:
        return share(self.on_track, self.targets - self.no_data)


def _subtree(unit: Unit, prefix: str = "unit__") -> Q:
    return Q(**{f"{prefix}path__startswith": unit.path})


@dataclass
class LeagueRow:
    unit: object
    tasks: TaskFigures
    targets: TargetFigures
    areas: dict = field(default_factory=dict)  # area -> TargetFigures


def _by_branch(model: Any, unit: Unit, names: Iterable[str],
               extra: Sequence[str] = ()) -> QuerySet[Any, dict[str, Any]]:
    # The unit's own rows group under its own path, each sub-unit's subtree under its path.
    width = len(unit.path) + unit.steplen
    return (
        model.objects.filter(_subtree(unit))
        .annotate(branch=Substr("unit__path", 1, width))
        .values("branch", *extra).order_by()
        .annotate(**{name: Sum(name) for name in names})
    )


def _sums(rows: Iterable[Sequence[Any]], start: int) -> list[int]:
    """Column by column from `start`, the sums of `rows` (tuples of the same length)."""
    return [sum(column) for column in zip(*(row[start:] for row in rows), strict=True)]


@dataclass
class Overview:
    tasks: TaskFigures
    targets: TargetFigures
    league: list  # LeagueRow per direct sub-unit, in tree order


def overview(unit: Unit) -> Overview:
    """The unit's totals and its sub-units side by side, from two aggregate queries (and one
    for the sub-units' names), whatever the number of sub-units; the Python work is one pass
    over at most a row per sub-unit and area."""
    children = list(sub_units(unit))
    rows = {child.path: LeagueRow(child, TaskFigures(), TargetFigures()) for child in children}
    # The figures come in the order of the dataclasses' fields (TASK_FIGURES, TARGET_FIGURES).
    task_rows = list(_by_branch(UnitTaskRollup, unit, TASK_FIGURES)
                     .values_list("branch", *TASK_FIGURES))
    for branch, *values in task_rows:
        if branch in rows:
            rows[branch].tasks = TaskFigures(*values)
    target_rows = list(_by_branch(UnitTargetRollup, unit, TARGET_FIGURES, ["group"])
                       .values_list("branch", "group", *TARGET_FIGURES))
    by_branch: dict[str, list] = {}
    for branch, group, *values in target_rows:
        league_row = rows.get(branch)
        if league_row is not None:
            league_row.areas[group] = TargetFigures(*values)
            by_branch.setdefault(branch, []).append(values)
    for branch, values in by_branch.items():
        rows[branch].targets = TargetFigures(*_sums(values, 0))
    return Overview(TaskFigures(*_sums(task_rows, 1) or [0] * len(TASK_FIGURES)),
                    TargetFigures(*_sums(target_rows, 2) or [0] * len(TARGET_FIGURES)),
                    list(rows.values()))


@dataclass(frozen=True)
class Stamp:
    """What the figures of `unit`'s subtree were counted from: its units (how many, the sum of
    their edit versions) and the sum of their rollup versions, which every recount advances
    (`rollups.refresh_units`, `rollups.rebuild`); `own`, the unit's own rollup version."""

    units: int
    edits: int
    recounts: int
    own: int

    @property
    def subtree(self) -> tuple[int, int, int]:
        return self.units, self.edits, self.recounts


def stamp(unit: Unit) -> Stamp:
    """The subtree's stamp, in one query over a row per unit: it changes whenever a figure of
    the subtree may have (a recount, a unit added, renamed, moved in or out)."""
    row = Unit.objects.filter(path__startswith=unit.path).aggregate(
        units=Count("pk"), edits=Sum("version"), recounts=Sum("task_rollup__version"),
        own=Sum("task_rollup__version", filter=Q(pk=unit.pk)))
    return Stamp(**{name: value or 0 for name, value in row.items()})


def own_version(unit: Unit) -> int:
    """The unit's own rollup version (`Stamp.own`): as read with the unit
    (`with_rollup_version`), else from its one row."""
    known = getattr(unit, "rollup_version", None)
    if known is not None:
        return known
    return UnitTaskRollup.objects.filter(unit=unit).values_list(
        "version", flat=True).first() or 0


def with_rollup_version(units: QuerySet[Unit]) -> QuerySet[Unit]:
    """The units, each read with its own rollup version (`rollup_version`) in the same query."""
    return units.annotate(rollup_version=Coalesce("task_rollup__version", 0))


LEAGUE_SORTS = {
    "name": lambda row: row.unit.name,
    "open": lambda row: row.tasks.open,
    "done": lambda row: row.tasks.done,
    "on_time": lambda row: -1 if row.tasks.on_time_rate is None else row.tasks.on_time_rate,
    "at_risk": lambda row: row.tasks.at_risk,
    "late": lambda row: row.tasks.late,
    "stale": lambda row: row.tasks.stale,
    "obstacles": lambda row: row.tasks.obstacles,
    "targets_on_track": lambda row: -1 if row.targets.on_track_rate is None
    else row.targets.on_track_rate,
    "off_track": lambda row: row.targets.off_track,
}


@dataclass
class SubUnitTasks:
    """A direct sub-unit and the tasks counted in its whole subtree, as the unit page lists
    them: open (issued), late (open with the status late), done, and all of them."""

    unit: Unit
    drafts: int = 0
    open: int = 0
    late: int = 0
    done: int = 0
    cancelled: int = 0

    @property
    def total(self) -> int:
        return self.drafts + self.open + self.done + self.cancelled


SUB_UNIT_FIGURES = ["drafts", "open", "late", "done", "cancelled"]


def sub_unit_tasks(unit: Unit) -> list[SubUnitTasks]:
    """Each direct sub-unit of `unit` with its subtree's tasks, from the task rollups: one
    grouped query over at most one row per unit of the subtree (and one for the sub-units),
    whatever the number of tasks.

    The tasks are counted where the dashboard counts them (`tracking.selectors.counted_unit_id`);
    every one of them is visible to whoever may see `unit`. Late is the tasks' computed status,
    as on the dashboard: an issued task whose deadline passed counts as late from the first
    scan or write after its deadline.
    """
    children = list(sub_units(unit))
    if not children:
        return []
    rows = {row["branch"]: row for row in _by_branch(UnitTaskRollup, unit, SUB_UNIT_FIGURES)}
    return [SubUnitTasks(child, **{name: (rows.get(child.path) or {}).get(name) or 0
                                   for name in SUB_UNIT_FIGURES})
            for child in children]


def sorted_league(rows: list[LeagueRow], sort: str, descending: bool) -> list[LeagueRow]:
    """The league sorted by one column; ties keep tree order. Unknown columns keep it too."""
    if sort not in LEAGUE_SORTS:
        return rows
    return sorted(rows, key=LEAGUE_SORTS[sort], reverse=descending)


def area_names(areas: Iterable[str]) -> dict[str, str]:
    """The areas' names in the reader's language, by their Vietnamese name (the rollups'
    key), from the shared list."""
    return {area.name: area.display_name()
            for area in Area.objects.filter(name__in=[area for area in areas if area])}


def areas_of(rows: Iterable[LeagueRow]) -> list[str]:
    """The target areas found in a league, in alphabetical order ('' last)."""
    names = {area for row in rows for area in row.areas}
    return sorted(names, key=lambda name: (name == "", name))


@dataclass
class MonthPoint:
    month: datetime.date
    due: int
    done: int
    done_on_time: int

    @property
    def on_time_rate(self) -> Decimal | None:
        return share(self.done_on_time, self.done)


def trend(unit: Unit, months: int = 12,
          today: datetime.date | None = None) -> list[MonthPoint]:
    """Month by month over the last `months` months: tasks due, done, and done on time."""
    today = today or timezone.localdate()
    first = _month_start(today, months - 1)
    rows = (
        UnitMonthRollup.objects.filter(_subtree(unit), month__gte=first,
                                       month__lte=today.replace(day=1))
        .values("month").order_by()
        .annotate(due=Sum("due"), done=Sum("done"), done_on_time=Sum("done_on_time"))
    )
    found = {row["month"]: row for row in rows}
    points = []
    for back in range(months - 1, -1, -1):
        month = _month_start(today, back)
        row: Mapping[str, Any] = found.get(month, {})
        points.append(MonthPoint(month, row.get("due", 0), row.get("done", 0),
                                 row.get("done_on_time", 0)))
    return points


def _month_start(today: datetime.date, back: int) -> datetime.date:
    index = today.year * 12 + today.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass
class OffTrackTarget:
    target: Target
    health: TargetHealth
    required: object  # a rate in % per year, an amount per year, or None
    required_is_rate: bool


def _goal(target: Target, final_point: Decimal | None) -> Decimal | None:
    """The value to reach: the target value, or for growth the path's final point."""
    if target.target_value is not None:
        return target.target_value
    return final_point


def _requirement(target: Target, health: TargetHealth,
                 final_point: Decimal | None) -> tuple[Decimal | None, bool]:
    goal = _goal(target, final_point)
    if goal is None or health.actual is None or health.year is None:
        return None, False
    if target.kind in (TargetKind.ANNUAL_GROWTH, TargetKind.GROWTH_RANGE):
        return required_rate(actual=health.actual, actual_year=health.year, goal=goal,
                             target_year=target.target_year), True
    if target.kind in (TargetKind.COUNT, TargetKind.CUMULATIVE, TargetKind.THRESHOLD):
        return required_yearly_amount(actual=health.actual, actual_year=health.year, goal=goal,
                                      target_year=target.target_year), False
    return None, False


def most_off_track(unit: Unit, limit: int = 10) -> list[OffTrackTarget]:
    """The targets furthest below their trajectory (largest negative gap in %), with what
    they now need per year to arrive; one query (the path's final point as a subquery)."""
    final = TrajectoryPoint.objects.filter(target=OuterRef("target_id")).order_by("-year")
    healths = (
        TargetHealth.objects.filter(_subtree(unit, "target__unit__"),
                                    status=TargetStatus.OFF_TRACK, gap_percent__isnull=False)
        .annotate(final_point=Subquery(final.values("expected_value")[:1]))
        .select_related("target", "target__unit")
        .order_by("gap_percent", "target_id")[:limit]
    )
    return [OffTrackTarget(h.target, h, *_requirement(h.target, h, h.final_point))
            for h in healths]


def open_obstacles(unit: Unit, limit: int = 10) -> list[TaskHealth]:
    """The open tasks counted in the subtree (as its figures count them) with an obstacle in
    their latest report, the most recent first, each with the obstacle's text (`obstacle`).

    A task counted in the subtree is owned there, or led there from a unit above it, which
    is then one of the unit's ancestors (`tracking.selectors.counted_in_subtree_q`). Each
    of the two is asked on its own, `limit` rows each, and the two merged: each can be
    read from an index (the subtree's units, the ancestors' tasks, or the obstacles' index
    in order for a large subtree), where one query with both, an OR over two joined units,
    reads every open task in the country (1.3 s for a commune of 300 tasks).
    """
    latest = ProgressReport.objects.filter(task=OuterRef("task_id")).order_by(
        "-report_date", "-pk")
    healths = (
        TaskHealth.objects.filter(has_open_obstacle=True, task__state="issued")
        .annotate(obstacle=Subquery(latest.values("obstacles")[:1]))
        .select_related("task", "task__unit", "task__owner")
        .order_by("-last_report_date", "-task_id")
    )
    found: list[TaskHealth] = list(
        healths.filter(task__unit__path__startswith=unit.path)[:limit])
    above = ancestor_paths(unit)[:-1]
    if above:
        found.extend(healths.filter(task__unit__path__in=above,
                                    task__lead_unit__path__startswith=unit.path)[:limit])
        # As the queries order them: the latest report first (none before any), then the
        # highest task.
        found.sort(key=lambda health: (health.last_report_date is None,
                                       health.last_report_date or datetime.date.min,
                                       health.task_id), reverse=True)
    return found[:limit]


def subtree_targets(unit: Unit, status: str = "", area: str | None = None,
                    own: bool = False) -> QuerySet[Target]:
    """The targets of `unit`'s subtree (with `own`, of the unit itself), optionally of one status
    and area, worst gap first."""
    scope = Q(unit=unit) if own else _subtree(unit)
    targets = Target.objects.filter(scope).select_related("unit", "health")
    if status == TargetStatus.NO_DATA:
        targets = targets.filter(Q(health__isnull=True) | Q(health__status=status))
    elif status:
        targets = targets.filter(health__status=status)
    if area is not None:
        targets = targets.filter(group=area)
    return targets.order_by("health__gap_percent", "unit__path", "code")


def indicators_in(unit: Unit) -> list[Mapping[str, Any]]:
    """The shared indicators that targets in `unit`'s subtree measure, with how many units."""
    return list(
        Target.objects.filter(_subtree(unit)).exclude(indicator="")
        .values("indicator").order_by("indicator")
        .annotate(units=Count("unit", distinct=True))
    )


def indicator_targets(unit: Unit, indicator: str) -> list[Target]:
    """Every target of `unit`'s subtree measuring `indicator`, with its path and status."""
    return list(
        Target.objects.filter(_subtree(unit), indicator=indicator)
        .select_related("unit", "health").prefetch_related("trajectory")
        .order_by("unit__path", "code")
    )
