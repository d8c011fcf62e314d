"""Reads of obstacles and meetings, scoped by access."""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import F, Min, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sixclear.numbers import format_number
from sixclear.orgs.models import Unit
from sixclear.orgs.selectors import reaches_unit, scope_q, sees_everything
from sixclear.tracking.models import Task, TaskState

from .models import (
    DEFAULT_ANSWER_WITHIN_DAYS,
    WAITING,
    AgendaItem,
    Attendee,
    Decision,
    ItemKind,
    Meeting,
    MeetingState,
    Obstacle,
    ObstaclePolicy,
    ObstacleState,
)

# The age columns of the register's figures, in days open: (label key, lowest, highest).
AGE_BANDS = (("0-7", 0, 7), ("8-30", 8, 30), ("31+", 31, None))


def visible_obstacles(user: Any) -> QuerySet[Obstacle]:
    """Obstacles of the units the user reaches or routed to them, and those they reported."""
    if sees_everything(user):
        return Obstacle.objects.all()
    query = scope_q(user, "unit", "must_act")
    if user.is_authenticated:
        query |= Q(reported_by=user)
    return Obstacle.objects.filter(query)


def register(user: Any, unit: Unit, *, state: str = "", older_than: int | None = None,
             include_sub_units: bool = False, waiting_here: bool = False,
             today: datetime.date | None = None) -> QuerySet[Obstacle]:
    """A unit's register: obstacles reported in it or waiting for it (and its sub-units')."""
    if include_sub_units:
        where = Q(unit__path__startswith=unit.path) | Q(must_act__path__startswith=unit.path)
    else:
        where = Q(unit=unit) | Q(must_act=unit)
    if waiting_here:
        where = Q(must_act=unit) | Q(must_act__isnull=True, unit=unit)
        state = state or "waiting"
    rows = visible_obstacles(user).filter(where)
    if state == "waiting":
        rows = rows.filter(state__in=WAITING)
    elif state in ObstacleState.values:
        rows = rows.filter(state=state)
    if older_than:
        today = today or timezone.localdate()
        since = today - datetime.timedelta(days=older_than)
        rows = rows.filter(reported_at__date__lt=since)
    return rows.select_related("unit", "must_act", "task", "target", "reported_by").order_by(
        "-reported_at", "-pk")


@dataclass
class ObstacleFigures:
    """Open obstacles of a subtree by the level they wait at and by age; median days to
    resolve those resolved."""

    rows: list[tuple[str, list[int], int]] = field(default_factory=list)
    totals: list[int] = field(default_factory=list)
    open_total: int = 0
    resolved: int = 0
    median_days_to_resolve: float | None = None


def obstacle_figures(unit: Unit, today: datetime.date | None = None) -> ObstacleFigures:
    """Two queries over the subtree's obstacles, whatever their number of units."""
    today = today or timezone.localdate()
    subtree = Q(unit__path__startswith=unit.path) | Q(must_act__path__startswith=unit.path)
    waiting = (Obstacle.objects.filter(subtree, state__in=[*WAITING, ObstacleState.ANSWERED])
               .values_list("must_act_id", "must_act__name", "must_act__depth",
                            "unit__name", "unit__depth", "reported_at"))
    counts: dict[tuple[int, str], list[int]] = {}
    for routed, name, depth, own_name, own_depth, reported_at in waiting:
        level = (depth, name) if routed else (own_depth, own_name)
        age = (today - timezone.localdate(reported_at)).days
        band = next(index for index, (_key, low, high) in enumerate(AGE_BANDS)
                    if age >= low and (high is None or age <= high))
        counts.setdefault(level, [0] * len(AGE_BANDS))[band] += 1
    figures = ObstacleFigures()
    for (_depth, name), row in sorted(counts.items()):
        figures.rows.append((name, row, sum(row)))
    figures.totals = [sum(row[i] for row in counts.values()) for i in range(len(AGE_BANDS))]
    figures.open_total = sum(figures.totals)
    durations = [
        max((timezone.localdate(resolved) - timezone.localdate(reported)).days, 0)
        for reported, resolved in Obstacle.objects.filter(
            subtree, state=ObstacleState.RESOLVED, resolved_at__isnull=False)
        .values_list("reported_at", "resolved_at")]
    figures.resolved = len(durations)
    figures.median_days_to_resolve = statistics.median(durations) if durations else None
    return figures


@dataclass(frozen=True)
class ChainStep:
    key: str
    done: bool
    when: datetime.datetime | datetime.date | None = None
    item: Any = None


