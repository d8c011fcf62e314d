"""Stored reports, their schedules, and signed documents.

A report keeps its parameters and its file, so it can be downloaded again exactly as it was.
A signed document is never changed: a new signature supersedes it and links to it.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sixclear.orgs.models import Unit
from sixclear.versioning import VersionedModel

from .periods import Period, PeriodKind


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"
    XLSX = "xlsx", "XLSX"


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being generated")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


def report_path(instance, filename):
    # A generated name: nothing a person types reaches the file system.
    return f"reports/{instance.unit_id}/{uuid.uuid4().hex}.{instance.format}"


def signed_path(instance, filename):
    return f"signed/{instance.unit_id}/{uuid.uuid4().hex}.pdf"


class ReportSchedule(VersionedModel):
    """A unit's standing order: a report of each period, due on a day (the 20th of each
    month, say) or at the period's end (day 0)."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE,
                             related_name="report_schedules")
    period_kind = models.CharField(_("period"), max_length=10, choices=[
        (k, label) for k, label in PeriodKind.choices if k in ("month", "quarter", "half", "year")
    ])
    day_of_month = models.PositiveSmallIntegerField(
        _("day of the month"), default=0,
        help_text=_("1–28: that day of the period's last month; 0: the period's last day."))
    format = models.CharField(_("format"), max_length=5, choices=ReportFormat.choices,
                              default=ReportFormat.PDF)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report schedule")
        verbose_name_plural = _("report schedules")
        ordering = ["unit", "period_kind", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period_kind", "format", "language"],
                                    name="one_schedule_per_unit_period_format_language"),
            models.CheckConstraint(condition=models.Q(day_of_month__lte=28),
                                   name="schedule_day_at_most_28"),
        ]

    def __str__(self):
        return f"{self.unit} · {self.get_period_kind_display()} · {self.format}"


