"""The obstacle register and meetings in the API.

Reads go through `meetings.selectors` (an obstacle, meeting or agenda item the caller may not
see answers 404 like a missing one); every write calls the same `meetings.services` function
as the register and meeting pages, which check the roles (403), the states (400) and the
versions (409).
"""

import datetime

import django_filters as filters
from django import forms
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from sixclear.meetings import selectors, services
from sixclear.meetings.models import (
    WAITING,
    AgendaItem,
    Attendee,
    Decision,
    ItemKind,
    Meeting,
    MeetingKind,
    MeetingState,
    Obstacle,
    ObstacleState,
)
from sixclear.orgs.models import Unit
from sixclear.orgs.selectors import visible_units
from sixclear.plans.selectors import visible_targets
from sixclear.tracking.models import Priority
from sixclear.tracking.selectors import visible_tasks

from .filters import IdFilter, within_filter
from .idempotency import idempotent
from .serializers import (
    BoundedDate,
    ScopedPrimaryKey,
    TaskSerializer,
    VersionField,
    VersionOnly,
    person_field,
    text,
)
from .views import ReadOnly, documented

MAX_AGE_DAYS = 36_500

# Output


class ObstacleSerializer(serializers.ModelSerializer):
    waiting_for = serializers.SerializerMethodField(
        help_text=_("The unit it waits for: the one it was routed or escalated to, else its "
                    "own."))
    days_open = serializers.SerializerMethodField(
        help_text=_("Days from its report to today, or to its resolution."))

    class Meta:
        model = Obstacle
        fields = ["id", "unit", "task", "target", "report", "description", "help_asked",
                  "reported_by", "reported_at", "must_act", "waiting_for", "state",
                  "waiting_since", "escalations", "answer", "answered_by", "answered_at",
                  "resolved_at", "days_open", "version"]
        read_only_fields = fields

    def get_waiting_for(self, obstacle) -> int:
        return obstacle.must_act_id or obstacle.unit_id

    def get_days_open(self, obstacle) -> int:
        return obstacle.days_open()


class AttendeeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attendee
        fields = ["person", "invited_at", "confirmed_at", "amendment"]
        read_only_fields = fields


class AgendaItemSerializer(serializers.ModelSerializer):
    # Declared: a read-only model field loses `allow_blank`, and an item not decided has "".
    decision = serializers.ChoiceField(Decision.choices, allow_blank=True, read_only=True)
    decisions = serializers.SerializerMethodField(
        help_text=_("The decisions that fit this item (`decide`)."))
    in_appendix = serializers.BooleanField(
        read_only=True, help_text=_("Routine progress: not discussed, no decision."))

    class Meta:
        model = AgendaItem
        fields = ["id", "meeting", "position", "kind", "impact", "title", "obstacle", "task",
                  "target", "change", "carried_from", "notes", "decision", "decision_text",
                  "decided_by", "decided_at", "tasks_created", "decisions", "in_appendix",
                  "version"]
        read_only_fields = fields

    def get_decisions(self, item) -> list[str]:
        return [str(value) for value in services.DECISIONS_FOR.get(item.kind, ())]


class MeetingSerializer(serializers.ModelSerializer):
    attendees = AttendeeSerializer(many=True, read_only=True)
    items = AgendaItemSerializer(many=True, read_only=True,
                                 help_text=_("The agenda, in order of impact."))

    class Meta:
        model = Meeting
        fields = ["id", "unit", "kind", "title", "topic", "with_unit", "held_on", "organiser",
                  "state", "started_at", "closed_at", "conclusion", "created_at", "attendees",
                  "items", "version"]
        read_only_fields = fields


# Input


class ObstacleCreate(serializers.Serializer):
    task = ScopedPrimaryKey(scope=visible_tasks, required=False, allow_null=True)
    target = ScopedPrimaryKey(scope=visible_targets, required=False, allow_null=True)
    description = text(20000, required=True)
    help_asked = text(20000)

    def validate(self, attrs):
        if (attrs.get("task") is None) == (attrs.get("target") is None):
            raise serializers.ValidationError(_("Name exactly one task or one target."))
        return attrs


def active_units():
    return Unit.objects.filter(is_active=True)


