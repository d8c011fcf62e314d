"""Reads of tasks, reports and measurements, always scoped to what the user may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from sixclear.orgs.models import Role, Unit
from sixclear.orgs.selectors import (
    reaches_unit,
    scope_q,
    sees_everything,
)
from sixclear.plans.models import (
    Direction,
    Program,
    ProgramSection,
    Resolution,
    ResolutionItemKind,
    Target,
)
from sixclear.plans.selectors import targets_in_charge_of, visible_programs, visible_targets

from .models import (
    Evidence,
    Measurement,
    PeriodKind,
    ProgressReport,
    ReviewStatus,
    Task,
    TaskState,
    TaskStep,
)

_M = TypeVar("_M", bound=Model)
# The (submitted_at, pk) of the item a page of the approvals inbox starts after.
After = tuple[datetime.datetime | None, int]


def task_scope_q(user: Any, minimum: str = Role.VIEWER) -> Q:
    """Tasks of the units the user reaches, led or coordinated by them, or owned or approved
    by the user."""
    if sees_everything(user):
        return Q()
    coordinated = Task.coordinating_units.through.objects.filter(
        scope_q(user, "unit", minimum=minimum)
    ).values("task_id")
    query = scope_q(user, "unit", "lead_unit", minimum=minimum) | Q(pk__in=coordinated)
    if minimum == Role.VIEWER and user.is_authenticated:
        # The person who does the task and the person who approves it both see it.
        query |= Q(owner=user) | Q(authority=user)
    return query


def visible_tasks(user: Any) -> QuerySet[Task]:
    return Task.objects.filter(task_scope_q(user))


def open_tasks_of(user: Any) -> QuerySet[Task]:
    """The issued tasks a person owns, soonest deadline first."""
    return (
        Task.objects.filter(owner=user, state=TaskState.ISSUED)
        .select_related("unit", "lead_unit", "health")
        .order_by("deadline", "pk")
    )


# The approvals inbox shows this many of each kind at a time, oldest first (each with its
# review form: rendering them is most of the page's time); the next page starts after the
# last one shown (`after`: its submitted_at and pk).
REVIEW_PAGE = 10


def reports_decided_by_q(user: Any, prefix: str = "") -> Q:
    """Reports (through `prefix`, e.g. "report__") whose task's unit the user manages from
    itself or above, or whose task names the user as its approving person. It leaves out
    nothing of `services.can_review_report` but the rule that one never decides one's own."""
    if sees_everything(user):
        return Q()
    return scope_q(user, f"{prefix}task__unit", minimum=Role.MANAGER) | Q(
        **{f"{prefix}task__authority": user})


def _in_order(items: QuerySet[_M], after: After | None = None) -> QuerySet[_M]:
    items = items.order_by("submitted_at", "pk")
    if after is not None:
        submitted_at, pk = after
        items = items.filter(Q(submitted_at__gt=submitted_at)
                             | Q(submitted_at=submitted_at, pk__gt=pk))
    return items


REPORT_RELATED = ("task", "task__unit", "reported_by")
MEASUREMENT_RELATED = ("target", "target__unit", "reported_by")


def reports_awaiting_review(user: Any, *, after: After | None = None,
                            limit: int | None = REVIEW_PAGE) -> QuerySet[ProgressReport]:
    """Submitted progress reports this user may approve: as a manager above the task's unit,
    or as its approving person; never their own. Oldest first, `limit` at a time (all of them
    with `limit=None`).

    Reports of the units the person manages are found by a join on the task's unit path (no
    list of every task they reach) in the order of the `report_awaiting` index: a national
    manager's page stops after `limit` rows, a commune's goes through its own tasks. Tasks
    naming the person as approving person outside those units (rare: the approving person
    is normally a manager above) are looked up first through the task's authority, so that
    no OR across tables keeps PostgreSQL from using an index on either side.
    """
    waiting = ProgressReport.objects.filter(status=ReviewStatus.SUBMITTED).exclude(
        reported_by=user).select_related(*REPORT_RELATED)
    if not limit:
        return _in_order(waiting.filter(reports_decided_by_q(user)), after)
    if sees_everything(user):
        return _in_order(waiting, after)[:limit]
    managed = scope_q(user, "task__unit", minimum=Role.MANAGER)
    # Asked of the tasks (by their authority index), not of the reports: ordered by the
    # reports' index, PostgreSQL would walk every report waiting to find none.
    named_tasks = Task.objects.filter(authority=user).exclude(
        scope_q(user, "unit", minimum=Role.MANAGER))
    if not named_tasks.exists():
        return _in_order(waiting.filter(managed), after)[:limit]
    named = list(_in_order(waiting.filter(task__in=named_tasks.values("pk")), after)
                 .values_list("submitted_at", "pk")[:limit])
    keys = named + list(_in_order(waiting.filter(managed), after)
                        .values_list("submitted_at", "pk")[:limit])
    keys.sort(key=lambda key: (key[0] is None, key[0] or 0, key[1]))
    return _in_order(waiting.filter(pk__in=[pk for _at, pk in keys[:limit]]))


