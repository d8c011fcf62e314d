"""Taking a period's snapshots, set-based, and sealing them; which reviews a resolution keeps.

`take_snapshots` reads everything it freezes in a fixed number of queries whatever the number
of units, targets and tasks (units, existing snapshots, targets with their status, path and
approved yearly values, tasks with their status, open obstacles, the units' rollup figures),
builds each unit's canonical JSON in Python, inserts the rows in batches and seals them with
one signature over their manifest. Taking a period again inserts only the units still missing:
the unique (unit, period) keeps one snapshot per unit and period, however often it runs.
"""

from __future__ import annotations

import datetime
import time
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sixclear.dashboards.models import (
    TARGET_FIGURES,
    TASK_FIGURES,
    UnitTargetRollup,
    UnitTaskRollup,
)
from sixclear.meetings.selectors import obstacles_at
from sixclear.monitoring.selectors import target_outlook
from sixclear.orgs.models import Role, Unit
from sixclear.orgs.selectors import require_role
from sixclear.periods import Period, PeriodKind
from sixclear.plans.models import Resolution, ResolutionStatus, Target, TrajectoryPoint
from sixclear.tracking.models import Measurement, ReviewStatus, Task, TaskState
from sixclear.tracking.models import PeriodKind as ValuePeriod
from sixclear.tracking.selectors import counted_unit_id
from sixclear.versioning import STALE_MESSAGE, StaleEdit, claim_version

from . import canonical, sealing
from .models import REVIEW_KINDS, ReviewKinds, Snapshot, SnapshotSeal

# 2: the obstacles come from the register (meetings.Obstacle), as they stood at the end.
SCHEMA = 2
INSERT_BATCH = 1000


@dataclass
class TakeResult:
    period: Period
    created: int
    existing: int
    sealed: bool
    seconds: float


def _person(first: str, last: str, username: str | None) -> str:
    return f"{first} {last}".strip() or (username or "")


def _scope(ids: list[int] | None, field: str = "unit_id") -> dict[str, Any]:
    return {} if ids is None else {f"{field}__in": ids}


def units_under_review(period: Period, today: datetime.date) -> list[int]:
    """The units whose snapshot a period's end freezes: those at or below the issuing unit of
    an adopted resolution in force in the period (for a mid-term or final review: of that
    term) that keeps this kind of review (all kinds unless it chose)."""
    resolutions = Resolution.objects.filter(status=ResolutionStatus.ADOPTED)
    if period.kind in (PeriodKind.MIDTERM, PeriodKind.FINAL):
        resolutions = resolutions.filter(term_start=period.year, term_end=period.number)
    else:
        resolutions = resolutions.filter(term_start__lte=period.year, term_end__gte=period.year)
    paths = set()
    for path, kinds in resolutions.values_list("unit__path", "review_kinds__kinds"):
        if period.kind in (REVIEW_KINDS if kinds is None else kinds):
            paths.add(path)
    if not paths:
        return []
    steplen = Unit.steplen
    chosen = []
    for pk, path in Unit.objects.values_list("pk", "path"):
        if any(path[:end] in paths for end in range(steplen, len(path) + 1, steplen)):
            chosen.append(pk)
    return chosen


class _Rows(list[Any]):
    """Rows read in bulk, answering `.all()` like a prefetched relation."""

    def all(self) -> _Rows:
        return self


class _TargetWithRows:
    """A target with its path and approved yearly values read in one query each for all
    targets (Django's prefetch costs more per target than the forecast itself)."""

    def __init__(self, target: Target, trajectory: _Rows, measurements: _Rows) -> None:
        self._target, self.trajectory, self.measurements = target, trajectory, measurements

    def __getattr__(self, name: str) -> Any:
        return getattr(self._target, name)


