"""The one port every writer calls after a change, so that what depends on it follows.

A service, the importer, an approved change request, the admin and the monitoring scan all say
what they changed here (`tasks_changed`, `targets_changed`, `statuses_changed`), inside the
writing transaction. They do not know who listens: the apps above register their handlers in
their `AppConfig.ready`, each at a stage, and the stages run in a fixed order — statuses first,
then the dashboards' rollups (which count statuses), then caches and notifications. So a domain
app never imports the apps above it, and no model signal hides the work.

Besides what changed, a writer says what *happened* to people (`happened`): a report approved or
returned, a task issued or handed to a new owner, a change request decided. Monitoring turns
these into notifications for the people named, never for the one who acted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from typing import Any, Protocol


class Stage(IntEnum):
    """When a handler runs, relative to the others for the same change."""

    STATUS = 10
    ROLLUPS = 20
    CACHES = 30
    NOTIFICATIONS = 40


class Row(Protocol):
    pk: int
    unit_id: int


@dataclass(frozen=True)
class TaskChange:
    """Tasks written. `unit_ids` are every unit whose figures may count them, before and after
    the write: their owning units and their lead units, old and new (a task is counted at its
    lead unit when that lies below its owning unit). `months` when a deadline, an issue, a
    cancellation or a completion may have moved the monthly trend."""

    task_ids: tuple[int, ...]
    unit_ids: frozenset[int]
    months: bool = False
    # A progress report was added to each task and nothing else of them changed (state, units,
    # dates); `submitted` when it waits for review. What counts the tasks may then move its
    # figures by each task's change of status rather than recount them.
    reported: bool = False
    submitted: bool = False
    # The task rows as the writer read them in this transaction, locked, with their unit and
    # status (`health`): the status stage need not read them again.
    rows: tuple[Any, ...] = field(default=(), compare=False)
    # Written by the status stage for the stages after it: {task_id: (before, after)}, each a
    # (status, stale, has_open_obstacle) triple (before None when the task had none), for the
    # tasks whose stored status was still the one read when it was replaced.
    moves: dict[int, tuple[Any, Any]] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class TargetChange:
    target_ids: tuple[int, ...]
    unit_ids: frozenset[int]


@dataclass(frozen=True)
class StatusChange:
    """Statuses recomputed in bulk by the scan: what counts them must follow."""

    task_ids: tuple[int, ...] = ()
    target_ids: tuple[int, ...] = ()


class Event(StrEnum):
    """What happened that a person should be told of."""

    REPORT_APPROVED = "report_approved"
    REPORT_RETURNED = "report_returned"
    VALUE_APPROVED = "value_approved"
    VALUE_RETURNED = "value_returned"
    TASK_ISSUED = "task_issued"
    TASK_ASSIGNED = "task_assigned"
    CHANGE_REQUESTED = "change_requested"
    CHANGE_APPROVED = "change_approved"
    CHANGE_REJECTED = "change_rejected"
    # A case through a work procedure (`procedures`): named by `subject`, found at `link`.
    CASE_HANDED_OVER = "case_handed_over"
    CASE_STEP_LATE = "case_step_late"
    CASE_STEP_ESCALATED = "case_step_escalated"
    OBSTACLE_ASSIGNED = "obstacle_assigned"
    OBSTACLE_ESCALATED = "obstacle_escalated"
    OBSTACLE_ANSWERED = "obstacle_answered"
    MEETING_INVITED = "meeting_invited"
    MEETING_NOT_CLOSED = "meeting_not_closed"
    MINUTES_TO_CONFIRM = "minutes_to_confirm"
    # A meeting's signed conclusion notice, published to the units concerned.
    NOTICE_PUBLISHED = "notice_published"


@dataclass(frozen=True)
class Happened:
    """An event for `recipient_ids`, about a task or a target. `occasion` tells this event
    from another of the same kind (e.g. the report and its version), so telling it twice in
    one write leaves one notification while a second return of the same report is new."""

    kind: Event
    recipient_ids: tuple[int, ...]
    occasion: str
    actor_id: int | None = None
    task_id: int | None = None
    target_id: int | None = None
    # What an event is about when it is neither a task nor a target (an obstacle, a meeting),
    # named as people read it, and where to read it.
    subject: str = ""
    link: str = ""


@dataclass(frozen=True)
class ProgressReported:
    """A progress report written (submitted or kept as a draft): what reads its obstacles
    (the obstacle register) follows."""

    report_id: int
    task_id: int
    # Whether the report names obstacles: most do not, and then nothing reads it again.
    obstacles: bool = True


Handler = Callable[[object], None]


@dataclass
class _Registry:
    handlers: dict[type, list[tuple[Stage, str, Handler]]] = field(default_factory=dict)

    def add(self, change_type: type, stage: Stage, handler: Handler) -> None:
        name = f"{handler.__module__}.{handler.__qualname__}"
        listed = self.handlers.setdefault(change_type, [])
        if any(known == name for _stage, known, _handler in listed):
            return  # ready() may run twice (tests, reloads): one registration each
        listed.append((stage, name, handler))
        listed.sort(key=lambda entry: entry[0])

    def run(self, change: object) -> None:
        for _stage, _name, handler in self.handlers.get(type(change), ()):
            handler(change)


_registry = _Registry()


def on_tasks_changed(stage: Stage, handler: Callable[[TaskChange], None]) -> None:
    _registry.add(TaskChange, stage, handler)  # type: ignore[arg-type]


def on_targets_changed(stage: Stage, handler: Callable[[TargetChange], None]) -> None:
    _registry.add(TargetChange, stage, handler)  # type: ignore[arg-type]


def on_statuses_changed(stage: Stage, handler: Callable[[StatusChange], None]) -> None:
    _registry.add(StatusChange, stage, handler)  # type: ignore[arg-type]


def on_happened(stage: Stage, handler: Callable[[Happened], None]) -> None:
    _registry.add(Happened, stage, handler)  # type: ignore[arg-type]


def on_progress_reported(stage: Stage, handler: Callable[[ProgressReported], None]) -> None:
    _registry.add(ProgressReported, stage, handler)  # type: ignore[arg-type]


def handlers() -> dict[str, list[str]]:
    """The registered handlers by change, in the order they run (for tests and docs)."""
    return {change.__name__: [name for _stage, name, _handler in listed]
            for change, listed in _registry.handlers.items()}


def tasks_changed(tasks: Iterable[Row], *, months: bool = False, reported: bool = False,
                  submitted: bool = False, read_locked: bool = False) -> None:
    """Call after writing tasks (or their steps, reports, links), inside the transaction.

    `reported`: only a progress report was added to each task (`submitted`: waiting for
    review). `read_locked`: the rows were read in this transaction, locked, with
    `select_related("unit", "health")` and not changed since.
    """
    tasks = list(tasks)
    if tasks:
        _registry.run(TaskChange(task_ids=tuple(task.pk for task in tasks),
                                 unit_ids=frozenset(unit for task in tasks
                                                    for unit in _counting_units(task)),
                                 months=months, reported=reported, submitted=submitted,
                                 rows=tuple(tasks) if read_locked else ()))


def _counting_units(task: Row) -> set[int]:
    # A task row knows the lead units it was read and saved with (`Task.rollup_unit_ids`).
    return set(getattr(task, "rollup_unit_ids", None) or {task.unit_id})


def targets_changed(targets: Iterable[Row]) -> None:
    """Call after writing targets (or their paths, approved values), inside the transaction."""
    targets = list(targets)
    if targets:
        _registry.run(TargetChange(target_ids=tuple(target.pk for target in targets),
                                   unit_ids=frozenset(target.unit_id for target in targets)))


def statuses_changed(*, task_ids: Iterable[int] = (), target_ids: Iterable[int] = ()) -> None:
    """Call after recomputing statuses in bulk (the scan)."""
    _registry.run(StatusChange(task_ids=tuple(task_ids), target_ids=tuple(target_ids)))


def progress_reported(*, report_id: int, task_id: int, obstacles: bool = True) -> None:
    """Call after writing a progress report, inside the transaction."""
    _registry.run(ProgressReported(report_id=report_id, task_id=task_id, obstacles=obstacles))


def happened(kind: Event, *, recipients: Iterable[int | None], occasion: str,
             actor: object = None, task: Row | None = None,
             target: Row | None = None, subject: str = "", link: str = "") -> None:
    """Call when something happened that people should be told of, inside the transaction.
    Empty recipients and the actor themself are left out."""
    actor_id = getattr(actor, "pk", None)
    recipient_ids = tuple(dict.fromkeys(
        user_id for user_id in recipients if user_id and user_id != actor_id))
    if recipient_ids:
        _registry.run(Happened(kind=kind, recipient_ids=recipient_ids, occasion=occasion,
                               actor_id=actor_id, task_id=task.pk if task else None,
                               target_id=target.pk if target else None,
                               subject=subject, link=link))
