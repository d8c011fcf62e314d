"""The registry of evidence measures a criterion can be computed by.

A measure turns the records of a year into, for each subject, a count of what went right out
of what was due, and the records behind both (so every point opens to its tasks or targets).
It is set-based: one call computes every subject of a round, in a fixed number of queries.

Apps register their measures with `register` in their `AppConfig.ready`: this module registers
the ones built from tasks, targets and their statuses; the portal registers citizens'
satisfaction; obstacles and procedures can add theirs the same way, without this app knowing
them. A criterion names its measure by key, so a criteria set stays data.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Min, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from sixclear.monitoring.models import TargetStatus
from sixclear.plans.models import Direction, Target, TargetKind, TrajectoryPoint
from sixclear.tracking.models import Measurement, ProgressReport, ReviewStatus, Task, TaskState

STEP = 4  # treebeard's path step: a unit's ancestors are the prefixes of its path


@dataclass(frozen=True)
class SubjectRef:
    """Who a measure computes for: a unit (by its tree path) or a person (by user id)."""

    key: str  # "unit:<pk>" or "person:<pk>"
    unit_path: str = ""
    person_id: int | None = None


@dataclass
class Figure:
    numerator: int = 0
    denominator: int = 0
    records: list[dict[str, Any]] = field(default_factory=list)

    def add(self, record: dict[str, Any]) -> None:
        self.denominator += 1
        self.numerator += 1 if record["ok"] else 0
        self.records.append(record)


Compute = Callable[[list[SubjectRef], int, datetime.date, dict[str, Any]], dict[str, Figure]]


@dataclass(frozen=True)
class Measure:
    key: str
    label: Any  # a lazy translation
    explanation: Any
    compute: Compute
    for_units: bool = True
    for_persons: bool = False


_REGISTRY: dict[str, Measure] = {}


def register(measure: Measure) -> None:
    _REGISTRY[measure.key] = measure


def get(key: str) -> Measure | None:
    return _REGISTRY.get(key)


def all_measures() -> list[Measure]:
    return sorted(_REGISTRY.values(), key=lambda measure: measure.key)


def by_path(subjects: Iterable[SubjectRef]) -> dict[str, list[SubjectRef]]:
    """Subjects by unit path, to find a record's subjects among its unit's path prefixes."""
    found: dict[str, list[SubjectRef]] = {}
    for subject in subjects:
        if subject.unit_path:
            found.setdefault(subject.unit_path, []).append(subject)
    return found


def owners_of(path: str, paths: dict[str, list[SubjectRef]]) -> list[SubjectRef]:
    """The unit subjects whose subtree holds the unit at `path`."""
    owners: list[SubjectRef] = []
    for end in range(STEP, len(path) + 1, STEP):
        owners.extend(paths.get(path[:end], ()))
    return owners


def _persons(subjects: Iterable[SubjectRef]) -> dict[int, list[SubjectRef]]:
    found: dict[int, list[SubjectRef]] = {}
    for subject in subjects:
        if subject.person_id is not None:
            found.setdefault(subject.person_id, []).append(subject)
    return found


def common_path(paths: Iterable[str]) -> str | None:
    """The deepest unit path above (or at) every one of `paths`, or None for none."""
    found: str | None = None
    for path in paths:
        if found is None:
            found = path
            continue
        end = 0
        while end < min(len(found), len(path)) and found[end] == path[end]:
            end += 1
        found = found[: end - end % STEP]
    return found


def _subject_filter(subjects: list[SubjectRef], unit_field: str, person_field: str) -> Q:
    """Rows of any subject: one prefix over the subtree holding every unit subject (the rows
    are then given to their subjects by path, `owners_of`), and the persons' own rows. One
    LIKE rather than one per subject keeps a round of thousands of communes one index scan."""
    query = Q(pk__in=[])
    common = common_path(s.unit_path for s in subjects if s.unit_path)
    if common is not None:
        query |= Q(**{f"{unit_field}__path__startswith": common})
    persons = sorted({s.person_id for s in subjects if s.person_id is not None})
    if persons and person_field:
        query |= Q(**{f"{person_field}__in": persons})
    return query


def _holders(row_path: str, row_person: int | None, paths: dict[str, list[SubjectRef]],
             persons: dict[int, list[SubjectRef]]) -> list[SubjectRef]:
    holders = owners_of(row_path, paths) if paths else []  # a round of persons has no paths
    if row_person is not None and persons:
        holders.extend(persons.get(row_person, ()))
    return holders


def _day(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def tasks_on_time(subjects: list[SubjectRef], year: int, as_of: datetime.date,
                  params: dict[str, Any]) -> dict[str, Figure]:
    """Tasks due in the year up to `as_of` (issued or done, not cancelled), and of them those
    completed by their deadline. A unit counts its subtree's tasks; a person the tasks they own.
    """
    figures = {subject.key: Figure() for subject in subjects}
    paths, persons = by_path(subjects), _persons(subjects)
    rows = (Task.objects.filter(_subject_filter(subjects, "unit", "owner"))
            .filter(state__in=[TaskState.ISSUED, TaskState.DONE],
                    deadline__gte=datetime.date(year, 1, 1), deadline__lte=as_of)
            .values_list("pk", "title", "deadline", "completed_on", "state", "unit__path",
                         "owner_id")
            .order_by("deadline", "pk"))
    for pk, title, deadline, completed_on, state, path, owner in rows:
        on_time = (state == TaskState.DONE and completed_on is not None
                   and deadline is not None and completed_on <= deadline)
        record = {"kind": "task", "pk": pk, "label": title, "ok": on_time,
                  "facts": {"deadline": _day(deadline), "completed_on": _day(completed_on)}}
        for holder in _holders(path, owner, paths, persons):
            figures[holder.key].add(record)
    return figures


def data_freshness(subjects: list[SubjectRef], year: int, as_of: datetime.date,
                   params: dict[str, Any]) -> dict[str, Figure]:
    """Open issued tasks, and of them those reported on within their reporting period (not
    marked stale by monitoring)."""
    figures = {subject.key: Figure() for subject in subjects}
    paths, persons = by_path(subjects), _persons(subjects)
    # The status joined to its task (none yet: not stale), rather than a second pass over
    # the same tasks: at national scale these are three quarters of a million rows.
    rows = (Task.objects.filter(_subject_filter(subjects, "unit", "owner"),
                                state=TaskState.ISSUED)
            .values_list("pk", "title", "deadline", "unit__path", "owner_id", "health__stale")
            .order_by("pk"))
    for pk, title, deadline, path, owner, stale in rows:
        record = {"kind": "task", "pk": pk, "label": title, "ok": not stale,
                  "facts": {"deadline": _day(deadline)}}
        for holder in _holders(path, owner, paths, persons):
            figures[holder.key].add(record)
    return figures


def _targets_of_year(subjects: list[SubjectRef], year: int, *more: Any) -> QuerySet[Any, Any]:
    """(pk, name, unit path, responsible person, *more) of the targets with an expected
    value for the year."""
    return (Target.objects.filter(_subject_filter(subjects, "unit", "responsible_person"),
                                  trajectory__year=year)
            .values_list("pk", "name", "unit__path", "responsible_person_id", *more)
            .order_by("pk"))


def targets_on_trajectory(subjects: list[SubjectRef], year: int, as_of: datetime.date,
                          params: dict[str, Any]) -> dict[str, Figure]:
    """Targets with an expected value for the year, and of them those whose latest approved
    value of the year is on or above the path (monitoring's status)."""
    figures = {subject.key: Figure() for subject in subjects}
    paths, persons = by_path(subjects), _persons(subjects)
    # Monitoring's status joined to its target (none yet: no data), not looked up by a list
    # of every target's id.
    rows = _targets_of_year(subjects, year, "health__status", "health__year", "health__actual",
                            "health__expected")
    for pk, name, path, person, status, of_year, actual, expected in rows:
        ok = status == TargetStatus.ON_TRACK and of_year == year
        record = {"kind": "target", "pk": pk, "label": name, "ok": ok,
                  "facts": {"status": status if of_year == year else TargetStatus.NO_DATA,
                            "actual": str(actual) if actual is not None and of_year == year
                            else "",
                            "expected": str(expected) if expected is not None
                            and of_year == year else ""}}
        for holder in _holders(path, person, paths, persons):
            figures[holder.key].add(record)
    return figures


def target_values_reported(subjects: list[SubjectRef], year: int, as_of: datetime.date,
                           params: dict[str, Any]) -> dict[str, Figure]:
    """Targets with an expected value for the year, and of them those with a value of the year
    submitted by `as_of` (the report on time)."""
    figures = {subject.key: Figure() for subject in subjects}
    paths, persons = by_path(subjects), _persons(subjects)
    rows = list(_targets_of_year(subjects, year))
    # The first submission of each target, grouped in the database (the day of the earliest
    # moment is the earliest day), of the same targets as a subquery rather than a list of
    # every target's id.
    first: dict[int, datetime.date] = {
        target_id: submitted.date() for target_id, submitted in Measurement.objects.filter(
            target__in=Target.objects.filter(
                _subject_filter(subjects, "unit", "responsible_person"),
                trajectory__year=year).values("pk"),
            year=year, status__in=[ReviewStatus.SUBMITTED, ReviewStatus.APPROVED],
            submitted_at__isnull=False).values("target_id").annotate(first=Min("submitted_at"))
        .values_list("target_id", "first").order_by()}
    for pk, name, path, person in rows:
        submitted_on = first.get(pk)
        record = {"kind": "target", "pk": pk, "label": name,
                  "ok": submitted_on is not None and submitted_on <= as_of,
                  "facts": {"submitted_on": _day(submitted_on)}}
        for holder in _holders(path, person, paths, persons):
            figures[holder.key].add(record)
    return figures


def _result_reported_on(as_of: datetime.date) -> Subquery:
    """The day of a task's first approved report of 100 % (its result, reported and accepted)
    up to `as_of`, as a subquery on the task."""
    return Subquery(ProgressReport.objects.filter(
        task=OuterRef("pk"), status=ReviewStatus.APPROVED, percent=100,
        report_date__lte=as_of).values("task").annotate(first=Min("report_date"))
        .values("first")[:1])


def _tasks_exceeded(subjects: list[SubjectRef], year: int, as_of: datetime.date,
                    figures: dict[str, Figure]) -> None:
    paths, persons = by_path(subjects), _persons(subjects)
    rows = (Task.objects.filter(_subject_filter(subjects, "unit", "owner"))
            .filter(state__in=[TaskState.ISSUED, TaskState.DONE],
                    deadline__gte=datetime.date(year, 1, 1), deadline__lte=as_of)
            .annotate(result_on=_result_reported_on(as_of))
            .values_list("pk", "title", "deadline", "completed_on", "state", "result_on",
                         "unit__path", "owner_id")
            .order_by("deadline", "pk"))
    for pk, title, deadline, completed_on, state, result_on, path, owner in rows:
        early = (state == TaskState.DONE and completed_on is not None and deadline is not None
                 and completed_on < deadline)
        record = {"kind": "task", "pk": pk, "label": title, "ok": early and result_on is not None,
                  "facts": {"deadline": _day(deadline), "completed_on": _day(completed_on),
                            "result_reported_on": _day(result_on)}}
        for holder in _holders(path, owner, paths, persons):
            figures[holder.key].add(record)


def _beyond(actual: Any, low: Any, high: Any, direction: str) -> bool:
    """Strictly better than the year's expected value in the target's direction: above it
    (above the upper value of a range) when higher is better, below it when lower is."""
    if direction == Direction.LOWER:
        return actual < low
    return actual > (high if high is not None else low)


def _targets_exceeded(subjects: list[SubjectRef], year: int, figures: dict[str, Figure]) -> None:
    paths, persons = by_path(subjects), _persons(subjects)
    rows = (TrajectoryPoint.objects.filter(
        year=year, target__in=Target.objects.filter(
            _subject_filter(subjects, "unit", "responsible_person"))
        .exclude(kind=TargetKind.YES_NO))
        .values_list("target_id", "target__name", "target__direction", "expected_value",
                     "expected_high", "target__unit__path", "target__responsible_person_id",
                     "target__health__year", "target__health__actual")
        .order_by("target_id"))
    for pk, name, direction, low, high, path, person, of_year, actual in rows:
        value = actual if of_year == year else None
        record = {"kind": "target", "pk": pk, "label": name,
                  "ok": value is not None and _beyond(value, low, high, direction),
                  "facts": {"actual": "" if value is None else str(value),
                            "year_end_expected": str(low if direction == Direction.LOWER
                                                     or high is None else high)}}
        for holder in _holders(path, person, paths, persons):
            figures[holder.key].add(record)


def tasks_and_targets_exceeded(subjects: list[SubjectRef], year: int, as_of: datetime.date,
                               params: dict[str, Any]) -> dict[str, Figure]:
    """The share of the year's tasks and targets done better than asked (Quy định 366's "at
    least 30 % exceeded" for "excellent"). Counted: the tasks `tasks_on_time` counts (due
    from 1 January to `as_of`, issued or done), and the targets with an expected value for the
    year except yes/no ones (which cannot be exceeded). Exceeded: a task done *before* its
    deadline (the day before at the latest) whose result was reported and accepted (an
    approved report of 100 % dated by `as_of`); a target whose latest approved value of the
    year (monitoring's) lies strictly beyond the year's expected value in its direction
    (beyond the upper value of a range). Two queries whatever the round's size."""
    figures = {subject.key: Figure() for subject in subjects}
    _tasks_exceeded(subjects, year, as_of, figures)
    _targets_exceeded(subjects, year, figures)
    return figures


register(Measure(
    "tasks_on_time", _("Tasks done on time"),
    _("Tasks due in the year, and of them those completed by their deadline."),
    tasks_on_time, for_persons=True))
register(Measure(
    "targets_on_trajectory", _("Targets on or above their path"),
    _("Targets expected to reach a value this year, and of them those on or above the path."),
    targets_on_trajectory, for_persons=True))
register(Measure(
    "target_values_reported", _("Target values reported on time"),
    _("Targets expected to reach a value this year, and of them those whose value was "
      "reported by the evidence date."),
    target_values_reported, for_persons=True))
register(Measure(
    "data_freshness", _("Tasks reported on regularly"),
    _("Open tasks, and of them those reported on within their reporting period."),
    data_freshness, for_persons=True))
register(Measure(
    "tasks_targets_exceeded", _("Tasks and targets exceeded"),
    _("Tasks due in the year and targets expected to reach a value this year (not yes/no "
      "ones), and of them the tasks done before their deadline with their result reported "
      "and accepted, and the targets whose latest value of the year is beyond the year's "
      "expected value."),
    tasks_and_targets_exceeded, for_persons=True))
