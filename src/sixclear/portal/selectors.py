"""Everything the public portal and its downloads read. The one gate between internal data and
citizens: no portal page, download or e-mail reads a model except through this module.

Rules it enforces:
- only what is published: a resolution, target or task with a `Publication` saying so, or,
  without one, whose unit publishes by default (`PublishingDefault`); tasks only once issued
  (issued or done), never drafts or cancelled ones; only units that are active;
- only approved values: measurements with status approved, the stored statuses (which the scan
  computes from approved values and counted reports), the approved percent of a task;
- nothing internal: no progress report, obstacle, evidence file, note, source, reviewer,
  person, e-mail or phone number is selected here at all, so no template can show one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.core.paginator import Paginator
from django.db.models import Avg, Case, CharField, Count, F, Prefetch, Q, QuerySet, When
from django.db.models.functions import Coalesce, Substr

from sixclear.evaluation.models import Level, Round, RoundStatus
from sixclear.monitoring.models import TargetStatus, TaskStatus
from sixclear.monitoring.policies import policy_for
from sixclear.monitoring.selectors import TargetOutlook, target_outlook
from sixclear.orgs.models import Unit
from sixclear.plans.models import Resolution, ResolutionItemKind, Target, TrajectoryPoint
from sixclear.plans.rules import adopted_q
from sixclear.tracking.models import Measurement, ReviewStatus, Task, TaskState

from .models import CommentState, LeaguePublication, PublishingDefault, Rating

if TYPE_CHECKING:
    from .models import Follow

PUBLIC_TASK_STATES = (TaskState.ISSUED, TaskState.DONE)
TASKS_PER_PAGE = 50
COMMENTS_SHOWN = 30


def published_q(prefix: str = "") -> Q:
    """Rows (reached through `prefix`) that are published: explicitly, or by their unit's
    default when no manager has decided for them."""
    return Q(**{f"{prefix}unit__is_active": True}) & (
        Q(**{f"{prefix}publication__published": True})
        | Q(**{f"{prefix}publication__isnull": True,
               f"{prefix}unit__publishing_default__publish": True})
    )


def published_resolutions() -> QuerySet[Resolution]:
    """Published and adopted: a draft is still being written, whatever the unit's default."""
    return Resolution.objects.filter(published_q()).filter(adopted_q())


def published_targets() -> QuerySet[Target]:
    return Target.objects.filter(published_q())


def published_tasks() -> QuerySet[Task]:
    return Task.objects.filter(published_q(), state__in=PUBLIC_TASK_STATES)


def approved_measurements() -> QuerySet[Measurement]:
    """Approved values of published targets; never drafts, submitted or returned ones."""
    return Measurement.objects.filter(
        status=ReviewStatus.APPROVED, target__in=published_targets()
    )


def counted_ratings() -> QuerySet[Rating]:
    """Ratings whose address is confirmed, on results that are still published."""
    return Rating.objects.filter(confirmed_at__isnull=False).filter(
        Q(target__in=published_targets()) | Q(task__in=published_tasks())
    )


def public_units() -> QuerySet[Unit]:
    return Unit.objects.filter(is_active=True)


# --- Where a result stands for the hooks on internal pages ------------------------------------


def publication_state(item: Resolution | Target | Task) -> tuple[bool | None, bool]:
    """(explicit choice or None, unit default) for one resolution, target or task, in one
    query. Used by the panels on internal pages."""
    model = type(item)
    row: Mapping[str, Any] = (
        model.objects.filter(pk=item.pk)
        .values("publication__published", "unit__publishing_default__publish")
        .first()
    ) or {}
    default = bool(row.get("unit__publishing_default__publish"))
    return row.get("publication__published"), default


def publishing_default(unit: Unit) -> PublishingDefault | None:
    return PublishingDefault.objects.filter(unit=unit).first()


def is_published(item: Resolution | Target | Task) -> bool:
    explicit, default = publication_state(item)
    if isinstance(item, Task) and item.state not in PUBLIC_TASK_STATES:
        return False
    return default if explicit is None else explicit


