"""Work procedures (ISO 9001 quality system) and the cases that run through them.

A `Procedure` belongs to a unit (and may be shared with the units below it). Its steps live in
dated `ProcedureVersion`s: a case runs on the version in force on the day it was opened, so a
new version never changes a case already under way. A `Case` walks its `CaseStep`s one at a
time; the states of both are django-fsm-2 state machines whose transitions django-fsm-log
records (who, when, from which state). The clock of a case can be suspended and extended
(`ClockChange`); deadlines count working days of the Vietnamese calendar (`calendar.py`).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from simple_history.models import HistoricalRecords

from sixclear.orgs.models import Role, Unit
from sixclear.plans.models import Target
from sixclear.versioning import VersionedModel


class WorkingDayOverride(models.Model):
    """A day the government moved: a weekend day worked (a swap) or a weekday given off."""

    day = models.DateField(_("day"), unique=True)
    is_working_day = models.BooleanField(
        _("working day"), help_text=_("Ticked: offices work that day. Not ticked: a day off."))
    reason = models.CharField(_("reason"), max_length=300)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("working-day override")
        verbose_name_plural = _("working-day overrides")
        ordering = ["day"]

    def __str__(self):
        return f"{self.day}: {self.reason}"


class Procedure(VersionedModel):
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="procedures")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="owned_procedures")
    shared_below = models.BooleanField(
        _("shared with the units below"), default=False,
        help_text=_("The units below this one may open cases on it."))
    objectives = models.ManyToManyField(
        Target, verbose_name=_("quality objectives"), blank=True, related_name="procedures")
    history = HistoricalRecords(m2m_fields=[objectives])

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["unit", "code"],
                                               name="procedure_code_per_unit")]

    def __str__(self):
        return f"{self.code} {self.name}"


class ProcedureVersion(models.Model):
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE,
        related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    effective_from = models.DateField(_("effective from"))
    note = models.CharField(_("what changed"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("procedure version")
        verbose_name_plural = _("procedure versions")
        ordering = ["procedure", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="version_number_once"),
            models.UniqueConstraint(fields=["procedure", "effective_from"],
                                    name="version_date_once"),
        ]

    def __str__(self):
        return f"{self.procedure.code} v{self.number}"

    @property
    def total_days(self):
        return sum(step.days for step in self.steps.all())


class ProcedureStep(models.Model):
    version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("procedure version"), on_delete=models.CASCADE,
        related_name="steps")
    position = models.PositiveSmallIntegerField(_("step"))
    name = models.CharField(_("name"), max_length=300)
    role = models.CharField(_("role that does it"), max_length=20, choices=Role.choices,
                            default=Role.OFFICER)
    days = models.PositiveSmallIntegerField(_("time limit (working days)"))
    records = models.CharField(_("records it produces"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("procedure step")
        verbose_name_plural = _("procedure steps")
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "position"],
                                               name="step_position_once")]

    def __str__(self):
        return f"{self.position}. {self.name}"


class CaseState(models.TextChoices):
    OPEN = "open", _("In progress")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Case(VersionedModel):
    """A dossier, a petition or a request handled through one procedure version."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="cases")
    procedure_version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("procedure version"), on_delete=models.PROTECT,
        related_name="cases")
    reference = models.CharField(_("reference"), max_length=60)
    subject = models.CharField(_("subject"), max_length=500)
    applicant = models.CharField(_("applicant"), max_length=300, blank=True)
    opened_on = models.DateField(_("received on"))
    due_date = models.DateField(_("due date"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    state = FSMField(_("state"), max_length=12, choices=CaseState.choices,
                     default=CaseState.OPEN)
    suspended_on = models.DateField(_("suspended since"), null=True, blank=True)
    recorded_elsewhere = models.BooleanField(
        _("handled in another system"), default=False,
        help_text=_("Entered by import or through the API: Sixclear only monitors it."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["unit", "reference"],
                                               name="case_reference_per_unit")]
        indexes = [models.Index(fields=["unit", "state"], name="case_unit_state")]

    def __str__(self):
        return f"{self.reference} {self.subject}"

    @property
    def on_time(self):
        return None if self.closed_on is None else self.closed_on <= self.due_date

    # The transitions: services call them; the states they may leave are declared here once.
    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=CaseState.OPEN, target=CaseState.SUSPENDED)
    def suspend(self, *, by=None, description=None, on=None):
        self.suspended_on = on

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=CaseState.SUSPENDED, target=CaseState.OPEN)
    def resume(self, *, by=None, description=None):
        self.suspended_on = None

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=CaseState.OPEN, target=CaseState.OPEN)
    def advance(self, *, by=None, description=None):
        """A step handed over to the next: only while the clock runs."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=CaseState.OPEN, target=CaseState.OPEN)
    def extend(self, *, by=None, description=None):
        """Only an open case's clock is extended (a suspended one stands still)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=CaseState.OPEN, target=CaseState.CLOSED)
    def close(self, *, by=None, description=None, on=None):
        self.closed_on = on

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[CaseState.OPEN, CaseState.SUSPENDED],
                target=CaseState.WITHDRAWN)
    def withdraw(self, *, by=None, description=None, on=None):
        self.closed_on = on
        self.suspended_on = None