def measurements_awaiting_review(user: Any, *, after: After | None = None,
                                 limit: int | None = REVIEW_PAGE) -> QuerySet[Measurement]:
    """Submitted target values this user may approve as a manager above the target's unit;
    never their own. Oldest first, `limit` at a time (all of them with `limit=None`), in the
    order of the `measurement_awaiting` index."""
    waiting = (
        Measurement.objects.filter(scope_q(user, "target__unit", minimum=Role.MANAGER),
                                   status=ReviewStatus.SUBMITTED)
        .exclude(reported_by=user).select_related(*MEASUREMENT_RELATED)
    )
    waiting = _in_order(waiting, after)
    return waiting[:limit] if limit else waiting


# Reads behind the web pages. Each is scoped through the visible_* selectors above.

DUE_SOON_DAYS = 7
# The status filter's value for tasks whose owner has not reported within the period.
STALE = "stale"


def late_q(today: datetime.date) -> Q:
    """A task is late when it is issued, not done, and its deadline has passed."""
    return Q(state=TaskState.ISSUED, deadline__lt=today)


def with_latest_report(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """Annotate tasks with what their latest progress report says about obstacles.

    A task "has obstacles" when its latest report names one; older reports no longer count.
    """
    latest = ProgressReport.objects.filter(task=OuterRef("pk")).order_by("-report_date", "-pk")
    return tasks.annotate(
        has_obstacles=Coalesce(
            Subquery(latest.values("has_obstacles")[:1]), Value(False),
            output_field=BooleanField(),
        ),
        latest_obstacles=Coalesce(
            Subquery(latest.values("obstacles")[:1]), Value(""), output_field=TextField(),
        ),
    )


def count_awaiting_review(user: Any) -> int:
    """How many reports and measurements wait for this person's approval, counted from the
    base tables (exact; the header reads the per-unit rollups instead:
    `dashboards.rollups.count_awaiting_decision`)."""
    return (reports_awaiting_review(user, limit=None).count()
            + measurements_awaiting_review(user, limit=None).count())


# My work shows the oldest few of what waits for the person; the inbox has the rest.
MY_WORK_REVIEWS = 10


@dataclass
class MyWork:
    late: list
    due_soon: list
    later: list
    reports_to_review: list
    measurements_to_review: list
    targets: list

    @property
    def review_count(self) -> int:
        """How many are listed (the oldest MY_WORK_REVIEWS of each kind)."""
        return len(self.reports_to_review) + len(self.measurements_to_review)

    @property
    def more_to_review(self) -> bool:
        """True when more wait than are listed: the approvals inbox shows them."""
        return MY_WORK_REVIEWS in (len(self.reports_to_review), len(self.measurements_to_review))

    @property
    def is_empty(self) -> bool:
        return not any(
            (self.late, self.due_soon, self.later, self.reports_to_review,
             self.measurements_to_review, self.targets)
        )


def my_work(user: Any, today: datetime.date | None = None) -> MyWork:
    """A person's issued tasks by urgency (late, due within a week, later), what waits for
    their approval, and the targets they answer for."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    late, due_soon, later = [], [], []
    for task in with_latest_report(open_tasks_of(user).select_related("program")):
        if task.deadline and task.deadline < today:
            late.append(task)
        elif task.deadline and task.deadline <= soon:
            due_soon.append(task)
        else:
            later.append(task)
    return MyWork(
        late=late,
        due_soon=due_soon,
        later=later,
        reports_to_review=list(reports_awaiting_review(user, limit=MY_WORK_REVIEWS)),
        measurements_to_review=list(measurements_awaiting_review(user, limit=MY_WORK_REVIEWS)),
        targets=list(targets_in_charge_of(user)),
    )


def tasks_for_page(user: Any) -> QuerySet[Task]:
    """Visible tasks with everything the task page shows, fetched in a fixed number of queries."""
    reports = ProgressReport.objects.select_related("reported_by", "reviewed_by").prefetch_related(
        "evidence"
    )
    return visible_tasks(user).select_related(
        "unit", "lead_unit", "owner", "authority", "resolution", "program", "task_group",
        "parent", "health",
    ).prefetch_related(
        "coordinating_units", "targets", "steps", Prefetch("reports", queryset=reports)
    )


@dataclass(frozen=True)
class TaskActions:
    """What a person may do on a task page. Mirrors the checks in tracking.services."""

    edit: bool
    issue: bool
    add_step: bool
    mark_steps: bool
    report: bool
    review: bool
    cancel: bool = False
    add_subtask: bool = False


def task_actions(user: Any, task: Task) -> TaskActions:
    manager = reaches_unit(user, task.unit, Role.MANAGER)
    leader = reaches_unit(user, task.unit, Role.LEADER)
    owner = task.owner_id is not None and task.owner_id == user.pk
    unfinished = task.state in (TaskState.DRAFT, TaskState.ISSUED)
    return TaskActions(
        edit=manager and unfinished,
        issue=manager and task.state == TaskState.DRAFT,
        add_step=manager and unfinished,
        mark_steps=(manager or owner) and unfinished,  # services.can_report_on
        report=(manager or owner) and task.state == TaskState.ISSUED,
        review=manager or task.authority_id == user.pk,  # services.can_review_report
        cancel=leader and unfinished,  # services.cancel_task
        add_subtask=manager and unfinished,
    )


# The task page lists this many sub-tasks (a national task has about a hundred: they were
# most of its time and size); the rest are one link away (`?subtasks=all`).
SUBTASKS_SHOWN = 20


def subtasks_for_page(user: Any, task: Task, limit: int | None = None) -> list[Task]:
    """The sub-tasks of `task` the person may see, with what the parent's page shows of each
    (state, status, progress, owner, deadline), in one query: the first `limit` by deadline
    (all with None), each carrying how many there are in all (`subtask_total`)."""
    subtasks = (
        visible_tasks(user).filter(parent=task)
        .select_related("owner", "health")
        .annotate(subtask_total=Window(Count("pk")))
        .order_by("deadline", "pk")
    )
    return list(subtasks[:limit] if limit else subtasks)


@dataclass(frozen=True)
class Cancellation:
    """Who cancelled a task, when, and why (from its history)."""

    by: Any
    at: datetime.datetime
    reason: str


def cancellation(task: Task) -> Cancellation | None:
    """When, by whom and why a cancelled task was cancelled, as its history keeps it."""
    if task.state != TaskState.CANCELLED:
        return None
    record = (task.history.filter(state=TaskState.CANCELLED).select_related("history_user")
              .order_by("history_date", "history_id").first())
    if record is None:
        return None
    return Cancellation(by=record.history_user, at=record.history_date,
                        reason=record.history_change_reason or "")


HISTORY_FIELDS = [
    "code", "title", "description", "owner", "lead_unit", "start_date", "deadline",
    "expected_result", "authority", "authority_body", "resolution", "program", "task_group",
    "parent", "priority", "state", "percent_complete",
]


@dataclass
class HistoryEntry:
    record: object
    changed: list = field(default_factory=list)


def task_history(task: Task, limit: int = 20) -> list[HistoryEntry]:
    """The latest changes to a task: who, when, and which fields changed."""
    records = list(
        task.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    entries = []
    for newer, older in zip(records[:limit], [*records[1:], None], strict=False):
        changed = []
        if older is not None:
            delta = newer.diff_against(older, included_fields=HISTORY_FIELDS)
            # The task's own fields, never a reverse relation.
            changed = [Task._meta.get_field(name).verbose_name  # type: ignore[union-attr]
                       for name in delta.changed_fields]
        entries.append(HistoryEntry(record=newer, changed=changed))
    return entries


def visible_evidence(user: Any) -> QuerySet[Evidence]:
    """Evidence files of the tasks the person may see."""
    return Evidence.objects.filter(report__task__in=visible_tasks(user)).select_related("report")


def visible_reports(user: Any) -> QuerySet[ProgressReport]:
    return ProgressReport.objects.filter(task__in=visible_tasks(user)).select_related(
        "task", "task__unit"
    )


def visible_measurements(user: Any) -> QuerySet[Measurement]:
    return Measurement.objects.filter(target__in=visible_targets(user)).select_related(
        "target", "target__unit"
    )


# A task is counted once, in the rollups and the lists their figures open: at its lead unit
# when that lies below its owning unit (a department of the commune leading the commune's
# task), else at its owning unit. So a commune's total counts it once, and the department
# that does the work shows it.
def lead_below_owner_q(prefix: str = "") -> Q:
    """Tasks (reached through `prefix`, e.g. "task__") whose lead unit lies below their
    owning unit."""
    return Q(**{f"{prefix}lead_unit__path__startswith": F(f"{prefix}unit__path"),
                f"{prefix}lead_unit__depth__gt": F(f"{prefix}unit__depth")})


LEAD_BELOW_OWNER = lead_below_owner_q()


def counted_unit_id() -> Case:
    """The unit a task is counted at, as an expression over tasks."""
    return Case(When(LEAD_BELOW_OWNER, then=F("lead_unit_id")), default=F("unit_id"))


def counted_in_subtree_q(path: str, prefix: str = "") -> Q:
    """Tasks counted at a unit of the subtree under `path`: owned there (then counted there
    whatever their lead unit), or led there from an owning unit above."""
    return Q(**{f"{prefix}unit__path__startswith": path}) | (
        Q(**{f"{prefix}lead_unit__path__startswith": path}) & lead_below_owner_q(prefix))


def _tasks_under(user: Any, unit: Unit) -> QuerySet[Task]:
    """The tasks to filter down to those of `unit` or its subtree: all of them when the person
    reaches the unit (then every task there is theirs to see; the OR of their whole scope kept
    PostgreSQL from the unit's index and cost a country's page ~100 ms), else their scope."""
    return Task.objects.all() if reaches_unit(user, unit) else visible_tasks(user)


def unit_tasks(
    user: Any, unit: Unit, *, include_sub_units: bool = False, state: str = "",
    status: str = "", program: Program | None = None, owner: Any = None, late: bool = False,
    obstacles: bool = False, search: str = "", today: datetime.date | None = None,
    group: int | None = None,
) -> QuerySet[Task]:
    """The tasks of a unit (with its sub-units when asked) that the person may see, filtered.

    `status` is a computed status (monitoring's TaskStatus) or "stale"; tasks the scan has not
    assessed yet have none and match no status.
    """
    today = today or timezone.localdate()
    tasks = _tasks_under(user, unit)
    if include_sub_units:
        # Exactly the tasks the dashboard counts over the subtree (its figures link here).
        tasks = tasks.filter(counted_in_subtree_q(unit.path))
    else:
        tasks = tasks.filter(unit=unit)
    if state:
        tasks = tasks.filter(state=state)
    if status == STALE:
        tasks = tasks.filter(health__stale=True)
    elif status:
        tasks = tasks.filter(health__status=status)
    if program is not None:
        tasks = tasks.filter(program=program)
    if owner is not None:
        tasks = tasks.filter(owner=owner)
    if group is not None:  # a task group of a resolution (its page links here)
        tasks = tasks.filter(task_group_id=group)
    if late:
        tasks = tasks.filter(late_q(today))
    tasks = with_latest_report(tasks)
    if obstacles:
        # Annotated by with_latest_report just above.
        tasks = tasks.filter(has_obstacles=True)  # type: ignore[misc]
    if search:
        tasks = tasks.filter(
            Q(title__icontains=search) | Q(code__icontains=search)
            | Q(description__icontains=search)
        )
    return tasks.select_related("unit", "owner", "lead_unit", "program", "health").order_by(
        F("deadline").asc(nulls_last=True), "pk"
    )


def unit_task_filter_choices(user: Any, unit: Unit,
                             include_sub_units: bool = False) -> dict[str, QuerySet[Any]]:
    """The programs and owners that appear on the visible tasks the unit's list shows, for
    its filters: the unit's own tasks (a few hundred, by the unit index), or with its
    sub-units those of the whole subtree (a country's: every owner in the country)."""
    tasks = _tasks_under(user, unit)
    if include_sub_units:
        tasks = tasks.filter(counted_in_subtree_q(unit.path))
    else:
        tasks = tasks.filter(unit=unit)
    programs = Program.objects.filter(pk__in=tasks.values("program")).order_by("number")
    owners = get_user_model().objects.filter(pk__in=tasks.values("owner")).order_by("username")
    return {"program": programs, "owner": owners}


def targets_for_page(user: Any) -> QuerySet[Target]:
    measurements = Measurement.objects.select_related("reported_by", "reviewed_by").order_by(
        "-year", "period_kind", "-period_number"
    )
    return visible_targets(user).select_related(
        "unit", "responsible_unit", "responsible_person", "resolution", "health"
    ).prefetch_related(
        "trajectory", "programs", Prefetch("measurements", queryset=measurements)
    )


@dataclass
class TrajectoryRow:
    year: int
    expected: Decimal | None = None
    expected_high: Decimal | None = None
    measured: Decimal | None = None
    status: str = ""
    on_track: bool | None = None
    assessment: object = None  # the year's status, set where the page is composed


COUNTED_STATUSES = (ReviewStatus.SUBMITTED, ReviewStatus.APPROVED)


def trajectory_rows(target: Target) -> list[TrajectoryRow]:
    """Year by year: the expected value, the reported yearly value and whether it is on the
    path. Uses the prefetched trajectory and measurements; drafts and returned values do not
    count."""
    rows = {target.baseline_year: TrajectoryRow(
        year=target.baseline_year, expected=target.baseline_value, measured=target.baseline_value
    )}
    for point in target.trajectory.all():
        rows[point.year] = TrajectoryRow(
            year=point.year, expected=point.expected_value, expected_high=point.expected_high
        )
    for measurement in target.measurements.all():
        if measurement.period_kind != PeriodKind.YEAR:
            continue
        if measurement.status not in COUNTED_STATUSES:
            continue
        row = rows.setdefault(measurement.year, TrajectoryRow(year=measurement.year))
        row.measured, row.status = measurement.value, measurement.get_status_display()
        if row.expected is not None and measurement.year != target.baseline_year:
            if target.direction == Direction.LOWER:
                row.on_track = measurement.value <= row.expected
            else:
                row.on_track = measurement.value >= row.expected
    return [rows[year] for year in sorted(rows)]


def trajectory_chart(target: Target, rows: list[TrajectoryRow]) -> dict[str, Any]:
    """The series the target chart draws, as plain numbers for json_script."""
    def number(value: Any) -> float | None:
        return None if value is None else float(value)

    return {
        "years": [row.year for row in rows],
        "expected": [number(row.expected) for row in rows],
        "expected_high": [number(row.expected_high) for row in rows],
        "measured": [number(row.measured) for row in rows],
        "unit_of_measure": target.unit_of_measure,
    }


@dataclass
class ResolutionPage:
    resolution: Resolution
    viewpoints: list
    breakthroughs: list
    task_groups: list
    target_areas: list  # [(area, [targets])]
    programs: list


RESOLUTION_GROUP_TASKS = 10


def resolution_page(user: Any, resolution: Resolution) -> ResolutionPage:
    """A resolution as one structure: its items in order, task groups with their visible tasks,
    targets by area, and the programs that carry it out.

    A task group shows its first open tasks by deadline (`shown_tasks`, at most
    RESOLUTION_GROUP_TASKS) and how many it has in all (`task_total`): a national group holds
    thousands, listed in full on the unit page's task list filtered by group."""
    tasks = visible_tasks(user).select_related("owner", "unit").order_by(
        F("completed_on").asc(nulls_first=True), F("deadline").asc(nulls_last=True), "pk")
    items = list(
        resolution.items.order_by("kind", "position").prefetch_related(
            Prefetch("tasks", queryset=tasks[:RESOLUTION_GROUP_TASKS], to_attr="shown_tasks")
        )
    )
    totals = dict(visible_tasks(user).filter(task_group__in=[item.pk for item in items])
                  .values_list("task_group").annotate(n=Count("pk")).order_by())
    for item in items:
        item.task_total = totals.get(item.pk, 0)  # type: ignore[attr-defined]
    areas: dict[str, list[Target]] = {}
    for target in visible_targets(user).filter(resolution=resolution).select_related(
        "unit", "responsible_person"
    ).order_by("group", "code"):
        areas.setdefault(target.group, []).append(target)
    programs = list(
        visible_programs(user).filter(resolution=resolution).select_related("unit").annotate(
            target_count=Count("targets", distinct=True),
            task_count=Count("tasks", distinct=True),
        ).order_by("number")
    )
    return ResolutionPage(
        resolution=resolution,
        viewpoints=[i for i in items if i.kind == ResolutionItemKind.VIEWPOINT],
        breakthroughs=[i for i in items if i.kind == ResolutionItemKind.BREAKTHROUGH],
        task_groups=[i for i in items if i.kind == ResolutionItemKind.TASK_GROUP],
        target_areas=list(areas.items()),
        programs=programs,
    )


def visible_steps(user: Any) -> QuerySet[TaskStep]:
    return TaskStep.objects.filter(task__in=visible_tasks(user)).select_related("task")


def fields_changed_since(task: Task, version: int) -> set[str] | None:
    """Which fields of a task others changed after the version a person saw, from its history;
    None when that version is not in the history."""
    seen = task.history.filter(version=version).order_by("-history_date", "-history_id").first()
    latest = task.history.order_by("-history_date", "-history_id").first()
    if seen is None or latest is None:
        return None
    fields = [*HISTORY_FIELDS, "coordinating_units", "targets"]
    return set(latest.diff_against(seen, included_fields=fields).changed_fields)


@dataclass
class SectionRows:
    section: ProgramSection | None  # None: the targets and tasks placed in no section
    targets: list[Target] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    task_total: int = 0  # the section's tasks in all; `tasks` may hold only the first ones


@dataclass
class ProgramPage:
    program: Program
    sections: list[SectionRows]
    target_count: int
    task_count: int


def program_page(user: Any, program: Program, *, task_limit: int | None = None) -> ProgramPage:
    """A program by its sections (A, B, C …), each with its targets (and their stored status)
    and its tasks (status and progress), then what no section holds. Five queries whatever
    the number of targets and tasks. With `task_limit`, a section lists only its first tasks
    by code (a national program holds hundreds; the task list filtered by the program has
    them all) and says how many it has (`task_total`)."""
    sections = list(program.sections.order_by("position"))
    placed = dict(
        ProgramSection.targets.through.objects.filter(programsection__program=program)
        .values_list("target_id", "programsection_id")
    )
    rows = {section.pk: SectionRows(section) for section in sections}
    loose = SectionRows(None)
    targets = list(
        visible_targets(user).filter(programs=program)
        .select_related("health", "responsible_person").order_by("code")
    )
    for target in targets:
        rows.get(placed.get(target.pk, 0), loose).targets.append(target)
    program_tasks = visible_tasks(user).filter(program=program)
    tasks = program_tasks.select_related("health", "owner", "lead_unit").order_by("code", "pk")
    if task_limit is not None:
        tasks = tasks.annotate(place=Window(
            RowNumber(), partition_by=[F("program_section")],
            order_by=[F("code").asc(), F("pk").asc()])).filter(place__lte=task_limit)
    for task in tasks:
        rows.get(task.program_section_id or 0, loose).tasks.append(task)
    totals = program_tasks.values_list("program_section").annotate(n=Count("pk")).order_by()
    for section_id, count in totals:
        rows.get(section_id or 0, loose).task_total += count
    listed = [rows[section.pk] for section in sections]
    if loose.targets or loose.tasks or not sections:
        listed.append(loose)
    return ProgramPage(program=program, sections=listed, target_count=len(targets),
                       task_count=sum(rows.task_total for rows in listed))