class Report(models.Model):
    """A periodic report of a unit (with its sub-units), stored with its parameters."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="reports")
    period_kind = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    period_number = models.PositiveSmallIntegerField(_("number in the year"), default=0)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    format = models.CharField(_("format"), max_length=5, choices=ReportFormat.choices)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    file = models.FileField(_("file"), upload_to=report_path, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices,
                              default=ReportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    seconds = models.FloatField(_("generation time (s)"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                   on_delete=models.PROTECT, related_name="+", null=True,
                                   blank=True)
    schedule = models.ForeignKey(ReportSchedule, verbose_name=_("schedule"),
                                 on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="reports")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["unit", "-created_at"], name="report_unit_created")]
        constraints = [
            # A schedule makes each of its periods once, however often the job runs.
            models.UniqueConstraint(
                fields=["schedule", "period_kind", "year", "period_number"],
                condition=models.Q(schedule__isnull=False), name="one_report_per_schedule_period",
            ),
            models.CheckConstraint(condition=models.Q(progress__lte=100),
                                   name="report_progress_at_most_100"),
        ]

    def __str__(self):
        return f"{self.unit} · {self.period_kind} {self.year}/{self.period_number} · {self.format}"

    @property
    def period(self):
        return Period(self.period_kind, self.year, self.period_number)

    @property
    def is_finished(self):
        return self.status in (ReportStatus.DONE, ReportStatus.FAILED)

    @property
    def download_name(self):
        return f"report-{self.unit.code}-{self.period_kind}-{self.year}-{self.period_number}" \
               f"-{self.language}-{self.pk}.{self.format}"


class DocumentKind(models.TextChoices):
    """What a signed document is: a periodic report, or a document issued about another
    record (`SignedDocument.subject`) through `reports.issued`."""

    REPORT = "report", _("Report")
    CONCLUSION_NOTICE = "conclusion_notice", _("Conclusion notice")
    EVALUATION_MINUTES = "evaluation_minutes", _("Evaluation minutes")
    EVALUATION_DECISION = "evaluation_decision", _("Decision on evaluation grades")
    PROCEDURE_EVALUATION = "procedure_evaluation", _("Yearly evaluation of procedures")


class SignedDocument(models.Model):
    """A digitally signed PDF, stored with its hash. Never changed: a new signature of the same
    report (or of the same issued document: unit, kind, subject, language) supersedes it
    (`supersedes`), and both stay."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="signed_documents")
    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.PROTECT,
                               related_name="signed_documents", null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices,
                            default=DocumentKind.REPORT)
    # "app.model:pk" of the record an issued document is about (a meeting, a round, ...).
    subject = models.CharField(_("about"), max_length=100, blank=True, db_index=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=signed_path)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size = models.PositiveIntegerField(_("size in bytes"))
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("signer"),
                               on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(_("signer's name"), max_length=200)
    signer_title = models.CharField(_("signer's position"), max_length=200, blank=True)
    timestamped = models.BooleanField(_("timestamped"), default=False)
    signed_at = models.DateTimeField(_("signed at"))
    supersedes = models.OneToOneField(
        "self", verbose_name=_("supersedes"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="superseded_by",
    )

    class Meta:
        verbose_name = _("signed document")
        verbose_name_plural = _("signed documents")
        ordering = ["-signed_at", "-pk"]

    def __str__(self):
        return f"{self.title} · {self.signer_name}"

    def save(self, *args, **kwargs):
        # The row's own invariant: once stored, a signed document is never rewritten.
        if not self._state.adding:
            raise ValidationError(_("A signed document cannot be changed; sign a new one."))
        super().save(*args, **kwargs)


class IssuingBody(models.TextChoices):
    """Which body of the unit issues its reports, and so which format they follow: the party
    committee's (Hướng dẫn 36-HD/VPTW, 2018) or the people's committee's (Decree 30/2020)."""

    PARTY = "party", _("Party committee")
    PEOPLE = "people", _("People's committee")


class SigningCapacity(models.TextChoices):
    PRINCIPAL = "principal", _("The head signs")
    DEPUTY = "deputy", _("The deputy signs for the head")


class ReportSigner(VersionedModel):
    """Who signs a unit's reports: the person the unit designates (its secretary or chair)
    with their title, and an authorised deputy who signs for them; and which body issues the
    reports. Set by a manager of the unit; every change is kept in the history."""

    unit = models.OneToOneField(Unit, verbose_name=_("unit"), on_delete=models.CASCADE,
                                related_name="report_signer")
    issuing_body = models.CharField(_("issuing body"), max_length=10,
                                    choices=IssuingBody.choices, default=IssuingBody.PARTY)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("signer"),
                               on_delete=models.PROTECT, related_name="+")
    signer_title = models.CharField(_("signer's title"), max_length=120)
    deputy = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("deputy"),
                               on_delete=models.PROTECT, related_name="+", null=True,
                               blank=True)
    deputy_title = models.CharField(_("deputy's title"), max_length=120, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("changed by"),
                                   on_delete=models.PROTECT, related_name="+", null=True,
                                   blank=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report signer")
        verbose_name_plural = _("report signers")

    def __str__(self):
        return f"{self.unit} · {self.signer_title}"


class ReportNarrative(VersionedModel):
    """The words of a report: results achieved, shortcomings and their causes, tasks for the
    next period. Drafted from the data when the report is first generated, edited by a manager
    before signing, frozen once the report is signed; every change is kept in the history."""

    report = models.OneToOneField(Report, verbose_name=_("report"), on_delete=models.CASCADE,
                                  related_name="narrative")
    results = models.TextField(_("results achieved"), blank=True)
    shortcomings = models.TextField(_("shortcomings and their causes"), blank=True)
    next_tasks = models.TextField(_("tasks for the next period"), blank=True)
    capacity = models.CharField(_("who signs"), max_length=10, choices=SigningCapacity.choices,
                                default=SigningCapacity.PRINCIPAL)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("edited by"),
                                  on_delete=models.PROTECT, related_name="+", null=True,
                                  blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report narrative")
        verbose_name_plural = _("report narratives")

    def __str__(self):
        return str(self.report)
