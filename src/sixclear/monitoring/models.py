"""What monitoring computes. Nothing here is typed by a person: the scan writes it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sixclear.orgs.models import Unit
from sixclear.plans.models import Target
from sixclear.tracking.models import Task
from sixclear.versioning import VersionedModel


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    LATE = "late", _("Late")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class TargetStatus(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    BEHIND = "behind", _("Behind")
    OFF_TRACK = "off_track", _("Off track")
    NO_DATA = "no_data", _("No data")


def parse_day_list(text):
    return sorted({int(part) for part in text.replace(" ", "").split(",") if part})


def validate_day_list(text):
    try:
        days = parse_day_list(text)
    except ValueError:
        days = None
    if not days or any(day < 0 or day > 365 for day in days):
        raise ValidationError(_("Write whole numbers of days from 0 to 365, separated by commas."))


class MonitoringPolicy(VersionedModel):
    """A unit's monitoring settings; sub-units without their own inherit the nearest above."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="monitoring_policy"
    )
    tolerance_percent = models.DecimalField(
        _("tolerance for targets (%)"), max_digits=5, decimal_places=2, default=5,
        help_text=_("A target this close below its trajectory is behind, further is off track."),
    )
    at_risk_window_days = models.PositiveSmallIntegerField(
        _("days before a deadline to check progress"), default=14,
        help_text=_("Within this many days of its deadline, a task behind schedule is at risk."),
    )
    progress_slack_percent = models.PositiveSmallIntegerField(
        _("allowed progress lag (percentage points)"), default=10,
    )
    reporting_period_days = models.PositiveSmallIntegerField(
        _("reporting period (days)"), default=30,
        help_text=_("An owner who has not reported for this long makes the task stale."),
    )
    reminder_days = models.CharField(
        _("reminders before a deadline (days)"), max_length=60, default="7,1",
        validators=[validate_day_list],
        help_text=_("Comma-separated, e.g. 7,1. Owners are also reminded on the day."),
    )
    escalation_days = models.CharField(
        _("escalation after a deadline (days late)"), max_length=60, default="1,3,7,14",
        validators=[validate_day_list],
        help_text=_("Days late at which the owner, the lead unit's managers, the approving "
                    "authority and the superior unit's leaders are told, in that order."),
    )
    late_reminder_every_days = models.PositiveSmallIntegerField(
        _("remind the owner of a late task every (days)"), default=1,
        help_text=_("The owner of a late task is told again this often until it is done; "
                    "0 tells them only when it becomes late."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("monitoring policy")
        verbose_name_plural = _("monitoring policies")

    def __str__(self):
        return str(self.unit)


DEFAULT_POLICY = MonitoringPolicy(
    tolerance_percent=5, at_risk_window_days=14, progress_slack_percent=10,
    reporting_period_days=30, reminder_days="7,1", escalation_days="1,3,7,14",
    late_reminder_every_days=1,
)


class TaskHealth(models.Model):
    """The computed status of an issued, done or cancelled task, with what it rests on."""

    task = models.OneToOneField(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, primary_key=True,
        related_name="health",
    )
    status = models.CharField(_("status"), max_length=12, choices=TaskStatus.choices)
    stale = models.BooleanField(_("stale"), default=False)
    last_report_date = models.DateField(_("last report"), null=True, blank=True)
    last_percent = models.PositiveSmallIntegerField(_("last reported percent"), null=True)
    has_open_obstacle = models.BooleanField(_("open obstacle"), default=False)
    late_steps = models.PositiveIntegerField(_("late steps"), default=0)
    changed_on = models.DateField(_("status changed on"))

    class Meta:
        verbose_name = _("task status")
        verbose_name_plural = _("task statuses")
        indexes = [
            models.Index(fields=["status"], name="taskhealth_status"),
            # Dashboards list the latest open obstacles of a subtree: read in this order.
            models.Index(fields=["-last_report_date", "-task"], name="taskhealth_obstacles",
                         condition=models.Q(has_open_obstacle=True)),
        ]

    def __str__(self):
        return f"{self.task_id}: {self.status}"


class TargetHealth(models.Model):
    """A target's latest approved value against the trajectory expected for its period."""

    target = models.OneToOneField(
        Target, verbose_name=_("target"), on_delete=models.CASCADE, primary_key=True,
        related_name="health",
    )
    status = models.CharField(_("status"), max_length=12, choices=TargetStatus.choices)
    year = models.PositiveSmallIntegerField(_("year"), null=True)
    period_kind = models.CharField(_("period"), max_length=10, blank=True)
    period_number = models.PositiveSmallIntegerField(_("quarter or month"), default=0)
    actual = models.DecimalField(_("actual"), max_digits=20, decimal_places=4, null=True)
    expected = models.DecimalField(_("expected"), max_digits=20, decimal_places=4, null=True)
    expected_high = models.DecimalField(
        _("expected upper value"), max_digits=20, decimal_places=4, null=True
    )
    gap = models.DecimalField(_("gap"), max_digits=20, decimal_places=4, null=True)
    gap_percent = models.DecimalField(_("gap (%)"), max_digits=12, decimal_places=2, null=True)
    changed_on = models.DateField(_("status changed on"))

    class Meta:
        verbose_name = _("target status")
        verbose_name_plural = _("target statuses")
        indexes = [
            models.Index(fields=["status"], name="targethealth_status"),
            # Dashboards list the most off-track targets of a subtree: read in this order.
            models.Index(fields=["gap_percent", "target"], name="targethealth_worst",
                         condition=models.Q(status="off_track")),
        ]

    def __str__(self):
        return f"{self.target_id}: {self.status}"


class MonitoringRun(models.Model):
    """One scan: when it ran and how much it changed, so operators can see it is alive."""

    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True)
    today = models.DateField(_("as of"))
    tasks_changed = models.PositiveIntegerField(_("task statuses changed"), default=0)
    targets_changed = models.PositiveIntegerField(_("target statuses changed"), default=0)

    class Meta:
        verbose_name = _("monitoring run")
        verbose_name_plural = _("monitoring runs")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.today}: {self.tasks_changed} tasks, {self.targets_changed} targets"