def _target_rows(unit_ids: list[int] | None) -> dict[int, list[dict[str, Any]]]:
    targets = list(Target.objects.filter(**_scope(unit_ids)).select_related("health")
                   .order_by("code", "pk"))
    paths: dict[int, _Rows] = defaultdict(_Rows)
    for point in (TrajectoryPoint.objects.filter(**_scope(unit_ids, "target__unit_id"))
                  .only("target_id", "year", "expected_value", "expected_high")):
        paths[point.target_id].append(point)
    values: dict[int, _Rows] = defaultdict(_Rows)
    for value in (Measurement.objects.filter(period_kind=ValuePeriod.YEAR,
                                             status=ReviewStatus.APPROVED,
                                             **_scope(unit_ids, "target__unit_id"))
                  .only("target_id", "year", "period_kind", "status", "value")
                  .order_by("year")):
        values[value.target_id].append(value)
    rows: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for target in targets:
        outlook = target_outlook(cast(Target, _TargetWithRows(
            target, paths[target.pk], values[target.pk])))
        health = outlook.health
        rows[target.unit_id].append({
            "id": target.pk, "code": target.code, "name": target.name,
            "unit_of_measure": target.unit_of_measure, "area": target.group,
            "kind": target.kind, "direction": target.direction,
            "baseline": target.baseline_value, "baseline_year": target.baseline_year,
            "goal": outlook.goal, "target_year": target.target_year,
            "status": health.status if health else "no_data",
            "as_of": ({"year": health.year, "kind": health.period_kind,
                       "number": health.period_number} if health and health.year else None),
            "actual": health.actual if health else None,
            "expected": health.expected if health else None,
            "gap": health.gap if health else None,
            "gap_percent": health.gap_percent if health else None,
            "required_rate": outlook.required_rate,
            "required_amount": outlook.required_amount,
            "forecast": outlook.forecast.likelihood,
            "forecast_value": outlook.forecast.value,
        })
    return rows


def _task_rows(unit_ids: list[int] | None,
               period: Period) -> dict[int, list[dict[str, Any]]]:
    """The open tasks, and those done since the period began (tasks done earlier are only
    counted, in the figures: they no longer change)."""
    tasks = (Task.objects.annotate(counted=counted_unit_id())
             .filter(Q(state=TaskState.ISSUED)
                     | Q(state=TaskState.DONE, completed_on__gte=period.start),
                     **_scope(unit_ids, "counted"))
             .values_list("pk", "counted", "code", "title", "unit__name", "owner__first_name",
                          "owner__last_name", "owner__username", "state", "health__status",
                          "health__stale", "percent_complete", "health__last_percent", "deadline",
                          "completed_on")
             .order_by("code", "pk"))
    rows: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for (pk, counted, code, title, unit_name, first, last, username, state, status, stale,
         percent, reported, deadline, completed_on) in tasks:
        rows[counted].append({
            "id": pk, "code": code, "title": title, "unit": unit_name,
            "owner": _person(first or "", last or "", username), "state": state,
            "status": status, "stale": bool(stale), "percent": percent,
            "reported_percent": reported,
            "deadline": deadline, "completed_on": completed_on,
        })
    return rows


def _obstacle_rows(unit_ids: list[int] | None,
                   period: Period) -> dict[int, list[dict[str, Any]]]:
    """The register's obstacles not resolved at the period's end, as they stood then (their
    state and the unit that had to act, from their history): each in the snapshot of the unit
    that reported it and, when another unit had to act, in that unit's too."""
    rows: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for obstacle in obstacles_at(period.end, unit_ids):
        row = {
            "id": obstacle.pk, "state": obstacle.state, "task": obstacle.task_id,
            "target": obstacle.target_id, "code": obstacle.code, "title": obstacle.title,
            "text": obstacle.description, "help_asked": obstacle.help_asked,
            "reported_in": {"id": obstacle.unit_id, "name": obstacle.unit_name},
            "must_act": {"id": obstacle.level_id, "name": obstacle.level_name},
            "reported_on": obstacle.reported_on, "days_open": obstacle.days_open,
            "escalations": obstacle.escalations,
        }
        rows[obstacle.unit_id].append(row)
        if obstacle.level_id != obstacle.unit_id:
            rows[obstacle.level_id].append(row)
    return rows


