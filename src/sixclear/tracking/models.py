from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sixclear.orgs.models import Unit
from sixclear.plans.models import Program, ProgramSection, Resolution, ResolutionItem, Target
from sixclear.versioning import VersionedModel


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class TaskState(models.TextChoices):
    """Where a task is in its life; monitoring derives late, at risk and so on from it."""

    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


# The six clears, in the order people say them, with the words shown when one is missing.
SIX_CLEARS = [
    ("person", _("clear person: nobody owns the task")),
    # A title is required, so what is missing for clear work is its description: saying "the
    # title or the description" made people look for a title that was there.
    ("work", _("clear work: the work is not described (no description)")),
    ("deadline", _("clear deadline: there is no deadline")),
    ("responsibility", _("clear responsibility: there is no lead unit")),
    ("result", _("clear result: the expected product is not stated")),
    ("authority", _("clear authority: nobody is named to approve it")),
]
SIX_CLEAR_LABELS = dict(SIX_CLEARS)


class Task(VersionedModel):
    """A unit of work that must satisfy the six clears before it is issued."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="tasks",
        help_text=_("The unit whose resolution, program or plan the task belongs to."),
    )
    code = models.CharField(_("code"), max_length=60, blank=True)
    # Clear work
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    # Clear person
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_tasks",
        null=True,
        blank=True,
    )
    # Clear responsibility
    lead_unit = models.ForeignKey(
        Unit,
        verbose_name=_("lead unit"),
        on_delete=models.PROTECT,
        related_name="led_tasks",
        null=True,
        blank=True,
    )
    coordinating_units = models.ManyToManyField(
        Unit, verbose_name=_("coordinating units"), related_name="coordinated_tasks", blank=True
    )
    # Clear deadline
    start_date = models.DateField(_("start date"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    # Clear result
    expected_result = models.TextField(
        _("expected result"), blank=True, help_text=_("The product that proves the task done.")
    )
    # Clear authority
    authority = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approving person"),
        on_delete=models.PROTECT,
        related_name="tasks_to_approve",
        null=True,
        blank=True,
    )
    authority_body = models.CharField(
        _("approving body"),
        max_length=300,
        blank=True,
        help_text=_("For example: Standing Committee of the Party Committee"),
    )
    # Where it comes from and what it serves
    resolution = models.ForeignKey(
        Resolution,
        verbose_name=_("resolution"),
        on_delete=models.PROTECT,
        related_name="tasks",
        null=True,
        blank=True,
    )
    program = models.ForeignKey(
        Program,
        verbose_name=_("program, plan, conclusion or decision"),
        on_delete=models.PROTECT,
        related_name="tasks",
        null=True,
        blank=True,
    )
    task_group = models.ForeignKey(
        ResolutionItem,
        verbose_name=_("task group"),
        on_delete=models.SET_NULL,
        related_name="tasks",
        null=True,
        blank=True,
        limit_choices_to={"kind": "task_group"},
    )
    program_section = models.ForeignKey(
        ProgramSection,
        verbose_name=_("section of its program"),
        on_delete=models.SET_NULL,
        related_name="tasks",
        null=True,
        blank=True,
    )
    targets = models.ManyToManyField(
        Target, verbose_name=_("targets served"), related_name="tasks", blank=True
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent task"),
        on_delete=models.CASCADE,
        related_name="subtasks",
        null=True,
        blank=True,
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    state = models.CharField(
        _("state"), max_length=10, choices=TaskState.choices, default=TaskState.DRAFT
    )
    percent_complete = models.PositiveSmallIntegerField(_("percent complete"), default=0)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[coordinating_units, targets])

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["deadline", "pk"]
        indexes = [
            models.Index(fields=["unit", "state", "deadline"], name="task_unit_state_deadline"),
            models.Index(fields=["owner", "state"], name="task_owner_state"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "code"],
                condition=~models.Q(code=""),
                name="task_code_per_unit",
            ),
            models.CheckConstraint(
                condition=models.Q(percent_complete__lte=100), name="task_percent_at_most_100"
            ),
        ]

    def __str__(self):
        return self.title

    # The lead units this instance was read or saved with: a write that hands the task to
    # another lead unit recounts the rollups of the old one too (`rollup_unit_ids`).
    @classmethod
    def from_db(cls, db, field_names, values):
        task = super().from_db(db, field_names, values)
        task._lead_units_held = {task.__dict__.get("lead_unit_id")}
        return task

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.__dict__.setdefault("_lead_units_held", set()).add(self.lead_unit_id)

    @property
    def rollup_unit_ids(self):
        """The units whose rollups may count this task, before and after a write: its owning
        unit and every lead unit it was read or saved with (a task is counted at its lead unit
        when that lies below its owning unit: `tracking.selectors.counted_unit_id`)."""
        held = self.__dict__.get("_lead_units_held", set())
        return {self.unit_id, self.lead_unit_id, *held} - {None}

    @property
    def source(self):
        """Where the task comes from: its program's kind, else its resolution."""
        if self.program_id:
            return self.program.get_kind_display()
        if self.resolution_id:
            return _("Resolution")
        return _("Unit plan")

    def missing_clears(self):
        """The keys of the six clears this task does not yet satisfy, in their usual order."""
        present = {
            "person": self.owner_id is not None,
            "work": bool(self.title.strip() and self.description.strip()),
            "deadline": self.deadline is not None,
            "responsibility": self.lead_unit_id is not None,
            "result": bool(self.expected_result.strip()),
            "authority": self.authority_id is not None or bool(self.authority_body.strip()),
        }
        return [key for key, _label in SIX_CLEARS if not present[key]]

    @property
    def is_six_clear(self):
        return not self.missing_clears()