class ObstacleRoute(serializers.Serializer):
    version = VersionField()
    must_act = ScopedPrimaryKey(
        queryset=active_units(),
        help_text=_("A unit in the line of the level it waits for: above it or below it."))


class ObstacleAnswer(serializers.Serializer):
    version = VersionField()
    answer = text(20000, required=True)


class MeetingCreate(serializers.Serializer):
    unit = ScopedPrimaryKey(scope=visible_units)
    kind = serializers.ChoiceField(MeetingKind.choices)
    title = text(300, required=True)
    held_on = BoundedDate()
    topic = text(20000)
    with_unit = ScopedPrimaryKey(queryset=active_units(), required=False, allow_null=True)
    attendees = person_field(many=True, required=False)


class AgendaItemAdd(serializers.Serializer):
    title = text(500, required=True)


class MinutesConfirm(serializers.Serializer):
    amendment = text(20000)


class AgendaItemNotes(serializers.Serializer):
    version = VersionField()
    notes = text(20000)


class AgendaItemDecision(serializers.Serializer):
    version = VersionField()
    decision = serializers.ChoiceField(Decision.choices)
    notes = text(20000, allow_null=True,
                 help_text=_("The item's notes; left out, the notes are kept."))
    text = text(20000, help_text=_("The answer to an obstacle, the reason a change is "
                                   "rejected, or a comment."))


class AgendaItemTaskCreate(serializers.Serializer):
    """A task decided on the item; what is left out is a missing clear, kept as a draft."""

    title = text(500, required=True)
    code = text(60)
    description = text(20000)
    owner = person_field(required=False, allow_null=True)
    lead_unit = ScopedPrimaryKey(queryset=active_units(), required=False, allow_null=True)
    coordinating_units = ScopedPrimaryKey(queryset=active_units(), many=True, required=False)
    start_date = BoundedDate(required=False, allow_null=True)
    deadline = BoundedDate(required=False, allow_null=True)
    expected_result = text(20000)
    authority = person_field(required=False, allow_null=True)
    authority_body = text(300)
    priority = serializers.ChoiceField(Priority.choices, required=False)


# Filters


@extend_schema_field({"type": "integer", "minimum": 0, "maximum": MAX_AGE_DAYS})
class DaysFilter(filters.Filter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_AGE_DAYS)
        super().__init__(*args, **kwargs)


class ObstacleFilter(filters.FilterSet):
    state = filters.ChoiceFilter(choices=ObstacleState.choices)
    waiting = filters.BooleanFilter(
        method="filter_waiting",
        help_text=_("Only obstacles waiting for an answer (open, assigned or escalated)."))
    unit = IdFilter(field_name="unit_id", help_text=_("The unit that reported it."))
    within = within_filter()
    waiting_for_unit = IdFilter(
        method="filter_waiting_for",
        help_text=_("The unit it waits for: routed or escalated to it, or its own not yet "
                    "routed."))
    task = IdFilter(field_name="task_id")
    target = IdFilter(field_name="target_id")
    age = DaysFilter(method="filter_age",
                     help_text=_("Only obstacles reported at least this many days ago."))

    class Meta:
        model = Obstacle
        fields = []

    def filter_waiting(self, queryset, name, value):
        if value:
            return queryset.filter(state__in=WAITING)
        return queryset.exclude(state__in=WAITING)

    def filter_waiting_for(self, queryset, name, value):
        return queryset.filter(selectors.waiting_at(value))

    def filter_age(self, queryset, name, value):
        since = timezone.localdate() - datetime.timedelta(days=value)
        return queryset.filter(reported_at__date__lte=since)


class MeetingFilter(filters.FilterSet):
    unit = IdFilter(field_name="unit_id")
    within = within_filter()
    with_unit = IdFilter(field_name="with_unit_id")
    kind = filters.ChoiceFilter(choices=MeetingKind.choices)
    state = filters.ChoiceFilter(choices=MeetingState.choices)
    held_after = filters.DateFilter(field_name="held_on", lookup_expr="gte")
    held_before = filters.DateFilter(field_name="held_on", lookup_expr="lte")

    class Meta:
        model = Meeting
        fields = []