class StepState(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    ACTIVE = "active", _("In hand")
    DONE = "done", _("Handed over")


class CaseStep(models.Model):
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE,
                             related_name="steps")
    step = models.ForeignKey(ProcedureStep, verbose_name=_("procedure step"),
                             on_delete=models.PROTECT, related_name="case_steps")
    position = models.PositiveSmallIntegerField(_("step"))
    state = FSMField(_("state"), max_length=10, choices=StepState.choices,
                     default=StepState.WAITING)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("handled by"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="case_steps")
    started_on = models.DateField(_("received on"), null=True, blank=True)
    due_date = models.DateField(_("due date"))
    done_on = models.DateField(_("handed over on"), null=True, blank=True)
    done_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    on_time = models.BooleanField(_("on time"), null=True)
    working_days = models.PositiveSmallIntegerField(_("working days taken"), null=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")
        ordering = ["case", "position"]
        constraints = [models.UniqueConstraint(fields=["case", "position"],
                                               name="case_step_once")]
        indexes = [models.Index(fields=["state", "due_date"], name="casestep_state_due")]

    def __str__(self):
        return f"{self.case_id}/{self.position}"

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=StepState.WAITING, target=StepState.ACTIVE)
    def start(self, *, by=None, description=None, on=None, handler=None):
        self.started_on = on
        self.handler = handler

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=StepState.ACTIVE, target=StepState.DONE)
    def hand_over(self, *, by=None, description=None, on=None, at=None, working_days=None):
        self.done_on = on
        self.done_at = at
        self.on_time = on <= self.due_date
        self.working_days = working_days


class ClockKind(models.TextChoices):
    SUSPENSION = "suspension", _("Suspension")
    EXTENSION = "extension", _("Extension")