def _figures(unit_ids: list[int] | None) -> tuple[dict[int, Any], dict[int, Any]]:
    tasks = {row["unit_id"]: {name: row[name] for name in TASK_FIGURES}
             for row in UnitTaskRollup.objects.filter(**_scope(unit_ids))
             .values("unit_id", *TASK_FIGURES)}
    targets: dict[int, dict[str, Any]] = defaultdict(dict)
    for row in (UnitTargetRollup.objects.filter(**_scope(unit_ids))
                .values("unit_id", "group", *TARGET_FIGURES)):
        targets[row["unit_id"]][row["group"]] = {name: row[name] for name in TARGET_FIGURES}
    return tasks, targets


def snapshot_content(unit: dict[str, Any], period: Period, *, targets: list, tasks: list,
                     obstacles: list, task_figures: dict, target_figures: dict) -> str:
    """The canonical text of one unit's snapshot (a pure function of what it freezes)."""
    return canonical.dumps({
        "schema": SCHEMA,
        "unit": unit,
        "period": {"kind": period.kind, "year": period.year, "number": period.number,
                   "start": period.start, "end": period.end},
        "targets": targets, "tasks": tasks, "obstacles": obstacles,
        "figures": {"tasks": task_figures or dict.fromkeys(TASK_FIGURES, 0),
                    "targets": target_figures},
    })


def take_snapshots(period: Period, *, unit: Unit | None = None, scheduled: bool = False,
                   today: datetime.date | None = None) -> TakeResult:
    """Freeze `period` for every unit (or `unit`'s subtree; or, `scheduled`, the units under
    review), once: units that have their snapshot already keep it. Only an ended period."""
    started = time.perf_counter()
    today = today or timezone.localdate()
    if period.end >= today:
        raise ValidationError(_("A period is frozen only once it has ended (on %(end)s).")
                              % {"end": period.end.isoformat()})
    units = Unit.objects.all()
    if unit is not None:
        units = units.filter(path__startswith=unit.path)
    if scheduled:
        units = units.filter(pk__in=units_under_review(period, today))
    of_period = {"period_kind": period.kind, "year": period.year,
                 "period_number": period.number}
    existing = set(Snapshot.objects.filter(**of_period).values_list("unit_id", flat=True))
    names = {pk: {"id": pk, "code": code, "name": name}
             for pk, code, name in units.values_list("pk", "code", "name")}
    missing = sorted(set(names) - existing)
    if not missing:
        return TakeResult(period, 0, len(names), False, time.perf_counter() - started)
    # Every unit missing (the usual first run): read without an id list.
    everything = unit is None and not scheduled and not existing
    ids = None if everything else missing
    targets, tasks = _target_rows(ids), _task_rows(ids, period)
    obstacles = _obstacle_rows(ids, period)
    task_figures, target_figures = _figures(ids)
    now = timezone.now()
    rows = []
    for pk in missing:
        content = snapshot_content(
            names[pk], period, targets=targets.get(pk, []), tasks=tasks.get(pk, []),
            obstacles=obstacles.get(pk, []), task_figures=task_figures.get(pk, {}),
            target_figures=target_figures.get(pk, {}))
        rows.append(Snapshot(unit_id=pk, content=content, sha256=canonical.sha256(content),
                             taken_at=now, **of_period))
    with transaction.atomic():
        _insert(rows)
        sealed = seal_snapshots(period)
    return TakeResult(period, len(missing), len(existing & set(names)), sealed,
                      time.perf_counter() - started)


def _insert(rows: list[Snapshot]) -> None:
    """Insert the rows, skipping a unit and period already there (a concurrent run).

    On PostgreSQL the rows go with server-side parameters in one pipelined statement: Django's
    client-side binding quotes each JSON text with a regular expression, ten times slower for
    the megabytes a national run writes."""
    if connection.vendor != "postgresql":
        Snapshot.objects.bulk_create(rows, batch_size=INSERT_BATCH, ignore_conflicts=True)
        return
    import psycopg

    table = Snapshot._meta.db_table
    columns = ["unit_id", "period_kind", "year", "period_number", "content", "sha256",
               "taken_at"]
    sql = (f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - names from the model
           f"VALUES ({', '.join(['%s'] * len(columns))}) ON CONFLICT DO NOTHING")
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.executemany(sql, [[getattr(row, column) for column in columns] for row in rows])