def obstacle_chain(obstacle: Obstacle) -> dict[str, Any]:
    """The one traceable chain: reported → on an agenda → decided → tasks → closed."""
    items = list(AgendaItem.objects.filter(obstacle=obstacle)
                 .select_related("meeting").prefetch_related("tasks_created")
                 .order_by("meeting__held_on", "pk"))
    decided = next((item for item in items if item.decision), None)
    tasks = [task for item in items for task in item.tasks_created.all()]
    return {
        "items": items, "decided": decided, "tasks": tasks,
        "steps": [
            ChainStep("reported", True, obstacle.reported_at),
            ChainStep("agenda", bool(items), items[0].meeting.held_on if items else None),
            ChainStep("decision", decided is not None, decided.decided_at if decided else None),
            ChainStep("task", bool(tasks)),
            ChainStep("closure", obstacle.state == ObstacleState.RESOLVED, obstacle.resolved_at),
        ],
    }


def task_obstacles(task: Any) -> list[Obstacle]:
    """A task's obstacles, newest first (whoever sees the task sees what blocks it)."""
    return list(Obstacle.objects.filter(task=task).select_related("must_act", "answered_by")
                .order_by("-reported_at", "-pk"))


def visible_meetings(user: Any) -> QuerySet[Meeting]:
    """Meetings of the units the user reaches, and those they attend."""
    if sees_everything(user):
        return Meeting.objects.all()
    attending = Attendee.objects.filter(person=user).values("meeting_id") if (
        user.is_authenticated) else Attendee.objects.none().values("meeting_id")
    return Meeting.objects.filter(scope_q(user, "unit") | Q(pk__in=attending))


def visible_agenda_items(user: Any) -> QuerySet[AgendaItem]:
    """Agenda items of the meetings the user may see."""
    return AgendaItem.objects.filter(meeting__in=visible_meetings(user))


def waiting_at(unit: Unit | int) -> Q:
    """Obstacles whose level is `unit`: routed or escalated to it, or its own not yet routed
    (as `services.level_of` reads one obstacle)."""
    return Q(must_act=unit) | Q(must_act__isnull=True, unit=unit)


def unit_meetings(user: Any, unit: Unit) -> QuerySet[Meeting]:
    return (visible_meetings(user).filter(Q(unit=unit) | Q(with_unit=unit))
            .select_related("unit", "with_unit", "organiser").order_by("-held_on", "-pk"))


def meeting_items(meeting: Meeting) -> list[AgendaItem]:
    return list(meeting.items.select_related(
        "obstacle", "obstacle__must_act", "task", "target", "change", "carried_from__meeting",
        "decided_by").prefetch_related("tasks_created"))


def conclusion_tasks(meeting: Meeting) -> QuerySet[Task]:
    """The tasks of the meeting's conclusion (drafts included, cancelled ones left out), in
    the order of the agenda items that decided them: the appendix of its conclusion notice."""
    if not meeting.conclusion_id:
        return Task.objects.none()
    return (Task.objects.filter(program_id=meeting.conclusion_id)
            .exclude(state=TaskState.CANCELLED)
            .select_related("owner", "lead_unit", "authority")
            .annotate(item_position=Min("decided_in__position"))
            .order_by(F("item_position").asc(nulls_last=True), "pk"))


def may_read_conclusion(user: Any, meeting: Meeting) -> bool:
    """Who reads a meeting's conclusion notice: whoever sees the meeting (a role in its unit
    or above, or an attendee), the owner of a task in its appendix, or a person whose role
    reaches a task's lead unit."""
    if not user.is_authenticated:
        return False
    if visible_meetings(user).filter(pk=meeting.pk).exists():
        return True
    return conclusion_tasks(meeting).filter(
        Q(owner=user) | Q(lead_unit__in=Unit.objects.filter(scope_q(user, "")))).exists()


def meeting_attendees(meeting: Meeting) -> list[Attendee]:
    return list(meeting.attendees.select_related("person").order_by("person__first_name",
                                                                     "person__username"))


def when_and_where(meeting: Meeting) -> tuple[str, str]:
    """The meeting's day (and time) and place as people read them, in the active language."""
    when = date_format(meeting.held_on, "DATE_FORMAT")
    if meeting.starts_at is not None:
        when = _("%(date)s at %(time)s") % {
            "date": when, "time": time_format(meeting.starts_at, "TIME_FORMAT")}
    return when, meeting.place