class ClockChange(models.Model):
    """A suspension (from `started_on` until `ended_on`) or an extension of a case's clock."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE,
                             related_name="clock_changes")
    kind = models.CharField(_("kind"), max_length=12, choices=ClockKind.choices)
    reason = models.CharField(_("reason"), max_length=500)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    working_days = models.PositiveSmallIntegerField(_("working days"), default=0)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"),
                           on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("clock change")
        verbose_name_plural = _("clock changes")
        ordering = ["case", "started_on", "pk"]

    def __str__(self):
        return f"{self.case_id}: {self.kind} {self.working_days}"


class StepMonthRollup(models.Model):
    """Steps handed over (and cases closed, `position` 0) in a month at a unit, per procedure:
    how many, how many on time, and the working days they took. Performance pages add up the
    rows of a subtree by unit path; `rollups.recount` rewrites a unit's month from the cases."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE,
                             related_name="+")
    procedure = models.ForeignKey(Procedure, verbose_name=_("procedure"),
                                  on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(_("step"))
    month = models.DateField(_("month"))
    done = models.PositiveIntegerField(_("handed over"), default=0)
    on_time = models.PositiveIntegerField(_("on time"), default=0)
    working_days = models.PositiveIntegerField(_("working days taken"), default=0)

    class Meta:
        verbose_name = _("step rollup")
        verbose_name_plural = _("step rollups")
        constraints = [models.UniqueConstraint(fields=["unit", "procedure", "position", "month"],
                                               name="step_rollup_once")]
        indexes = [models.Index(fields=["month", "unit"], name="steprollup_month_unit")]

    def __str__(self):
        return f"{self.unit_id}/{self.procedure_id}/{self.position} {self.month}: {self.done}"


# --- Nonconformities and corrective actions (ISO 9001:2015 clause 10.2) ----------------------

class Severity(models.TextChoices):
    MINOR = "minor", _("Minor")
    MAJOR = "major", _("Major")


class NonconformityState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ANALYSED = "analysed", _("Analysed")
    PLANNED = "planned", _("Action plan awaiting review")
    IN_PROGRESS = "in_progress", _("Actions in progress")
    CLOSED = "closed", _("Closed")


class Nonconformity(VersionedModel):
    """Something that did not conform (a late case, an audit finding, a record missing), from
    draft through its root cause and severity, an action plan reviewed by a manager and its
    corrective actions (six-clears tasks), to closing once their effectiveness is checked."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="nonconformities")
    procedure = models.ForeignKey(Procedure, verbose_name=_("procedure"),
                                  on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="nonconformities")
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT,
                             null=True, blank=True, related_name="nonconformities")
    clause = models.CharField(_("ISO 9001 clause"), max_length=20, blank=True)
    description = models.TextField(_("what did not conform"))
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("raised by"),
                                  on_delete=models.SET_NULL, null=True, related_name="+")
    raised_on = models.DateField(_("raised on"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices,
                                blank=True)
    root_cause = models.TextField(_("root cause"), blank=True)
    effectiveness = models.TextField(_("effectiveness checked"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    state = FSMField(_("state"), max_length=12, choices=NonconformityState.choices,
                     default=NonconformityState.DRAFT)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nonconformity")
        verbose_name_plural = _("nonconformities")
        ordering = ["-raised_on", "-pk"]

    def __str__(self):
        return self.description[:80]

    def has_actions(self):
        return self.actions.exists()

    def actions_done(self):
        from sixclear.tracking.models import TaskState
        return self.has_actions() and not self.actions.exclude(
            task__state=TaskState.DONE).exists()

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[NonconformityState.DRAFT, NonconformityState.ANALYSED],
                target=NonconformityState.ANALYSED)
    def analyse(self, *, by=None, description=None):
        """Root cause and severity recorded (again, while no plan is submitted)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=NonconformityState.ANALYSED,
                target=NonconformityState.ANALYSED)
    def propose_action(self, *, by=None, description=None):
        """A corrective action is added to the plan being drawn up."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=NonconformityState.ANALYSED,
                target=NonconformityState.PLANNED, conditions=[has_actions])
    def submit_plan(self, *, by=None, description=None):
        """The corrective actions are proposed for review."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=NonconformityState.PLANNED,
                target=NonconformityState.IN_PROGRESS)
    def approve_plan(self, *, by=None, description=None):
        """A manager approves the plan: its actions are issued as tasks."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=NonconformityState.PLANNED,
                target=NonconformityState.ANALYSED)
    def return_plan(self, *, by=None, description=None):
        """A manager sends the plan back for more or other actions."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=NonconformityState.IN_PROGRESS,
                target=NonconformityState.CLOSED, conditions=[actions_done])
    def close(self, *, by=None, description=None, on=None):
        self.closed_on = on