def manifest_text(period: Period, entries: list[tuple[int, str]]) -> str:
    return canonical.dumps({"period": {"kind": period.kind, "year": period.year,
                                       "number": period.number},
                            "snapshots": [[pk, digest] for pk, digest in sorted(entries)]})


def seal_snapshots(period: Period) -> bool:
    """Sign the manifest of the period's unsealed snapshots (their unit and SHA-256) in one
    detached CMS signature. False when nothing was left to seal or no key is configured."""
    with transaction.atomic():
        unsealed = Snapshot.objects.select_for_update().filter(
            period_kind=period.kind, year=period.year, period_number=period.number,
            seal__isnull=True)
        entries = list(unsealed.values_list("pk", "unit_id", "sha256"))
        if not entries:
            return False
        manifest = manifest_text(period, [(unit_id, digest) for _pk, unit_id, digest in entries])
        signed = sealing.seal(manifest.encode("utf-8"))
        if signed is None:
            return False
        signature, signer_name = signed
        seal = SnapshotSeal.objects.create(
            period_kind=period.kind, year=period.year, period_number=period.number,
            manifest=manifest, sha256=canonical.sha256(manifest), signature=signature,
            signer_name=signer_name, signed_at=timezone.now())
        Snapshot.objects.filter(pk__in=[pk for pk, _u, _d in entries]).update(seal=seal)
        return True


def ended_periods(today: datetime.date, *, within_days: int = 7) -> list[Period]:
    """The month, quarter and year, and the mid-term and final reviews of the terms of
    adopted resolutions, that ended within the last `within_days` days."""
    from sixclear.periods import containing

    periods = []
    for kind in (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR):
        period = containing(kind, today).previous()
        if (today - period.end).days <= within_days:
            periods.append(period)
    terms = set(Resolution.objects.filter(status=ResolutionStatus.ADOPTED)
                .values_list("term_start", "term_end"))
    for start, end in sorted(terms):
        for kind in (PeriodKind.MIDTERM, PeriodKind.FINAL):
            period = Period(kind, start, end)
            if 0 < (today - period.end).days <= within_days:
                periods.append(period)
    return periods


def take_ended_periods(today: datetime.date | None = None) -> list[TakeResult]:
    today = today or timezone.localdate()
    return [take_snapshots(period, scheduled=True, today=today)
            for period in ended_periods(today)]


def set_review_kinds(*, actor: Any, resolution: Resolution, kinds: list[str],
                     expected_version: int | None = None) -> ReviewKinds:
    """Choose which period ends freeze snapshots under a resolution (a manager over its
    unit). `expected_version` is the version read: 0 when nothing was chosen yet (every kind
    applies); a choice saved meanwhile by someone else refuses the edit (`StaleEdit`). None
    (the admin's first choice) skips the check."""
    require_role(actor, resolution.unit, Role.MANAGER)
    unknown = [kind for kind in kinds if kind not in REVIEW_KINDS]
    if unknown or not kinds:
        raise ValidationError({"kinds": _("Choose at least one kind of review among month, "
                                          "quarter, year, mid-term and final.")})
    chosen = [kind for kind in REVIEW_KINDS if kind in kinds]
    with transaction.atomic():
        # The resolution's row lock: two first choices at once make one row, the second stale.
        Resolution.objects.select_for_update().filter(pk=resolution.pk).exists()
        row = ReviewKinds.objects.filter(resolution=resolution).first()
        if row is None:
            if expected_version:
                raise StaleEdit(STALE_MESSAGE, code="stale")
            row = ReviewKinds(resolution=resolution, kinds=chosen, updated_by=actor)
            row._history_user = actor  # type: ignore[attr-defined]  # django-simple-history
            row.save()
            return row
        if expected_version is not None:
            claim_version(row, expected_version)
        row.kinds, row.updated_by = chosen, actor
        row._history_user = actor  # type: ignore[attr-defined]
        row.save()
        return row


def decimal_or_none(text: Any) -> Decimal | None:
    return None if text is None else Decimal(text)