# --- Pages ------------------------------------------------------------------------------------


def portal_trail(unit: Unit) -> list[Unit]:
    """The units from the root down to `unit`, for the portal's breadcrumb."""
    return [*Unit.objects.get_ancestors(unit).filter(is_active=True), unit]


def regions() -> list[tuple[Unit, list[Unit]]]:
    """The top of the tree and the level under it (country, provinces), for the front page."""
    roots = list(public_units().filter(depth=1).order_by("path"))
    children = list(public_units().filter(depth=2).order_by("name"))
    return [(root, [c for c in children if c.path.startswith(root.path)]) for root in roots]


def search_units(text: str | None, limit: int = 30) -> list[Unit]:
    text = (text or "").strip()
    if not text:
        return []
    # Case-insensitive also for Vietnamese capitals on SQLite, whose LIKE folds ASCII only.
    query = Q(name__icontains=text) | Q(name__icontains=text.capitalize()) | Q(
        name__icontains=text.title()) | Q(code__iexact=text)
    return list(public_units().filter(query).order_by("depth", "name")[:limit])


@dataclass
class Satisfaction:
    count: int = 0
    average: Decimal | None = None

    @property
    def stars(self) -> int | None:
        return None if self.average is None else int(self.average.to_integral_value(ROUND_HALF_UP))