class NotificationKind(models.TextChoices):
    DEADLINE_SOON = "deadline_soon", _("Deadline approaching")
    DEADLINE_TODAY = "deadline_today", _("Deadline today")
    LATE = "late", _("Task late")
    REPORT_DUE = "report_due", _("Progress report due")
    REVIEW_DONE = "review_done", _("Report reviewed")
    CHANGE_REQUESTED = "change_requested", _("Change requested")
    CHANGE_DECIDED = "change_decided", _("Change decided")
    # What happened to a person's work (`upkeep.Event`), told as it happens.
    REPORT_APPROVED = "report_approved", _("Report approved")
    REPORT_RETURNED = "report_returned", _("Report returned")
    VALUE_APPROVED = "value_approved", _("Value approved")
    VALUE_RETURNED = "value_returned", _("Value returned")
    TASK_ISSUED = "task_issued", _("Task issued")
    TASK_ASSIGNED = "task_assigned", _("Task assigned")
    CHANGE_APPROVED = "change_approved", _("Change approved")
    CHANGE_REJECTED = "change_rejected", _("Change rejected")
    # Cases through work procedures, named by the notification's subject.
    CASE_HANDED_OVER = "case_handed_over", _("Case handed over")
    CASE_STEP_LATE = "case_step_late", _("Case step late")
    CASE_STEP_ESCALATED = "case_step_escalated", _("Late case step escalated")
    # The obstacle register and meetings (`sixclear.meetings`).
    OBSTACLE_ASSIGNED = "obstacle_assigned", _("Obstacle to answer")
    OBSTACLE_ESCALATED = "obstacle_escalated", _("Obstacle escalated")
    OBSTACLE_ANSWERED = "obstacle_answered", _("Obstacle answered")
    MEETING_INVITED = "meeting_invited", _("Meeting invitation")
    MEETING_NOT_CLOSED = "meeting_not_closed", _("Meeting not closed")
    MINUTES_TO_CONFIRM = "minutes_to_confirm", _("Minutes to confirm")
    NOTICE_PUBLISHED = "notice_published", _("Conclusion notice published")


# The reminders of the daily scan: a person hears about one task at most once a day, the most
# pressing of these (earlier in the list wins).
REMINDER_KINDS = [NotificationKind.LATE, NotificationKind.DEADLINE_TODAY,
                  NotificationKind.DEADLINE_SOON, NotificationKind.REPORT_DUE]


class TaskEscalation(models.Model):
    """How far a late task's escalation has climbed for its deadline: step 0 is the owner, then
    the lead unit's managers, the approving authority, the superior unit's leaders. A step is
    reached only after the one before it, as many days later as the policy spaces them, so a
    task found late long after its deadline is still told to its owner first."""

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="escalations",
    )
    deadline = models.DateField(_("deadline"))
    step = models.PositiveSmallIntegerField(_("escalation step"))
    reached_on = models.DateField(_("reached on"))

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        constraints = [models.UniqueConstraint(fields=["task", "deadline", "step"],
                                               name="escalate_once")]

    def __str__(self):
        return f"{self.task_id}: {self.step} on {self.reached_on}"


class Notification(models.Model):
    """Something a person should know. Words are rendered in the reader's language when shown.

    `dedupe_key` is unique per recipient, so nobody receives the same reminder twice.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="notifications",
    )
    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="notifications",
    )
    step = models.PositiveSmallIntegerField(_("escalation step"), default=0)
    days = models.IntegerField(_("days"), default=0)
    # What it is about when it is neither a task nor a target (a case), and its page.
    subject = models.CharField(_("subject"), max_length=600, blank=True)
    link = models.CharField(_("link"), max_length=200, blank=True)
    dedupe_key = models.CharField(max_length=120)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedupe_key"], name="notify_once")
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["emailed_at"], name="notification_unsent"),
        ]

    def __str__(self):
        return f"{self.recipient}: {self.kind}"