class CorrectiveAction(models.Model):
    """One corrective action of a nonconformity: a six-clears task of the unit."""

    nonconformity = models.ForeignKey(Nonconformity, verbose_name=_("nonconformity"),
                                      on_delete=models.CASCADE, related_name="actions")
    task = models.OneToOneField("tracking.Task", verbose_name=_("task"),
                                on_delete=models.PROTECT, related_name="corrective_action")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.nonconformity_id}: {self.task_id}"


# --- Internal audits (ISO 9001:2015, 9.2) ------------------------------------------------------

class AuditState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    REPORTED = "reported", _("Reported")


class CheckResult(models.TextChoices):
    CONFORMS = "conforms", _("Conforms")
    OBSERVATION = "observation", _("Observation")
    NONCONFORMS = "nonconforms", _("Does not conform")


class InternalAudit(VersionedModel):
    """An internal audit: its plan (scope, auditor, day), a checklist per clause and
    procedure whose results the auditor enters, and its report once every item is checked."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="internal_audits")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    auditor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("auditor"),
                                on_delete=models.PROTECT, related_name="+")
    planned_on = models.DateField(_("planned on"))
    scope = models.TextField(_("scope"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    state = FSMField(_("state"), max_length=10, choices=AuditState.choices,
                     default=AuditState.PLANNED)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("internal audit")
        verbose_name_plural = _("internal audits")
        ordering = ["-planned_on", "-pk"]

    def __str__(self):
        return self.title

    def all_checked(self):
        return not self.checks.filter(result="").exists()

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=AuditState.PLANNED, target=AuditState.PLANNED)
    def record(self, *, by=None, description=None):
        """A checklist item's result entered."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=AuditState.PLANNED, target=AuditState.REPORTED,
                conditions=[all_checked])
    def report(self, *, by=None, description=None):
        """The audit's report, once every item of its checklist is checked."""


class AuditCheck(models.Model):
    audit = models.ForeignKey(InternalAudit, verbose_name=_("internal audit"),
                              on_delete=models.CASCADE, related_name="checks")
    position = models.PositiveSmallIntegerField(_("item"))
    clause = models.CharField(_("ISO 9001 clause"), max_length=20, blank=True)
    procedure = models.ForeignKey(Procedure, verbose_name=_("procedure"),
                                  on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    criterion = models.CharField(_("what is checked"), max_length=500)
    result = models.CharField(_("result"), max_length=12, choices=CheckResult.choices,
                              blank=True)
    note = models.TextField(_("finding"), blank=True)
    nonconformity = models.OneToOneField(Nonconformity, verbose_name=_("nonconformity"),
                                         on_delete=models.SET_NULL, null=True, blank=True,
                                         related_name="audit_check")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("audit checklist item")
        verbose_name_plural = _("audit checklist items")
        ordering = ["audit", "position"]

    def __str__(self):
        return f"{self.audit_id}/{self.position}"


# --- Management review (ISO 9001:2015, 9.3) ----------------------------------------------------

class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class ManagementReview(VersionedModel):
    """The year's management review: proposed from the yearly evaluation (its inputs), its
    decisions written by the managers, approved by a leader."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="management_reviews")
    year = models.PositiveSmallIntegerField(_("year"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    inputs = models.TextField(_("inputs"))
    decisions = models.TextField(_("decisions and actions"), blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"),
                                    on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    state = FSMField(_("state"), max_length=10, choices=ReviewState.choices,
                     default=ReviewState.DRAFT)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("management review")
        verbose_name_plural = _("management reviews")
        constraints = [models.UniqueConstraint(fields=["unit", "year"],
                                               name="one_review_a_year")]

    def __str__(self):
        return f"{self.unit} {self.year}"

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ReviewState.DRAFT, target=ReviewState.DRAFT)
    def edit(self, *, by=None, description=None):
        """Its day and decisions written while it is a draft."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ReviewState.DRAFT, target=ReviewState.APPROVED)
    def approve(self, *, by=None, description=None):
        self.approved_by = by