def invitation_lines(meeting: Meeting, link: str = "") -> list[str]:
    """The invitation's lines in the active language: when, where, the agenda's items in
    order (routine progress counted, not listed: it is not read aloud), where to read it."""
    when, place = when_and_where(meeting)
    lines = [_("When: %(when)s") % {"when": when}]
    if place:
        lines.append(_("Where: %(place)s") % {"place": place})
    items = list(meeting.items.order_by("position").values_list("kind", "title"))
    main = [(kind, title) for kind, title in items if kind != ItemKind.ROUTINE]
    lines.append(_("Agenda:"))
    labels = dict(ItemKind.choices)
    for number, (kind, title) in enumerate(main, start=1):
        lines.append(_("%(number)s. %(title)s (%(kind)s)") % {
            "number": format_number(number), "title": title, "kind": labels[kind]})
    if not main:
        lines.append(_("Nothing waits for this level."))
    routine = len(items) - len(main)
    if routine:
        lines.append(ngettext(
            "Appendix: %(count)s task on schedule, not read aloud.",
            "Appendix: %(count)s tasks on schedule, not read aloud.", routine)
            % {"count": format_number(routine)})
    if link:
        lines.append(_("The agenda: %(url)s") % {"url": f"{settings.PORTAL_SITE_URL}{link}"})
    return lines


def is_attendee(user: Any, meeting: Meeting) -> bool:
    return user.is_authenticated and meeting.attendees.filter(person=user).exists()


def reaches(user: Any, unit: Unit, minimum: str) -> bool:
    """Whether to offer an action needing `minimum` in `unit` (the services still check)."""
    return reaches_unit(user, unit, minimum)


@dataclass
class MonthMeasures:
    """Whether a subtree's meetings grow fewer, shorter and about obstacles, for one month."""

    month: datetime.date
    meetings: int = 0
    average_minutes: int | None = None
    decisive_percent: int | None = None
    resolved_in_meetings: int = 0
    resolved_elsewhere: int = 0
    median_days_open: float | None = None
    conclusions_done: int = 0
    conclusions_on_time: int = 0


def _months(today: datetime.date, count: int) -> list[datetime.date]:
    months, year, month = [], today.year, today.month
    for _index in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months[::-1]


def less_meeting_measures(unit: Unit, today: datetime.date | None = None,
                          months: int = 6) -> list[MonthMeasures]:
    """Per month of the subtree: meetings closed and their recorded length; the share of their
    agenda items that are obstacles or decisions rather than reports; obstacles resolved in a
    meeting or outside one, and the median days they stayed open; conclusion tasks done, and
    done by their deadline. Five queries whatever the number of units."""
    today = today or timezone.localdate()
    rows, _total = _measures(unit, _months(today, months))
    return rows


def less_meeting_year(unit: Unit, year: int) -> tuple[list[MonthMeasures], MonthMeasures]:
    """The same measures for each month of `year`, and for the whole year (its averages,
    shares and medians over the year's meetings and obstacles, not over the months): what the
    yearly report shows. Five queries."""
    months = [datetime.date(year, month, 1) for month in range(1, 13)]
    return _measures(unit, months)


@dataclass
class _Raw:
    """What a row's averages, shares and medians are computed from."""

    minutes: list[int] = field(default_factory=list)
    decisive: list[bool] = field(default_factory=list)
    days_open: list[int] = field(default_factory=list)


def _finish(row: MonthMeasures, raw: _Raw) -> MonthMeasures:
    if raw.minutes:
        row.average_minutes = round(statistics.mean(raw.minutes))
    if raw.decisive:
        row.decisive_percent = round(100 * sum(raw.decisive) / len(raw.decisive))
    if raw.days_open:
        row.median_days_open = statistics.median(raw.days_open)
    return row


@dataclass
class _Months:
    """The rows being counted, the raw values behind them, and the days they span."""

    rows: dict[datetime.date, MonthMeasures]
    raws: dict[datetime.date, _Raw]
    first: datetime.date
    after: datetime.date

    def row_of(self, day: datetime.date) -> MonthMeasures | None:
        return self.rows.get(day.replace(day=1))


