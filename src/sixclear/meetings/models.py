"""The obstacle register and the meetings built from it.

An obstacle is what blocks a task or a target, with the help asked for: reported with progress
or raised directly, routed by a manager to the unit that can solve it, answered there (or
escalated to the level above when nobody answers in time), then resolved. A meeting takes up
what waits for its level, ordered by impact; its decisions resolve obstacles, decide change
requests and create tasks owned by the meeting's conclusion.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from sixclear.changes.models import ChangeRequest
from sixclear.orgs.models import Unit
from sixclear.plans.models import Program, Target
from sixclear.tracking.models import ProgressReport, Task
from sixclear.versioning import VersionedModel


class ObstacleState(models.TextChoices):
    OPEN = "open", pgettext_lazy("obstacle state", "Open")
    ASSIGNED = "assigned", _("Assigned")
    ESCALATED = "escalated", _("Escalated")
    ANSWERED = "answered", _("Answered")
    RESOLVED = "resolved", _("Resolved")


# The states in which an obstacle waits for someone to answer it.
WAITING = (ObstacleState.OPEN, ObstacleState.ASSIGNED, ObstacleState.ESCALATED)

# The state machine: which state each action leads to, from which states.
OBSTACLE_TRANSITIONS = {
    "assign": (WAITING, ObstacleState.ASSIGNED),
    "escalate": (WAITING, ObstacleState.ESCALATED),
    "answer": (WAITING, ObstacleState.ANSWERED),
    "resolve": ((*WAITING, ObstacleState.ANSWERED), ObstacleState.RESOLVED),
}


class ObstaclePolicy(VersionedModel):
    """How long a unit has to answer an obstacle routed to it before it climbs to the level
    above; sub-units without their own follow the nearest one above."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="obstacle_policy")
    answer_within_days = models.PositiveSmallIntegerField(
        _("days to answer an obstacle"), default=7, validators=[MinValueValidator(1)],
        help_text=_("An obstacle not answered within this many days is escalated to the "
                    "level above."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("obstacle policy")
        verbose_name_plural = _("obstacle policies")
        constraints = [models.CheckConstraint(condition=models.Q(answer_within_days__gte=1),
                                              name="answer_within_at_least_a_day")]

    def __str__(self):
        return str(self.unit)


DEFAULT_ANSWER_WITHIN_DAYS = 7


class Obstacle(VersionedModel):
    unit = models.ForeignKey(
        Unit, verbose_name=_("reporting unit"), on_delete=models.PROTECT,
        related_name="obstacles")
    task = models.ForeignKey(
        Task, verbose_name=_("task blocked"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="obstacle_records")
    target = models.ForeignKey(
        Target, verbose_name=_("target blocked"), on_delete=models.CASCADE, null=True,
        blank=True, related_name="obstacles")
    report = models.OneToOneField(
        ProgressReport, verbose_name=_("progress report"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="obstacle_record")
    description = models.TextField(_("what blocks the work"))
    help_asked = models.TextField(_("help asked for"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.PROTECT,
        related_name="obstacles_reported")
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)
    must_act = models.ForeignKey(
        Unit, verbose_name=_("unit that must act"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="obstacles_to_answer")
    state = models.CharField(_("state"), max_length=10, choices=ObstacleState.choices,
                             default=ObstacleState.OPEN)
    waiting_since = models.DateField(
        _("waiting at this level since"), default=timezone.localdate)
    escalations = models.PositiveSmallIntegerField(_("times escalated"), default=0)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("answered by"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("obstacle")
        verbose_name_plural = _("obstacles")
        ordering = ["-reported_at", "-pk"]
        indexes = [
            models.Index(fields=["must_act", "state"], name="obstacle_waiting_at"),
            models.Index(fields=["unit", "state"], name="obstacle_unit_state"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(task__isnull=False, target__isnull=True)
                | models.Q(task__isnull=True, target__isnull=False),
                name="obstacle_blocks_a_task_or_a_target"),
        ]

    def __str__(self):
        return self.description[:80]

    @property
    def blocks(self):
        return self.task if self.task_id else self.target

    @property
    def is_waiting(self):
        return self.state in WAITING

    def days_open(self, today=None):
        today = today or timezone.localdate()
        end = timezone.localdate(self.resolved_at) if self.resolved_at else today
        return max((end - timezone.localdate(self.reported_at)).days, 0)


class MeetingKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly review")
    THEMATIC = "thematic", _("Thematic meeting")
    WORKING = "working", _("Working session with a unit")


class MeetingState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", pgettext_lazy("meeting state", "Open")
    IN_PROGRESS = "in_progress", pgettext_lazy("meeting state", "In progress")
    CLOSED = "closed", _("Closed")


MEETING_TRANSITIONS = {
    "open": (MeetingState.DRAFT, MeetingState.OPEN),
    "start": (MeetingState.OPEN, MeetingState.IN_PROGRESS),
    "close": (MeetingState.IN_PROGRESS, MeetingState.CLOSED),
}


class Meeting(VersionedModel):
    """A meeting of a unit's leadership. Meetings of one unit and kind form a series: what one
    does not reach goes to the next."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="meetings")
    kind = models.CharField(_("kind"), max_length=12, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=300)
    topic = models.TextField(_("topic"), blank=True)
    with_unit = models.ForeignKey(
        Unit, verbose_name=_("working with"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="working_sessions",
        help_text=_("For a working session: the unit whose work is reviewed."))
    held_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("organiser"), on_delete=models.PROTECT,
        related_name="meetings_organised")
    state = models.CharField(_("state"), max_length=12, choices=MeetingState.choices,
                             default=MeetingState.DRAFT)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    conclusion = models.OneToOneField(
        Program, verbose_name=_("conclusion"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="meeting")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["unit", "kind", "held_on"], name="meeting_series")]

    def __str__(self):
        return self.title

    @property
    def scope_unit(self):
        return self.with_unit or self.unit

    @property
    def is_closed(self):
        return self.state == MeetingState.CLOSED


class Attendee(models.Model):
    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="attendees")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"),
                               on_delete=models.PROTECT, related_name="meetings_attended")
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("minutes confirmed at"), null=True, blank=True)
    amendment = models.TextField(_("amendment to the minutes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        constraints = [models.UniqueConstraint(fields=["meeting", "person"],
                                               name="attend_once")]

    def __str__(self):
        return f"{self.person} · {self.meeting}"


class ItemKind(models.TextChoices):
    OBSTACLE = "obstacle", _("Obstacle waiting for this level")
    CONCLUSION = "conclusion", _("Earlier conclusion not yet done")
    TARGET = "target", _("Target off its trajectory")
    TASK = "task", _("Task late")
    CHANGE = "change", _("Change request waiting")
    ROUTINE = "routine", _("Routine progress")
    OTHER = "other", _("Other matter")


class Decision(models.TextChoices):
    RESOLVED = "resolved", _("Obstacle resolved")
    ESCALATED = "escalated", _("Escalated to the level above")
    APPROVED = "approved", _("Change approved")
    REJECTED = "rejected", _("Change rejected")
    TASKS = "tasks", _("Tasks assigned")
    NOTED = "noted", _("Noted")


class AgendaItem(VersionedModel):
    """One matter of a meeting, drafted by Sixclear or added by hand. Routine items form the
    appendix nobody reads aloud."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="items")
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    impact = models.PositiveIntegerField(_("impact"), default=0)
    title = models.CharField(_("title"), max_length=500)
    obstacle = models.ForeignKey(Obstacle, verbose_name=_("obstacle"), on_delete=models.CASCADE,
                                 null=True, blank=True, related_name="agenda_items")
    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, null=True,
                             blank=True, related_name="agenda_items")
    target = models.ForeignKey(Target, verbose_name=_("target"), on_delete=models.CASCADE,
                               null=True, blank=True, related_name="agenda_items")
    change = models.ForeignKey(ChangeRequest, verbose_name=_("change request"),
                               on_delete=models.CASCADE, null=True, blank=True,
                               related_name="agenda_items")
    carried_from = models.ForeignKey(
        "self", verbose_name=_("carried from"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="carried_to")
    notes = models.TextField(_("notes"), blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices,
                                blank=True)
    decision_text = models.TextField(_("what was decided"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    tasks_created = models.ManyToManyField(Task, verbose_name=_("tasks created"), blank=True,
                                           related_name="decided_in")
    history = HistoricalRecords(m2m_fields=[tasks_created])

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="agenda_position"),
            models.UniqueConstraint(fields=["meeting", "carried_from"],
                                    condition=models.Q(carried_from__isnull=False),
                                    name="carry_once"),
        ]

    def __str__(self):
        return self.title

    @property
    def in_appendix(self):
        return self.kind == ItemKind.ROUTINE

    @property
    def reached(self):
        return bool(self.decision)