def _satisfaction(row: Any) -> Satisfaction:
    average = row.get("average")
    if average is not None:
        average = Decimal(str(average)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return Satisfaction(count=row.get("count") or 0, average=average)


def _rating_unit_path() -> Coalesce:
    return Coalesce(F("target__unit__path"), F("task__unit__path"), output_field=CharField())


def unit_satisfaction(unit: Unit) -> Satisfaction:
    """Counted ratings on the published results of `unit` and everything under it."""
    row = (
        counted_ratings()
        .annotate(item_path=_rating_unit_path())
        .filter(item_path__startswith=unit.path)
        .aggregate(count=Count("pk"), average=Avg("score"))
    )
    return _satisfaction(row)


def item_satisfaction(item: Target | Task) -> Satisfaction:
    ratings = counted_ratings().filter(**{_item_field(item): item})
    return _satisfaction(ratings.aggregate(count=Count("pk"), average=Avg("score")))


def _item_field(item: Target | Task) -> str:
    return "task" if isinstance(item, Task) else "target"


def approved_comments(item: Target | Task) -> list[Rating]:
    return list(
        counted_ratings()
        .filter(**{_item_field(item): item}, comment_state=CommentState.APPROVED)
        .only("score", "comment", "updated_at")
        .order_by("-updated_at", "-pk")[:COMMENTS_SHOWN]
    )


@dataclass
class SubUnitRow:
    unit: Unit
    targets: int = 0
    on_track: int = 0
    behind: int = 0
    off_track: int = 0
    no_data: int = 0
    tasks: int = 0
    tasks_done: int = 0
    tasks_late: int = 0
    completion: Decimal | None = None
    satisfaction: Satisfaction | None = None


def _branch(unit: Unit, field: str) -> Substr:
    return Substr(field, 1, len(unit.path) + unit.steplen)


def sub_unit_rows(unit: Unit) -> list[SubUnitRow]:
    """Each direct sub-unit with the published results of its whole subtree: targets by
    status, tasks done and late, the average approved completion and the satisfaction; four
    queries whatever the number of sub-units."""
    children = list(public_units().filter(
        path__startswith=unit.path, depth=unit.depth + 1).order_by("name"))
    if not children:
        return []
    below = {"unit__path__startswith": unit.path, "unit__depth__gt": unit.depth}
    targets = (
        published_targets().filter(**below).annotate(branch=_branch(unit, "unit__path"))
        .values("branch").annotate(
            targets=Count("pk"),
            **{status: Count("pk", filter=Q(health__status=status))
               for status in (TargetStatus.ON_TRACK, TargetStatus.BEHIND,
                              TargetStatus.OFF_TRACK)},
        ).order_by()
    )
    tasks = (
        published_tasks().filter(**below).annotate(branch=_branch(unit, "unit__path"))
        .values("branch").annotate(
            tasks=Count("pk"),
            tasks_done=Count("pk", filter=Q(state=TaskState.DONE)),
            tasks_late=Count("pk", filter=Q(health__status=TaskStatus.LATE)),
            completion=Avg("percent_complete"),
        ).order_by()
    )
    ratings = (
        counted_ratings().annotate(item_path=_rating_unit_path())
        .filter(item_path__startswith=unit.path)
        .annotate(branch=Substr("item_path", 1, len(unit.path) + unit.steplen))
        .values("branch").annotate(count=Count("pk"), average=Avg("score")).order_by()
    )
    by_branch: dict[str, dict[str, Any]] = {}
    row: Any
    for row in targets:
        by_branch.setdefault(row.pop("branch"), {}).update(row)
    for row in tasks:
        by_branch.setdefault(row.pop("branch"), {}).update(row)
    rated = {row["branch"]: _satisfaction(row) for row in ratings}
    result = []
    for child in children:
        counts = by_branch.get(child.path, {})
        completion = counts.pop("completion", None)
        row = SubUnitRow(unit=child, satisfaction=rated.get(child.path, Satisfaction()), **counts)
        row.no_data = row.targets - row.on_track - row.behind - row.off_track
        if completion is not None:
            row.completion = Decimal(str(completion)).quantize(Decimal("1"), ROUND_HALF_UP)
        result.append(row)
    return result


@dataclass
class UnitPage:
    unit: Unit
    trail: list
    resolutions: list
    targets: list
    tasks: object  # a Paginator page
    sub_units: list
    satisfaction: Satisfaction


def unit_page(unit_pk: int, page_number: int | str = 1) -> UnitPage:
    """A unit as citizens see it: its published resolutions, targets with their status, tasks
    with status and approved completion, its sub-units side by side, and satisfaction.
    A fixed number of queries whatever the number of rows."""
    unit = public_units().get(pk=unit_pk)
    tasks = (
        published_tasks().filter(unit=unit).select_related("health", "lead_unit")
        .order_by(F("deadline").asc(nulls_last=True), "pk")
    )
    return UnitPage(
        unit=unit,
        trail=portal_trail(unit),
        resolutions=list(published_resolutions().filter(unit=unit).order_by(
            "-term_start", "number")),
        targets=list(published_targets().filter(unit=unit).select_related("health").order_by(
            "group", "code")),
        tasks=Paginator(tasks, TASKS_PER_PAGE).get_page(page_number),
        sub_units=sub_unit_rows(unit),
        satisfaction=unit_satisfaction(unit),
    )


@dataclass
class ResolutionPage:
    resolution: Resolution
    trail: list
    viewpoints: list
    breakthroughs: list
    task_groups: list  # [(item, [published tasks])]
    target_areas: list  # [(area, [published targets])]


def resolution_page(pk: int) -> ResolutionPage:
    resolution = published_resolutions().select_related("unit").get(pk=pk)
    items = list(resolution.items.order_by("kind", "position").prefetch_related(
        Prefetch("tasks", queryset=published_tasks().select_related("health").order_by(
            "deadline", "pk"), to_attr="public_tasks")))
    areas: dict[str, list[Target]] = {}
    for target in published_targets().filter(resolution=resolution).select_related(
            "health").order_by("group", "code"):
        areas.setdefault(target.group, []).append(target)
    return ResolutionPage(
        resolution=resolution,
        trail=portal_trail(resolution.unit),
        viewpoints=[i for i in items if i.kind == ResolutionItemKind.VIEWPOINT],
        breakthroughs=[i for i in items if i.kind == ResolutionItemKind.BREAKTHROUGH],
        task_groups=[(i, i.public_tasks) for i in items if i.kind == ResolutionItemKind.TASK_GROUP],
        target_areas=list(areas.items()),
    )


@dataclass
class TargetPage:
    target: Target
    trail: list
    resolution: Resolution | None  # only when it is published too
    rows: list  # [TrajectoryRow-like dicts]
    measurements: list  # approved values, newest first
    outlook: TargetOutlook
    tolerance: Decimal
    satisfaction: Satisfaction
    comments: list

    @property
    def span_years(self) -> int:
        return self.target.target_year - self.target.baseline_year

    @property
    def years_left(self) -> int | None:
        latest = self.outlook.latest_year
        return None if latest is None else self.target.target_year - latest


def target_page(pk: int) -> TargetPage:
    """A published target: baseline, trajectory, approved values, stored status, what the
    remaining years need and the forecast (monitoring.selectors.target_outlook, fed with
    approved values only), satisfaction and approved comments."""
    approved = Measurement.objects.filter(status=ReviewStatus.APPROVED).only(
        "target_id", "period_kind", "year", "period_number", "value", "status", "reviewed_at"
    ).order_by("-year", "period_kind", "-period_number")
    target = published_targets().select_related("unit", "health").prefetch_related(
        "trajectory", Prefetch("measurements", queryset=approved)
    ).get(pk=pk)
    resolution = None
    if target.resolution_id:
        resolution = published_resolutions().filter(pk=target.resolution_id).first()
    return TargetPage(
        target=target,
        trail=portal_trail(target.unit),
        resolution=resolution,
        rows=trajectory_rows(target),
        measurements=list(target.measurements.all()),
        outlook=target_outlook(target),
        tolerance=policy_for(target.unit).tolerance_percent,
        satisfaction=item_satisfaction(target),
        comments=approved_comments(target),
    )


def trajectory_rows(target: Target) -> list[dict[str, Any]]:
    """Year by year: the expected value (and upper value) and the approved yearly value.
    Reads the prefetched trajectory and approved measurements."""
    rows = {target.baseline_year: {"year": target.baseline_year, "expected": None,
                                   "expected_high": None, "actual": target.baseline_value,
                                   "baseline": True}}
    for point in target.trajectory.all():
        rows[point.year] = {"year": point.year, "expected": point.expected_value,
                            "expected_high": point.expected_high, "actual": None,
                            "baseline": False}
    for measurement in target.measurements.all():
        if measurement.period_kind == "year" and measurement.status == ReviewStatus.APPROVED:
            row = rows.setdefault(measurement.year, {
                "year": measurement.year, "expected": None, "expected_high": None,
                "baseline": False})
            if not row["baseline"]:
                row["actual"] = measurement.value
    return [rows[year] for year in sorted(rows)]


@dataclass
class TaskPage:
    task: Task
    trail: list
    resolution: Resolution | None
    targets: list
    satisfaction: Satisfaction
    comments: list


def task_page(pk: int) -> TaskPage:
    task = published_tasks().select_related("unit", "lead_unit", "health").get(pk=pk)
    resolution = None
    if task.resolution_id:
        resolution = published_resolutions().filter(pk=task.resolution_id).first()
    return TaskPage(
        task=task,
        trail=portal_trail(task.unit),
        resolution=resolution,
        targets=list(published_targets().filter(tasks=task).order_by("code")),
        satisfaction=item_satisfaction(task),
        comments=approved_comments(task),
    )


def published_item(kind: str, pk: int) -> Target | Task:
    """A published target or task by kind, for follows and ratings; DoesNotExist otherwise."""
    if kind == "target":
        return published_targets().select_related("unit").get(pk=pk)
    if kind == "task":
        return published_tasks().select_related("unit").get(pk=pk)
    raise Target.DoesNotExist


# --- Moderation (internal, scoped to the moderator's units) -----------------------------------


def comments_to_moderate(user: Any) -> QuerySet[Rating]:
    """Comments waiting for a moderator, on results of units where the user is a manager."""
    from sixclear.orgs.models import Role
    from sixclear.orgs.selectors import scope_q

    scope = scope_q(user, "target__unit", "task__unit", minimum=Role.MANAGER)
    return (
        Rating.objects.filter(scope, comment_state=CommentState.PENDING,
                              confirmed_at__isnull=False)
        .select_related("target", "task", "target__unit", "task__unit")
        .order_by("updated_at", "pk")
    )


# --- Follow-ups --------------------------------------------------------------------------------


def follow_state(item: Target | Task) -> str:
    """What a follower is told about: the status and the latest approved result. A change in
    this text is news."""
    health = getattr(item, "health", None)
    if isinstance(item, Task):
        status = health.status if health else ""
        return f"task|{item.state}|{status}|{item.percent_complete}"
    if health is None:
        return "target||"
    period = f"{health.year}-{health.period_kind}-{health.period_number}"
    return f"target|{health.status}|{period}|{health.actual}"


def active_follows() -> QuerySet[Follow]:
    """Confirmed, not unsubscribed follows of results that are still published."""
    from .models import Follow

    return (
        Follow.objects.filter(
            confirmed_at__isnull=False, unsubscribed_at__isnull=True,
            address__confirmed_at__isnull=False,
        )
        .filter(Q(target__in=published_targets()) | Q(task__in=published_tasks()))
        .select_related("address", "target", "target__health", "target__unit", "task",
                        "task__health", "task__unit")
        .order_by("pk")
    )


# --- Open data --------------------------------------------------------------------------------


def open_data(unit: Unit | None = None) -> dict[str, QuerySet[Any]]:
    """The querysets behind the downloads, limited to `unit`'s subtree when given."""
    within = {} if unit is None else {"unit__path__startswith": unit.path}
    targets = published_targets().filter(**within)
    # A link to a resolution only when that resolution is published too.
    public_resolution = Case(When(resolution__in=published_resolutions().values("pk"),
                                  then=F("resolution_id")), default=None)
    return {
        "targets": targets.select_related("unit", "health").annotate(
            public_resolution_id=public_resolution).order_by("pk"),
        "trajectory": TrajectoryPoint.objects.filter(target__in=targets).select_related(
            "target").order_by("target_id", "year"),
        "measurements": approved_measurements().filter(target__in=targets).select_related(
            "target").order_by("target_id", "year", "period_kind", "period_number"),
        "tasks": published_tasks().filter(**within).select_related(
            "unit", "lead_unit", "health").annotate(
            public_resolution_id=public_resolution).order_by("pk"),
        "resolutions": published_resolutions().filter(**within).select_related("unit").order_by(
            "pk"),
    }


# --- Evaluation leagues ------------------------------------------------------------------------

def published_rounds() -> QuerySet[Round]:
    """Closed rounds of collectives whose deciding level chose to publish them."""
    return Round.objects.filter(publication__published=True, status=RoundStatus.CLOSED,
                                unit__in=public_units()).exclude(level=Level.CADRE)


def unit_leagues(unit: Unit) -> list[Round]:
    """The leagues a unit published, the latest year first (one query)."""
    return list(published_rounds().filter(unit=unit).order_by("-year", "level"))


@dataclass
class LeagueRow:
    rank: int | None
    name: str
    unit_id: int
    points: Decimal | None
    grade: str


@dataclass
class LeaguePage:
    round: Round
    trail: list
    rows: list[LeagueRow]


def league_page(pk: int) -> LeaguePage:
    """A published league as citizens see it: each collective's rank, name, points and grade
    as the round closed them; nothing else of the round (no comments, evidence or people).
    Two queries besides the trail."""
    round_ = published_rounds().select_related("unit").get(pk=pk)
    rows = [LeagueRow(rank=rank, name=name, unit_id=unit_id, points=points, grade=grade)
            for rank, name, unit_id, points, grade in round_.subjects.filter(
                unit__isnull=False).order_by(F("rank").asc(nulls_last=True), "name", "pk")
            .values_list("rank", "name", "unit_id", "final_points", "final_grade")]
    return LeaguePage(round=round_, trail=portal_trail(round_.unit), rows=rows)


def league_publication(round_: Round) -> LeaguePublication | None:
    return LeaguePublication.objects.filter(round=round_).first()