def _measures(unit: Unit, months: list[datetime.date]) -> tuple[list[MonthMeasures],
                                                                MonthMeasures]:
    """The measures of the subtree for `months` (first days, in order), each month and all of
    them together."""
    counted = _Months(rows={month: MonthMeasures(month=month) for month in months},
                      raws={month: _Raw() for month in months}, first=min(months),
                      after=(max(months) + datetime.timedelta(days=32)).replace(day=1))
    _count_meetings(unit, counted)
    _count_obstacles(unit, counted)
    _count_conclusions(unit, counted)
    total, everything = MonthMeasures(month=counted.first), _Raw()
    for month, row in counted.rows.items():
        _finish(row, counted.raws[month])
        for name in ("meetings", "resolved_in_meetings", "resolved_elsewhere",
                     "conclusions_done", "conclusions_on_time"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
        for name in ("minutes", "decisive", "days_open"):
            getattr(everything, name).extend(getattr(counted.raws[month], name))
    return list(counted.rows.values()), _finish(total, everything)


def _count_meetings(unit: Unit, counted: _Months) -> None:
    """Meetings closed, their recorded length, and whether their items are decisive."""
    held = (Meeting.objects.filter(unit__path__startswith=unit.path, state=MeetingState.CLOSED,
                                   held_on__gte=counted.first, held_on__lt=counted.after)
            .values_list("pk", "held_on", "started_at", "closed_at"))
    month_of_meeting = {}
    for pk, held_on, started, closed in held:
        row = counted.row_of(held_on)
        if row is None:
            continue
        row.meetings += 1
        month_of_meeting[pk] = row.month
        if started and closed:
            counted.raws[row.month].minutes.append(
                round((closed - started).total_seconds() / 60))
    for meeting_id, kind, decision in AgendaItem.objects.filter(
            meeting_id__in=month_of_meeting).values_list("meeting_id", "kind", "decision"):
        decisive = kind == ItemKind.OBSTACLE or decision not in ("", Decision.NOTED)
        counted.raws[month_of_meeting[meeting_id]].decisive.append(decisive)


def _count_obstacles(unit: Unit, counted: _Months) -> None:
    """Obstacles resolved in a meeting or outside one, and the days they stayed open."""
    resolved = list(Obstacle.objects.filter(
        Q(unit__path__startswith=unit.path) | Q(must_act__path__startswith=unit.path),
        state=ObstacleState.RESOLVED, resolved_at__date__gte=counted.first,
        resolved_at__date__lt=counted.after).values_list("pk", "reported_at", "resolved_at"))
    in_meetings = set(AgendaItem.objects.filter(
        obstacle_id__in=[pk for pk, *_rest in resolved], decision=Decision.RESOLVED)
        .values_list("obstacle_id", flat=True))
    for pk, reported, closed in resolved:
        row = counted.row_of(timezone.localdate(closed))
        if row is None:
            continue
        if pk in in_meetings:
            row.resolved_in_meetings += 1
        else:
            row.resolved_elsewhere += 1
        counted.raws[row.month].days_open.append(
            max((timezone.localdate(closed) - timezone.localdate(reported)).days, 0))


def _count_conclusions(unit: Unit, counted: _Months) -> None:
    """Tasks of meeting conclusions done, and done by their deadline."""
    for completed, deadline in Task.objects.filter(
            program__meeting__unit__path__startswith=unit.path, state=TaskState.DONE,
            completed_on__gte=counted.first, completed_on__lt=counted.after).values_list(
            "completed_on", "deadline"):
        row = counted.row_of(completed) if completed else None
        if row is not None and completed:
            row.conclusions_done += 1
            row.conclusions_on_time += bool(deadline and completed <= deadline)


# --- Obstacles as evidence of a year (the annual evaluation reads them) ----------------------

@dataclass(frozen=True)
class ObstacleEvidence:
    """An obstacle reported in the year: when it was answered and resolved (None when not by
    the evidence date), and the days its answering unit had to answer."""

    pk: int
    description: str
    unit_path: str
    must_act_path: str
    reported_on: datetime.date
    answered_on: datetime.date | None
    resolved_on: datetime.date | None
    answer_within_days: int

    @property
    def answer_due(self) -> datetime.date:
        return self.reported_on + datetime.timedelta(days=self.answer_within_days)

    @property
    def days_to_resolve(self) -> int | None:
        if self.resolved_on is None:
            return None
        return max((self.resolved_on - self.reported_on).days, 0)


def _policy_days(policies: list[tuple[str, int]], path: str) -> int:
    """The nearest policy at or above `path`, like `services.answer_within_days`."""
    best: tuple[int, int] | None = None
    for policy_path, days in policies:
        if path.startswith(policy_path) and (best is None or len(policy_path) > best[0]):
            best = (len(policy_path), days)
    return best[1] if best else DEFAULT_ANSWER_WITHIN_DAYS


def obstacle_evidence(path: str, year: int, as_of: datetime.date) -> list[ObstacleEvidence]:
    """The obstacles reported from 1 January to `as_of` that the subtree at `path` reported or
    must act on (as the register's figures count them), in two queries. An answer is its
    `answered_at`, or its resolution when it was resolved without one; what happened after
    `as_of` has not happened yet."""
    start = datetime.date(year, 1, 1)
    policies = list(ObstaclePolicy.objects.values_list("unit__path", "answer_within_days"))
    rows = (Obstacle.objects.filter(
        Q(unit__path__startswith=path) | Q(must_act__path__startswith=path),
        reported_at__date__gte=start, reported_at__date__lte=as_of)
        .values_list("pk", "description", "unit__path", "must_act__path", "reported_at",
                     "answered_at", "resolved_at")
        .order_by("reported_at", "pk"))

    def by_as_of(moment: datetime.datetime | None) -> datetime.date | None:
        day = timezone.localdate(moment) if moment else None
        return day if day is not None and day <= as_of else None

    found = []
    for pk, description, unit_path, must_act_path, reported, answered, resolved in rows:
        resolved_on = by_as_of(resolved)
        answered_on = by_as_of(answered) or resolved_on
        found.append(ObstacleEvidence(
            pk=pk, description=description, unit_path=unit_path,
            must_act_path=must_act_path or "", reported_on=timezone.localdate(reported),
            answered_on=answered_on, resolved_on=resolved_on,
            answer_within_days=_policy_days(policies, must_act_path or unit_path)))
    return found


# --- Obstacles as they stood at a day's end (the periodic snapshots freeze them) ------------

@dataclass(frozen=True)
class ObstacleThen:
    """An obstacle waiting or answered at the end of a day, as it stood then."""

    pk: int
    state: str
    unit_id: int  # the unit that reported it
    unit_name: str
    level_id: int  # the unit that had to act: the one it was routed or escalated to, else its own
    level_name: str
    task_id: int | None
    target_id: int | None
    code: str
    title: str
    description: str
    help_asked: str
    reported_on: datetime.date
    days_open: int
    escalations: int


def _end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min))


