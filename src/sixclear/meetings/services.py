"""Every write to obstacles and meetings. Each service takes the acting user as `actor`, checks
its rule, writes in one transaction with history and tells the upkeep port who must know."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from sixclear import upkeep
from sixclear.changes.models import ChangeRequest, ChangeStatus
from sixclear.changes.services import decide_change
from sixclear.monitoring.models import TargetStatus
from sixclear.orgs.models import Membership, Role, Unit
from sixclear.orgs.selectors import ancestor_paths, has_role, require_role
from sixclear.plans.models import ProgramKind, Target
from sixclear.plans.services import create_program
from sixclear.references import NOT_FOUND
from sixclear.tracking.models import SIX_CLEAR_LABELS, ProgressReport, ReviewStatus, Task, TaskState
from sixclear.tracking.services import SixClearsMissing, create_task, issue_task
from sixclear.versioning import claim_version

from .models import (
    DEFAULT_ANSWER_WITHIN_DAYS,
    MEETING_TRANSITIONS,
    OBSTACLE_TRANSITIONS,
    WAITING,
    AgendaItem,
    Attendee,
    Decision,
    ItemKind,
    Meeting,
    MeetingKind,
    MeetingState,
    Obstacle,
    ObstaclePolicy,
    ObstacleState,
)

# A task this many days past its deadline is a matter for the meeting, not routine.
LATE_THRESHOLD_DAYS = 14
# At most this many items of each kind: a meeting about everything decides nothing.
ITEMS_PER_KIND = 25
# The organiser of a meeting held this many days ago and not closed is reminded (then weekly).
CLOSE_REMINDER_DAYS = 3
# Impact bands, highest first: what blocks work, earlier conclusions not done, targets, late
# tasks, changes, matters added by hand, routine.
_BAND = {ItemKind.OBSTACLE: 6_000_000, ItemKind.CONCLUSION: 5_000_000,
         ItemKind.TARGET: 4_000_000, ItemKind.TASK: 3_000_000,
         ItemKind.CHANGE: 2_000_000, ItemKind.OTHER: 1_000_000, ItemKind.ROUTINE: 0}
_WITHIN_BAND = 999_999
# A task not yet done: a conclusion in this state is followed up at the next meeting.
NOT_DONE = (TaskState.DRAFT, TaskState.ISSUED)


def _save(instance: Any, actor: Any) -> Any:
    instance._history_user = actor
    instance.save()
    return instance


# ---------------------------------------------------------------------------------------------
# The obstacle register


def _allowed(obstacle: Obstacle, action: str) -> str:
    """The state `action` leads to, or a ValidationError when it is not allowed now. Checked
    before the version is claimed, so a refused action leaves the record as it was read."""
    sources, target = OBSTACLE_TRANSITIONS[action]
    if obstacle.state not in sources:
        raise ValidationError(
            _("An obstacle that is “%(state)s” cannot be %(action)s.") % {
                "state": obstacle.get_state_display(), "action": _action_words()[action]},
            code="invalid_transition")
    return target


def _action_words() -> dict[str, str]:
    return {"assign": _("routed"), "escalate": _("escalated"), "answer": _("answered"),
            "resolve": _("resolved")}


def level_of(obstacle: Obstacle) -> Unit:
    """The unit the obstacle waits for: the one it was routed or escalated to, else its own."""
    return obstacle.must_act if obstacle.must_act_id else obstacle.unit  # type: ignore[return-value]


def acting_people(unit: Unit) -> list[int]:
    """Who is told that `unit` must act: its managers and leaders, else those of the nearest
    unit above that has any."""
    rows = list(Membership.objects.filter(
        unit__path__in=ancestor_paths(unit), role__in=[Role.MANAGER, Role.LEADER],
        unit__is_active=True).values_list("unit__depth", "user_id"))
    for depth in range(unit.depth, 0, -1):
        people = [user for row_depth, user in rows if row_depth == depth]
        if people:
            return people
    return []


def _tell(obstacle: Obstacle, kind: upkeep.Event, recipients: Iterable[int | None],
          actor: Any, occasion: str) -> None:
    upkeep.happened(kind, recipients=recipients, actor=actor, occasion=occasion,
                    task=obstacle.task, target=obstacle.target,
                    subject=Truncator(obstacle.description).chars(120),
                    link=reverse("meetings:obstacle", args=[obstacle.pk]))


def may_raise(user: Any, *, task: Task | None = None, target: Target | None = None) -> bool:
    """A task's owner or a target's responsible person, or an officer of its unit or above."""
    subject: Any = task or target
    if task is not None and task.owner_id == user.pk:
        return True
    if target is not None and target.responsible_person_id == user.pk:
        return True
    return has_role(user, subject.unit, Role.OFFICER)


@transaction.atomic
def raise_obstacle(*, actor: Any, description: str, help_asked: str = "",
                   task: Task | None = None, target: Target | None = None) -> Obstacle:
    """Record what blocks a task or a target, and the help asked for."""
    if (task is None) == (target is None):
        raise ValidationError({"blocks": _("Choose the task or the target that is blocked.")})
    if not may_raise(actor, task=task, target=target):
        raise PermissionDenied(_("You cannot report obstacles on this item."))
    if not (description or "").strip():
        raise ValidationError({"description": _("Say what blocks the work.")})
    subject: Any = task or target
    obstacle = Obstacle(unit=subject.unit, task=task, target=target, reported_by=actor,
                        description=description.strip(), help_asked=(help_asked or "").strip())
    _save(obstacle, actor)
    _tell(obstacle, upkeep.Event.OBSTACLE_ASSIGNED, acting_people(obstacle.unit), actor,
          f"obstacle:{obstacle.pk}:raised")
    return obstacle


def register_reported_obstacles(change: upkeep.ProgressReported) -> None:
    """The upkeep handler: a submitted report that names obstacles makes one record of them,
    once (a report is registered once; the same words still open on the task are not repeated).
    """
    if not change.obstacles:
        return
    report = (ProgressReport.objects.select_related("task", "task__unit")
              .filter(pk=change.report_id).first())
    if (report is None or not report.obstacles.strip()
            or report.status not in (ReviewStatus.SUBMITTED, ReviewStatus.APPROVED)):
        return
    text = report.obstacles.strip()
    known = Obstacle.objects.filter(Q(report=report) | Q(
        task_id=report.task_id, description=text, state__in=[*WAITING, ObstacleState.ANSWERED]))
    if known.exists():
        return
    # Known since the report's date (a report may be written days after): its age counts
    # from then.
    known_since = min(report.report_date, timezone.localdate())
    obstacle = Obstacle(unit=report.task.unit, task=report.task, report=report,
                        reported_by=report.reported_by, description=text,
                        reported_at=_noon(known_since), waiting_since=known_since)
    _save(obstacle, report.reported_by)
    _tell(obstacle, upkeep.Event.OBSTACLE_ASSIGNED, acting_people(obstacle.unit),
          report.reported_by, f"obstacle:{obstacle.pk}:raised")


def _noon(day: datetime.date) -> datetime.datetime:
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    return min(moment, timezone.now())


def routing_choices(obstacle: Obstacle) -> Any:
    """The units an obstacle may be routed to: those above the level it waits at and its
    whole subtree (a unit at the level that can solve it)."""
    level = level_of(obstacle)
    return Unit.objects.filter(
        Q(path__in=ancestor_paths(level)) | Q(path__startswith=level.path),
        is_active=True).order_by("path")


def may_route(user: Any, obstacle: Obstacle) -> bool:
    return has_role(user, level_of(obstacle), Role.MANAGER)


@transaction.atomic
def route_obstacle(*, actor: Any, obstacle: Obstacle, expected_version: int,
                   must_act: Unit | None) -> Obstacle:
    """A manager at the level it waits for names the unit that must act; it is told."""
    if not may_route(actor, obstacle):
        raise PermissionDenied(_("Only a manager of the unit it waits for can route it."))
    if must_act is None or not routing_choices(obstacle).filter(pk=must_act.pk).exists():
        raise ValidationError({"must_act": NOT_FOUND if must_act else _(
            "Choose the unit that must act.")})
    state = _allowed(obstacle, "assign")
    claim_version(obstacle, expected_version)
    obstacle.state, obstacle.must_act = state, must_act
    obstacle.waiting_since = timezone.localdate()
    _save(obstacle, actor)
    _tell(obstacle, upkeep.Event.OBSTACLE_ASSIGNED, acting_people(must_act), actor,
          f"obstacle:{obstacle.pk}:{obstacle.version}")
    return obstacle


def may_answer(user: Any, obstacle: Obstacle) -> bool:
    return has_role(user, level_of(obstacle), Role.MANAGER)


@transaction.atomic
def answer_obstacle(*, actor: Any, obstacle: Obstacle, expected_version: int,
                    answer: str, resolve: bool = False) -> Obstacle:
    """The unit it waits for answers; the reporter is told. `resolve` closes it at once (a
    decision taken in a meeting)."""
    if not may_answer(actor, obstacle):
        raise PermissionDenied(_("Only a manager of the unit that must act can answer it."))
    if not (answer or "").strip():
        raise ValidationError({"answer": _("Write the answer.")})
    state = _allowed(obstacle, "resolve" if resolve else "answer")
    claim_version(obstacle, expected_version)
    obstacle.state = state
    now = timezone.now()
    obstacle.answer, obstacle.answered_by, obstacle.answered_at = answer.strip(), actor, now
    if resolve:
        obstacle.resolved_at = now
    _save(obstacle, actor)
    _tell(obstacle, upkeep.Event.OBSTACLE_ANSWERED, [obstacle.reported_by_id], actor,
          f"obstacle:{obstacle.pk}:answered")
    return obstacle


def may_resolve(user: Any, obstacle: Obstacle) -> bool:
    """Once answered: the reporter, or a manager of its unit, says it no longer blocks."""
    return obstacle.reported_by_id == user.pk or has_role(user, obstacle.unit, Role.MANAGER)


@transaction.atomic
def resolve_obstacle(*, actor: Any, obstacle: Obstacle, expected_version: int) -> Obstacle:
    """Close an answered obstacle; one still waiting is resolved with an answer instead."""
    if obstacle.state != ObstacleState.ANSWERED:
        raise ValidationError(_("Only an answered obstacle can be closed; answer it first."))
    if not may_resolve(actor, obstacle):
        raise PermissionDenied(_("Only its reporter or a manager of its unit can close it."))
    state = _allowed(obstacle, "resolve")
    claim_version(obstacle, expected_version)
    obstacle.state, obstacle.resolved_at = state, timezone.now()
    return _save(obstacle, actor)


def _level_above(obstacle: Obstacle) -> Unit:
    level = level_of(obstacle)
    above = Unit.objects.filter(path=level.path[: -level.steplen]).first() if (
        level.depth > 1) else None
    if above is None:
        raise ValidationError(_("There is no level above %(unit)s to escalate to.")
                              % {"unit": level.name})
    return above


def _escalate(obstacle: Obstacle, actor: Any, today: datetime.date, above: Unit) -> None:
    obstacle.state = ObstacleState.ESCALATED
    obstacle.must_act = above
    obstacle.waiting_since = today
    obstacle.escalations += 1
    obstacle._change_reason = _("Escalated to %(unit)s") % {"unit": above.name}  # type: ignore[attr-defined]
    _save(obstacle, actor)
    _tell(obstacle, upkeep.Event.OBSTACLE_ESCALATED, acting_people(above), actor,
          f"obstacle:{obstacle.pk}:up:{obstacle.escalations}")


def may_escalate(user: Any, obstacle: Obstacle) -> bool:
    return has_role(user, level_of(obstacle), Role.MANAGER)


@transaction.atomic
def escalate_obstacle(*, actor: Any, obstacle: Obstacle, expected_version: int) -> Obstacle:
    """Send an obstacle to the level above the one it waits for."""
    if not may_escalate(actor, obstacle):
        raise PermissionDenied(_("Only a manager of the unit it waits for can escalate it."))
    _allowed(obstacle, "escalate")
    above = _level_above(obstacle)
    claim_version(obstacle, expected_version)
    _escalate(obstacle, actor, timezone.localdate(), above)
    return obstacle


def answer_within_days(unit: Unit) -> int:
    """The days a unit has to answer: its own policy or the nearest one above."""
    policy = (ObstaclePolicy.objects.filter(unit__path__in=ancestor_paths(unit))
              .order_by("-unit__depth").first())
    return policy.answer_within_days if policy else DEFAULT_ANSWER_WITHIN_DAYS


def escalate_overdue_obstacles(today: datetime.date | None = None) -> int:
    """The periodic job: every obstacle routed or escalated to a unit that has not answered it
    within its policy's days climbs one level. Running it twice a day climbs nothing twice: an
    escalated obstacle waits anew from today."""
    today = today or timezone.localdate()
    policies = list(ObstaclePolicy.objects.select_related("unit"))
    # At least a day: an obstacle escalated today waits at its new level until tomorrow.
    shortest = max(min([p.answer_within_days for p in policies]
                       + [DEFAULT_ANSWER_WITHIN_DAYS]), 1)
    candidates = (Obstacle.objects.filter(
        state__in=[ObstacleState.ASSIGNED, ObstacleState.ESCALATED],
        waiting_since__lte=today - datetime.timedelta(days=shortest))
        .select_related("must_act").order_by("pk"))
    days_by_path = {p.unit.path: p.answer_within_days for p in policies}
    climbed = 0
    for candidate in candidates:
        level = level_of(candidate)
        days = next((days_by_path[path] for path in reversed(ancestor_paths(level))
                     if path in days_by_path), DEFAULT_ANSWER_WITHIN_DAYS)
        if (today - candidate.waiting_since).days < max(days, 1) or level.depth <= 1:
            continue
        with transaction.atomic():
            obstacle = Obstacle.objects.select_for_update().get(pk=candidate.pk)
            if obstacle.waiting_since != candidate.waiting_since or not obstacle.is_waiting:
                continue  # someone acted meanwhile
            above = _level_above(obstacle)
            claim_version(obstacle, obstacle.version)
            _escalate(obstacle, None, today, above)
            climbed += 1
    return climbed


# ---------------------------------------------------------------------------------------------
# Meetings


def _require_manager(actor: Any, meeting: Meeting) -> None:
    require_role(actor, meeting.unit, Role.MANAGER)


def _move(meeting: Meeting, action: str, expected_version: int) -> None:
    """Move the meeting along its states: the move is checked before the version is claimed."""
    source, target = MEETING_TRANSITIONS[action]
    if meeting.state != source:
        raise ValidationError(_("A meeting that is “%(state)s” cannot do this.")
                              % {"state": meeting.get_state_display()}, code="invalid_transition")
    claim_version(meeting, expected_version)
    meeting.state = target


def _require_not_closed(meeting: Meeting) -> None:
    if meeting.state == MeetingState.CLOSED:
        raise ValidationError(_("A closed meeting can no longer be changed."))


def attendee_choices(unit: Unit) -> Any:
    """People who may be invited: those with a role in the unit, above it or below it."""
    from django.contrib.auth import get_user_model

    return (get_user_model().objects.filter(
        Q(memberships__unit__path__startswith=unit.path)
        | Q(memberships__unit__path__in=ancestor_paths(unit)), is_active=True)
        .distinct().order_by("first_name", "username"))


@transaction.atomic
def schedule_meeting(*, actor: Any, unit: Unit, kind: str, title: str, held_on: datetime.date,
                     topic: str = "", with_unit: Unit | None = None,
                     attendees: Iterable[Any] = (), starts_at: datetime.time | None = None,
                     place: str = "") -> Meeting:
    """A manager or leader of `unit` schedules a meeting (its day, and the time and place the
    invitation gives); Sixclear drafts its agenda."""
    require_role(actor, unit, Role.MANAGER)
    errors: dict[str, Any] = {}
    if kind not in MeetingKind.values:
        errors["kind"] = _("Choose the kind of meeting.")
    if not (title or "").strip():
        errors["title"] = _("Give the meeting a title.")
    if held_on is None:
        errors["held_on"] = _("Give the meeting's date.")
    if with_unit is not None and not with_unit.path.startswith(unit.path):
        errors["with_unit"] = NOT_FOUND
    if kind == MeetingKind.WORKING and with_unit is None:
        errors["with_unit"] = _("Choose the unit the working session is with.")
    people = list(attendees)
    allowed = set(attendee_choices(unit).filter(pk__in=[p.pk for p in people])
                  .values_list("pk", flat=True))
    if any(person.pk not in allowed for person in people):
        errors["attendees"] = NOT_FOUND
    if errors:
        raise ValidationError(errors)
    meeting = _save(Meeting(unit=unit, kind=kind, title=title.strip(), topic=topic.strip(),
                            held_on=held_on, with_unit=with_unit, organiser=actor,
                            starts_at=starts_at, place=(place or "").strip()), actor)
    for person in {actor.pk: actor, **{p.pk: p for p in people}}.values():
        _save(Attendee(meeting=meeting, person=person), actor)
    _build_agenda(meeting, actor)
    return meeting


@transaction.atomic
def redraft_agenda(*, actor: Any, meeting: Meeting) -> list[AgendaItem]:
    """Draft the agenda again from what waits now (before the meeting starts); items added
    by hand stay."""
    _require_manager(actor, meeting)
    if meeting.state not in (MeetingState.DRAFT, MeetingState.OPEN):
        raise ValidationError(_("The agenda is drafted before the meeting starts."))
    return _build_agenda(meeting, actor)


def _previous_in_series(meeting: Meeting) -> Meeting | None:
    return (Meeting.objects.filter(unit=meeting.unit, kind=meeting.kind,
                                   state=MeetingState.CLOSED, held_on__lte=meeting.held_on)
            .exclude(pk=meeting.pk).order_by("-held_on", "-pk").first())


def _key(item: AgendaItem) -> tuple[str, int | None]:
    return item.kind, (item.obstacle_id or item.task_id or item.target_id or item.change_id
                       or item.carried_from_id)


def _drafted_items(meeting: Meeting) -> list[AgendaItem]:
    """What waits for this level, with its impact: higher first."""
    scope = meeting.scope_unit
    today = meeting.held_on
    items: list[AgendaItem] = []
    obstacles = (Obstacle.objects.filter(
        Q(must_act=scope) | Q(must_act__isnull=True, unit=scope), state__in=WAITING)
        .select_related("task", "target").order_by("reported_at")[:ITEMS_PER_KIND])
    for obstacle in obstacles:
        items.append(AgendaItem(kind=ItemKind.OBSTACLE, obstacle=obstacle,
                                task=obstacle.task, target=obstacle.target,
                                title=Truncator(obstacle.description).chars(480),
                                impact=_BAND[ItemKind.OBSTACLE] + min(
                                    int(obstacle.days_open(today)) * 10 + obstacle.escalations,
                                    _WITHIN_BAND)))
    targets = (Target.objects.filter(unit__path__startswith=scope.path,
                                     health__status=TargetStatus.OFF_TRACK)
               .select_related("health").order_by("health__gap_percent", "pk")[:ITEMS_PER_KIND])
    for target in targets:
        gap = abs(Decimal(str(target.health.gap_percent or 0)))
        items.append(AgendaItem(kind=ItemKind.TARGET, target=target, title=target.name,
                                impact=_BAND[ItemKind.TARGET] + min(int(gap * 100),
                                                                     _WITHIN_BAND)))
    # The conclusions of this unit's earlier meetings not yet done, drafts the six-clears gate
    # kept included: the meeting checks them right after the obstacles, most overdue first.
    concluded = (Task.objects.filter(
        program__meeting__unit=meeting.unit, program__meeting__held_on__lt=meeting.held_on,
        state__in=NOT_DONE).exclude(program__meeting=meeting)
        .order_by("deadline", "pk")[:ITEMS_PER_KIND])
    late_ids = set()
    for task in concluded:
        late_ids.add(task.pk)
        days = (today - task.deadline).days if task.deadline else 0
        items.append(AgendaItem(kind=ItemKind.CONCLUSION, task=task, title=task.title,
                                impact=_BAND[ItemKind.CONCLUSION] + min(
                                    max(days + 1000, 0), _WITHIN_BAND)))
    late = (Task.objects.filter(
        Q(unit__path__startswith=scope.path) | Q(lead_unit__path__startswith=scope.path),
        state=TaskState.ISSUED, deadline__lt=today - datetime.timedelta(days=LATE_THRESHOLD_DAYS))
        .exclude(pk__in=late_ids).order_by("deadline", "pk")[:ITEMS_PER_KIND])
    for task in late:
        late_ids.add(task.pk)
        days = (today - task.deadline).days  # type: ignore[operator]  # filtered on it
        items.append(AgendaItem(kind=ItemKind.TASK, task=task, title=task.title,
                                impact=_BAND[ItemKind.TASK] + min(days, _WITHIN_BAND)))
    changes = (ChangeRequest.objects.filter(
        Q(task__unit__path__startswith=scope.path)
        | Q(target__unit__path__startswith=scope.path), status=ChangeStatus.PENDING)
        .select_related("task", "target").order_by("requested_at")[:ITEMS_PER_KIND])
    for change in changes:
        days = (today - timezone.localdate(change.requested_at)).days
        items.append(AgendaItem(kind=ItemKind.CHANGE, change=change, task=change.task,
                                target=change.target, title=str(change),
                                impact=_BAND[ItemKind.CHANGE] + min(max(days, 0),
                                                                     _WITHIN_BAND)))
    routine = (Task.objects.filter(unit__path__startswith=scope.path, state=TaskState.ISSUED)
               .exclude(pk__in=late_ids).order_by("deadline", "pk")[:ITEMS_PER_KIND])
    for task in routine:
        items.append(AgendaItem(kind=ItemKind.ROUTINE, task=task, title=task.title, impact=0))
    return items


def _still_waiting(item: AgendaItem) -> bool:
    """Whether an item a meeting did not reach is still a matter for the next one: its
    obstacle still waits, its change is still pending, its task (a conclusion, a late task)
    is still not done."""
    if item.kind == ItemKind.OBSTACLE:
        return item.obstacle is not None and item.obstacle.is_waiting
    if item.kind == ItemKind.CHANGE:
        return item.change is not None and item.change.status == ChangeStatus.PENDING
    if item.kind in (ItemKind.CONCLUSION, ItemKind.TASK):
        return item.task is not None and item.task.state in NOT_DONE
    return item.kind != ItemKind.ROUTINE


def _build_agenda(meeting: Meeting, actor: Any) -> list[AgendaItem]:
    kept = list(meeting.items.filter(kind=ItemKind.OTHER, carried_from__isnull=True))
    meeting.items.exclude(pk__in=[item.pk for item in kept]).delete()
    drafted = {_key(item): item for item in _drafted_items(meeting)}
    previous = _previous_in_series(meeting)
    if previous is not None:
        unreached = (previous.items.filter(decision="", carried_to__isnull=True)
                     .select_related("obstacle", "change", "task"))
        for old in unreached:
            if not _still_waiting(old):
                continue
            item = drafted.get(_key(old))
            if item is None:
                item = AgendaItem(kind=old.kind, obstacle=old.obstacle, task_id=old.task_id,
                                  target_id=old.target_id, change=old.change, title=old.title,
                                  impact=old.impact)
                drafted[("carried", old.pk)] = item
            item.carried_from = old
            item.notes = old.notes
    # A stable sort: within one impact, the drafted order (oldest obstacle, earliest deadline).
    ordered = sorted([*drafted.values(), *kept], key=lambda item: -item.impact)
    # Positions are rewritten in two passes so the unique position never collides.
    for index, item in enumerate(kept):
        item.position = 30_000 + index
        item.save(update_fields=["position"])
    for position, item in enumerate(ordered, 1):
        item.meeting = meeting
        item.position = position
        _save(item, actor)
    return ordered


@transaction.atomic
def add_item(*, actor: Any, meeting: Meeting, title: str) -> AgendaItem:
    """Another matter, added by hand before or during the meeting."""
    _require_manager(actor, meeting)
    _require_not_closed(meeting)
    if not (title or "").strip():
        raise ValidationError({"title": _("Say what the matter is.")})
    last = meeting.items.order_by("-position").values_list("position", flat=True).first() or 0
    return _save(AgendaItem(meeting=meeting, kind=ItemKind.OTHER, title=title.strip(),
                            position=last + 1, impact=_BAND[ItemKind.OTHER]), actor)


def _link(meeting: Meeting) -> str:
    return reverse("meetings:meeting", args=[meeting.pk])


@transaction.atomic
def open_meeting(*, actor: Any, meeting: Meeting, expected_version: int) -> Meeting:
    """Publish the agenda: the attendees are invited in the app and by e-mail if they chose."""
    _require_manager(actor, meeting)
    _move(meeting, "open", expected_version)
    _save(meeting, actor)
    people = list(meeting.attendees.values_list("person_id", flat=True))
    meeting.attendees.update(invited_at=timezone.now())
    upkeep.happened(upkeep.Event.MEETING_INVITED, recipients=people, actor=actor,
                    occasion=f"meeting:{meeting.pk}", subject=meeting.title,
                    link=_link(meeting))
    return meeting


@transaction.atomic
def start_meeting(*, actor: Any, meeting: Meeting, expected_version: int) -> Meeting:
    _require_manager(actor, meeting)
    _move(meeting, "start", expected_version)
    meeting.started_at = timezone.now()
    return _save(meeting, actor)


@transaction.atomic
def close_meeting(*, actor: Any, meeting: Meeting, expected_version: int) -> Meeting:
    """Close the meeting (read-only from now on); what it did not reach goes to the next
    meeting of its series, and the attendees are asked to confirm the minutes."""
    _require_manager(actor, meeting)
    _move(meeting, "close", expected_version)
    meeting.closed_at = timezone.now()
    _save(meeting, actor)
    following = (Meeting.objects.filter(
        unit=meeting.unit, kind=meeting.kind, held_on__gte=meeting.held_on,
        state__in=[MeetingState.DRAFT, MeetingState.OPEN]).exclude(pk=meeting.pk)
        .order_by("held_on", "pk").first())
    if following is not None:
        _build_agenda(following, actor)
    people = list(meeting.attendees.values_list("person_id", flat=True))
    upkeep.happened(upkeep.Event.MINUTES_TO_CONFIRM, recipients=people, actor=actor,
                    occasion=f"minutes:{meeting.pk}", subject=meeting.title,
                    link=_link(meeting))
    return meeting


@transaction.atomic
def confirm_minutes(*, actor: Any, meeting: Meeting, amendment: str = "") -> Attendee:
    """An attendee confirms the minutes of a closed meeting, with an amendment if any."""
    if meeting.state != MeetingState.CLOSED:
        raise ValidationError(_("Minutes are confirmed once the meeting is closed."))
    attendee = meeting.attendees.select_for_update().filter(person=actor).first()
    if attendee is None:
        raise PermissionDenied(_("Only the meeting's attendees confirm its minutes."))
    if attendee.confirmed_at:
        raise ValidationError(_("You have already confirmed these minutes."))
    attendee.confirmed_at = timezone.now()
    attendee.amendment = (amendment or "").strip()
    return _save(attendee, actor)


def _require_in_progress(item: AgendaItem) -> None:
    if item.meeting.state != MeetingState.IN_PROGRESS:
        raise ValidationError(_("Decisions are recorded only while the meeting is in progress."))


def _decided(item: AgendaItem, actor: Any, decision: str, text: str, notes: str) -> None:
    item.decision, item.decision_text = decision, (text or "").strip()
    if notes is not None:
        item.notes = (notes or "").strip()
    item.decided_by, item.decided_at = actor, timezone.now()
    _save(item, actor)


@transaction.atomic
def note_item(*, actor: Any, item: AgendaItem, expected_version: int, notes: str) -> AgendaItem:
    _require_manager(actor, item.meeting)
    _require_in_progress(item)
    claim_version(item, expected_version)
    item.notes = (notes or "").strip()
    return _save(item, actor)


# Which decisions fit which kind of item.
DECISIONS_FOR = {
    ItemKind.OBSTACLE: (Decision.RESOLVED, Decision.ESCALATED, Decision.NOTED),
    ItemKind.CHANGE: (Decision.APPROVED, Decision.REJECTED, Decision.NOTED),
    ItemKind.TARGET: (Decision.NOTED,),
    ItemKind.TASK: (Decision.NOTED,),
    ItemKind.CONCLUSION: (Decision.NOTED,),
    ItemKind.ROUTINE: (Decision.NOTED,),
    ItemKind.OTHER: (Decision.NOTED,),
}


@transaction.atomic
def decide_item(*, actor: Any, item: AgendaItem, expected_version: int, decision: str,
                text: str = "", notes: str | None = None) -> AgendaItem:
    """Record a decision on an item: resolve its obstacle with an answer, escalate it,
    approve or reject its change request (through the changes service and its authority), or
    note it. Tasks are created with `create_item_task`."""
    _require_manager(actor, item.meeting)
    _require_in_progress(item)
    if decision not in DECISIONS_FOR.get(item.kind, ()):  # type: ignore[call-overload]
        raise ValidationError({"decision": _("This decision does not fit this item.")})
    if decision == Decision.RESOLVED and not (text or "").strip():
        raise ValidationError({"text": _("Write the answer to the obstacle.")})
    if decision == Decision.REJECTED and not (text or "").strip():
        raise ValidationError({"text": _("Say why the change is rejected.")})
    claim_version(item, expected_version)
    if decision == Decision.RESOLVED:
        obstacle = Obstacle.objects.select_for_update().get(pk=_id(item.obstacle_id))
        answer_obstacle(actor=actor, obstacle=obstacle, expected_version=obstacle.version,
                        answer=text, resolve=True)
    elif decision == Decision.ESCALATED:
        obstacle = Obstacle.objects.select_for_update().get(pk=_id(item.obstacle_id))
        escalate_obstacle(actor=actor, obstacle=obstacle, expected_version=obstacle.version)
    elif decision in (Decision.APPROVED, Decision.REJECTED):
        change = ChangeRequest.objects.select_for_update().get(pk=_id(item.change_id))
        decide_change(actor=actor, change=change, expected_version=change.version,
                      approve=decision == Decision.APPROVED, comment=text)
    _decided(item, actor, decision, text, notes)  # type: ignore[arg-type]
    return item


def _id(value: int | None) -> int:
    """The id of what an item is about; its decisions exist only for items that have one."""
    if value is None:
        raise ValidationError({"decision": _("This decision does not fit this item.")})
    return value


def conclusion_of(meeting: Meeting, actor: Any) -> Any:
    """The meeting's conclusion (a program of kind "meeting conclusion"), made at its first
    task."""
    # Held under the meeting's row lock: two decisions at once make one conclusion.
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.conclusion_id:
        meeting.conclusion = locked.conclusion
        return locked.conclusion
    program = create_program(
        actor=actor, unit=meeting.unit, kind=ProgramKind.CONCLUSION,
        number=f"KL-{meeting.pk}", title=_("Conclusion of the meeting “%(title)s”")
        % {"title": meeting.title}, period_start=meeting.held_on,
        period_end=meeting.held_on + datetime.timedelta(days=365), issued_on=meeting.held_on)
    claim_version(locked, locked.version)
    locked.conclusion = program
    _save(locked, actor)
    meeting.conclusion, meeting.version = program, locked.version
    return program


@transaction.atomic
def create_item_task(*, actor: Any, item: AgendaItem, **fields: Any) -> tuple[Task, list[str]]:
    """A task decided on an item, owned by the meeting's conclusion, issued through the
    six-clears gate. A task with gaps is kept as a draft: the missing clears are returned
    (their words), and it is issued once they are complete."""
    _require_manager(actor, item.meeting)
    _require_in_progress(item)
    meeting = item.meeting
    program = conclusion_of(meeting, actor)
    if item.target_id and "targets" not in fields:
        fields["targets"] = [item.target]
    task = create_task(actor=actor, unit=meeting.unit, program=program, **fields)
    missing: list[str] = []
    try:
        with transaction.atomic():
            issue_task(actor=actor, task=task, expected_version=task.version)
    except SixClearsMissing as error:
        task.refresh_from_db()
        missing = [str(SIX_CLEAR_LABELS[key]) for key in error.error_dict]
    item.tasks_created.add(task)
    if item.decision in ("", Decision.NOTED, Decision.TASKS):
        claim_version(item, item.version)
        _decided(item, actor, Decision.TASKS, item.decision_text, None)  # type: ignore[arg-type]
    return task, missing


def remind_unclosed_meetings(today: datetime.date | None = None) -> int:
    """The periodic job: the organiser of a meeting held some days ago and not closed is
    reminded, once a week (the occasion makes a second run the same week tell nobody)."""
    today = today or timezone.localdate()
    held = Meeting.objects.filter(
        state__in=[MeetingState.OPEN, MeetingState.IN_PROGRESS],
        held_on__lte=today - datetime.timedelta(days=CLOSE_REMINDER_DAYS))
    count = 0
    for meeting in held:
        week = (today - meeting.held_on).days // 7
        with transaction.atomic():
            upkeep.happened(upkeep.Event.MEETING_NOT_CLOSED, recipients=[meeting.organiser_id],
                            occasion=f"meeting:{meeting.pk}:open:{week}",
                            subject=meeting.title, link=_link(meeting))
        count += 1
    return count