class AgendaItemFilter(filters.FilterSet):
    meeting = IdFilter(field_name="meeting_id")
    kind = filters.ChoiceFilter(choices=ItemKind.choices)
    obstacle = IdFilter(field_name="obstacle_id")
    decided = filters.BooleanFilter(method="filter_decided")

    class Meta:
        model = AgendaItem
        fields = []

    def filter_decided(self, queryset, name, value):
        if value:
            return queryset.exclude(decision="")
        return queryset.filter(decision="")


# Endpoints


@documented(ObstacleSerializer, create=(ObstacleCreate, 201), route=(ObstacleRoute, 200),
            answer=(ObstacleAnswer, 200), escalate=(VersionOnly, 200),
            resolve=(VersionOnly, 200))
class ObstacleViewSet(mixins.CreateModelMixin, ReadOnly):
    """The obstacle register: what blocks a task or a target, the help asked for, the unit
    that must act. open → assigned (routed) → answered → resolved; escalated climbs a level."""

    output = ObstacleSerializer
    inputs = {"create": ObstacleCreate, "route": ObstacleRoute, "answer": ObstacleAnswer,
              "escalate": VersionOnly, "resolve": VersionOnly}
    filterset_class = ObstacleFilter
    ordering_fields = ("id", "reported_at", "waiting_since")
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return selectors.visible_obstacles(self.request.user).order_by()

    @idempotent
    def create(self, request, *args, **kwargs):
        """Raise an obstacle on a task or a target you may see: its owner, its responsible
        person, or an officer of its unit."""
        data = self.validated()
        obstacle = services.raise_obstacle(actor=request.user, **data)
        return self.show(obstacle, status.HTTP_201_CREATED)

    def _obstacle(self):
        return self.get_object()

    @action(detail=True, methods=["post"])
    @idempotent
    def route(self, request, *args, **kwargs):
        """Name the unit that must act (a manager of the unit it waits for); it is told."""
        obstacle, data = self._obstacle(), self.validated()
        services.route_obstacle(actor=request.user, obstacle=obstacle,
                                expected_version=data["version"], must_act=data["must_act"])
        return self.show(obstacle)

    @action(detail=True, methods=["post"])
    @idempotent
    def answer(self, request, *args, **kwargs):
        """Answer it (a manager of the unit it waits for); the reporter is told."""
        obstacle, data = self._obstacle(), self.validated()
        services.answer_obstacle(actor=request.user, obstacle=obstacle,
                                 expected_version=data["version"], answer=data["answer"])
        return self.show(obstacle)

    @action(detail=True, methods=["post"])
    @idempotent
    def escalate(self, request, *args, **kwargs):
        """Send it to the level above the one it waits for (a manager of that unit)."""
        obstacle, data = self._obstacle(), self.validated()
        services.escalate_obstacle(actor=request.user, obstacle=obstacle,
                                   expected_version=data["version"])
        return self.show(obstacle)

    @action(detail=True, methods=["post"])
    @idempotent
    def resolve(self, request, *args, **kwargs):
        """Close an answered obstacle (its reporter or a manager of its unit)."""
        obstacle, data = self._obstacle(), self.validated()
        services.resolve_obstacle(actor=request.user, obstacle=obstacle,
                                  expected_version=data["version"])
        return self.show(obstacle)


def meeting_moves():
    return {"open": services.open_meeting, "start": services.start_meeting,
            "close": services.close_meeting}


@documented(MeetingSerializer, create=(MeetingCreate, 201), open=(VersionOnly, 200),
            start=(VersionOnly, 200), close=(VersionOnly, 200),
            add_item=(AgendaItemAdd, 201), confirm=(MinutesConfirm, 200))