def obstacles_at(day: datetime.date, unit_ids: list[int] | None = None) -> list[ObstacleThen]:
    """The obstacles reported by the end of `day` and not resolved by then (open, assigned,
    escalated or answered), each with its state and the unit that had to act at that moment,
    read from its history: what happened later (an answer, a routing, the resolution) does not
    show. `unit_ids` keeps those reported in one of these units or routed or escalated to one.
    One query whatever their number."""
    cutoff = _end_of(day)
    candidates = Obstacle.objects.filter(
        Q(resolved_at__isnull=True) | Q(resolved_at__gte=cutoff), reported_at__lt=cutoff)
    history = Obstacle.history.model.objects
    if unit_ids is not None:
        candidates = candidates.filter(
            Q(unit_id__in=unit_ids)
            | Q(pk__in=history.filter(must_act_id__in=unit_ids).values("id")))
    rows = (history.filter(Q(history_date__lt=cutoff) | Q(history_type="+"),
                           id__in=candidates.values("pk"))
            .order_by("id", "history_date", "history_id")
            .values_list("id", "history_date", "state", "must_act_id", "must_act__name",
                         "unit_id", "unit__name", "task_id", "task__code", "task__title",
                         "target_id", "target__code", "target__name", "description",
                         "help_asked", "reported_at", "escalations"))
    # Oldest first: the record as created, then each change before the cutoff replaces it.
    chosen: dict[int, tuple[Any, ...]] = {}
    for row in rows:
        if row[1] < cutoff or row[0] not in chosen:
            chosen[row[0]] = row
    found = []
    for (pk, _when, state, level, level_name, unit, unit_name, task, task_code, task_title,
         target, target_code, target_name, description, help_asked, reported_at,
         escalations) in chosen.values():
        if state == ObstacleState.RESOLVED:
            continue
        reported_on = timezone.localdate(reported_at)
        found.append(ObstacleThen(
            pk=pk, state=state, unit_id=unit, unit_name=unit_name or "",
            level_id=level or unit, level_name=(level_name if level else unit_name) or "",
            task_id=task, target_id=target, code=(task_code if task else target_code) or "",
            title=(task_title if task else target_name) or "", description=description,
            help_asked=help_asked, reported_on=reported_on,
            days_open=max((day - reported_on).days, 0), escalations=escalations))
    return sorted(found, key=lambda obstacle: (obstacle.reported_on, obstacle.pk))