class TaskStep(VersionedModel):
    """A milestone of a task, with its own date."""

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="steps"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=300)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["task", "position"]
        constraints = [
            models.UniqueConstraint(fields=["task", "position"], name="step_position_per_task")
        ]
        indexes = [
            # Late steps: only open ones matter, and they are few.
            models.Index(fields=["task", "due_date"], name="step_open_due",
                         condition=models.Q(done=False)),
        ]

    def __str__(self):
        return self.title


class ReviewedModel(VersionedModel):
    """Something an owner submits and a manager approves or returns, with who, when and why."""

    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)

    class Meta:
        abstract = True


# The report's history, named so that a write can add a report's history row after its upkeep
# (`tracking.services.report_progress`: the audit chain's lock is then taken last).
REPORT_HISTORY = HistoricalRecords()


class ProgressReport(ReviewedModel):
    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="reports"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        related_name="progress_reports",
    )
    report_date = models.DateField(_("report date"))
    percent = models.PositiveSmallIntegerField(_("percent complete"))
    narrative = models.TextField(_("what was done"))
    obstacles = models.TextField(_("obstacles"), blank=True)
    has_obstacles = models.BooleanField(_("has obstacles"), default=False, editable=False)
    history = REPORT_HISTORY

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-report_date", "-pk"]
        indexes = [
            models.Index(fields=["task", "status"], name="report_task_status"),
            # The scan's "latest counted report of each task" reads this index in order.
            models.Index(
                fields=["task", "-report_date", "-id"], name="report_latest_counted",
                include=["percent", "has_obstacles"],
                condition=models.Q(status__in=["submitted", "approved"]),
            ),
            # The approvals inbox: what waits, oldest first (a national manager's page is the
            # first rows of it; a commune's is found through its own tasks instead).
            models.Index(
                fields=["submitted_at", "id"], name="report_awaiting",
                include=["task", "reported_by"], condition=models.Q(status="submitted"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent__lte=100), name="report_percent_at_most_100"
            )
        ]

    def __str__(self):
        return f"{self.task} · {self.report_date} · {self.percent}%"


def evidence_path(instance, filename):
    # The stored name is generated; the person's file name is kept only as data.
    return f"evidence/{instance.report.task_id}/{instance.stored_name}"


class Evidence(models.Model):
    """A file that proves what a progress report says, stored outside the static tree."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("progress report"), on_delete=models.CASCADE,
        related_name="evidence",
    )
    file = models.FileField(_("file"), upload_to=evidence_path)
    stored_name = models.CharField(max_length=100, editable=False)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self):
        return self.original_name


class PeriodKind(models.TextChoices):
    YEAR = "year", _("Year")
    QUARTER = "quarter", _("Quarter")
    MONTH = "month", _("Month")


class Measurement(ReviewedModel):
    """A target's reported value for a year, quarter or month."""

    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.CASCADE, related_name="measurements"
    )
    period_kind = models.CharField(
        _("period"), max_length=10, choices=PeriodKind.choices, default=PeriodKind.YEAR
    )
    year = models.PositiveSmallIntegerField(_("year"))
    period_number = models.PositiveSmallIntegerField(
        _("quarter or month"), default=0, help_text=_("0 for a whole year.")
    )
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    source = models.CharField(_("source"), max_length=300, blank=True)
    evidence = models.FileField(_("evidence"), upload_to="measurements/%Y/", blank=True)
    note = models.TextField(_("note"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        related_name="measurements",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["target", "year", "period_kind", "period_number"]
        indexes = [
            # The approvals inbox, as `report_awaiting`.
            models.Index(
                fields=["submitted_at", "id"], name="measurement_awaiting",
                include=["target", "reported_by"], condition=models.Q(status="submitted"),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "period_kind", "year", "period_number"],
                name="one_measurement_per_target_period",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(period_kind="year", period_number=0)
                    | models.Q(period_kind="quarter", period_number__gte=1, period_number__lte=4)
                    | models.Q(period_kind="month", period_number__gte=1, period_number__lte=12)
                ),
                name="measurement_period_number_fits_kind",
            ),
        ]

    def __str__(self):
        return f"{self.target.code} {self.period_label}: {self.value}"

    @property
    def period_label(self):
        if self.period_kind == PeriodKind.QUARTER:
            return f"Q{self.period_number}/{self.year}"
        if self.period_kind == PeriodKind.MONTH:
            return f"{self.period_number:02d}/{self.year}"
        return str(self.year)