class MeetingViewSet(mixins.CreateModelMixin, ReadOnly):
    """Meetings of the caller's units (and those they attend), with their attendees and their
    agenda in order of impact. draft → open → in progress → closed."""

    output = MeetingSerializer
    inputs = {"create": MeetingCreate, "open": VersionOnly, "start": VersionOnly,
              "close": VersionOnly, "add_item": AgendaItemAdd, "confirm": MinutesConfirm}
    filterset_class = MeetingFilter
    ordering_fields = ("id", "held_on")
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        items = AgendaItem.objects.order_by("position").prefetch_related("tasks_created")
        return (selectors.visible_meetings(self.request.user)
                .prefetch_related(Prefetch("items", queryset=items), "attendees").order_by())

    @idempotent
    def create(self, request, *args, **kwargs):
        """Schedule a meeting (a manager or leader of its unit): it is a draft, its agenda
        drafted at once from what waits for its level."""
        data = self.validated()
        data["attendees"] = data.get("attendees", [])
        meeting = services.schedule_meeting(actor=request.user, **data)
        return self.show(meeting, status.HTTP_201_CREATED)

    def _move(self, name):
        meeting, data = self.get_object(), self.validated()
        meeting_moves()[name](actor=self.request.user, meeting=meeting,
                              expected_version=data["version"])
        return self.show(meeting)

    @action(detail=True, methods=["post"])
    @idempotent
    def open(self, request, *args, **kwargs):
        """Publish the agenda: the attendees are invited."""
        return self._move("open")

    @action(detail=True, methods=["post"])
    @idempotent
    def start(self, request, *args, **kwargs):
        """The meeting begins: decisions are recorded from now on."""
        return self._move("start")

    @action(detail=True, methods=["post"])
    @idempotent
    def close(self, request, *args, **kwargs):
        """Close it (read-only from now on): what it did not reach goes to the next meeting of
        its series; the attendees are asked to confirm the minutes."""
        return self._move("close")

    @action(detail=True, methods=["post"], url_path="items")
    @idempotent
    def add_item(self, request, *args, **kwargs):
        """Add another matter to the agenda by hand (before or during the meeting)."""
        meeting, data = self.get_object(), self.validated()
        services.add_item(actor=request.user, meeting=meeting, title=data["title"])
        return self.show(meeting, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    @idempotent
    def confirm(self, request, *args, **kwargs):
        """An attendee confirms the minutes of a closed meeting, with an amendment if any."""
        meeting, data = self.get_object(), self.validated()
        services.confirm_minutes(actor=request.user, meeting=meeting,
                                 amendment=data.get("amendment", ""))
        return self.show(meeting)


@documented(AgendaItemSerializer, notes=(AgendaItemNotes, 200),
            decide=(AgendaItemDecision, 200))
class AgendaItemViewSet(ReadOnly):
    """The agenda items of the meetings the caller may see; while a meeting is in progress its
    managers record notes and decisions and create tasks on them."""

    output = AgendaItemSerializer
    inputs = {"notes": AgendaItemNotes, "decide": AgendaItemDecision,
              "tasks": AgendaItemTaskCreate}
    filterset_class = AgendaItemFilter
    ordering_fields = ("id", "position")

    def get_queryset(self):
        return (selectors.visible_agenda_items(self.request.user)
                .select_related("meeting", "meeting__unit", "obstacle", "change")
                .prefetch_related("tasks_created").order_by())

    @action(detail=True, methods=["post"])
    @idempotent
    def notes(self, request, *args, **kwargs):
        """Record the item's notes (a manager of the meeting's unit, while it is in
        progress)."""
        item, data = self.get_object(), self.validated()
        services.note_item(actor=request.user, item=item, expected_version=data["version"],
                           notes=data.get("notes", ""))
        return self.show(item)

    @action(detail=True, methods=["post"])
    @idempotent
    def decide(self, request, *args, **kwargs):
        """Record a decision: resolve the obstacle with an answer, escalate it, approve or
        reject the change request (by its authority), or note the item."""
        item, data = self.get_object(), self.validated()
        services.decide_item(actor=request.user, item=item, expected_version=data["version"],
                             decision=data["decision"], text=data.get("text", ""),
                             notes=data.get("notes"))
        return self.show(item)

    @extend_schema(request=AgendaItemTaskCreate, responses={201: TaskSerializer})
    @action(detail=True, methods=["post"])
    @idempotent
    def tasks(self, request, *args, **kwargs):
        """Create a task decided on the item, in the meeting's conclusion, and issue it; a task
        with gaps in its six clears is kept as a draft and `missing_clears` names them."""
        item, data = self.get_object(), self.validated()
        task, _missing = services.create_item_task(actor=request.user, item=item, **data)
        fresh = (visible_tasks(request.user).select_related("health")
                 .prefetch_related("coordinating_units", "targets").filter(pk=task.pk).first())
        return Response(TaskSerializer(fresh or task, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED,
                        headers={"Location": reverse("api:task-detail", args=[task.pk])})
