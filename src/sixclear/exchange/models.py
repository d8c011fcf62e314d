"""An import runs as a job: the file is kept until it is applied, its errors are kept as data."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sixclear.orgs.models import Unit


class ImportKind(models.TextChoices):
    TASKS = "tasks", _("Tasks")
    TARGETS = "targets", _("Targets")
    MEASUREMENTS = "measurements", _("Measurements")
    DECISION = "decision", _("Leadership decision appendix")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    CHECKING = "checking", _("Checking every row")
    APPLYING = "applying", _("Applying the changes")
    CHECKED = "checked", _("Checked: no errors, nothing changed")
    DONE = "done", _("Done")
    INVALID = "invalid", _("Refused: nothing was changed")
    FAILED = "failed", _("Failed: nothing was changed")


FINISHED = {ImportStatus.CHECKED, ImportStatus.DONE, ImportStatus.INVALID, ImportStatus.FAILED}


def import_file_path(instance, filename):
    # The stored name is generated; the person's file name is kept only as data.
    return f"imports/{instance.unit_id}/{instance.stored_name}"


class ImportJob(models.Model):
    """One uploaded spreadsheet, checked in full and then applied all or nothing."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="import_jobs"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    file = models.FileField(_("file"), upload_to=import_file_path)
    stored_name = models.CharField(max_length=100, editable=False)
    original_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=4)
    # The language errors are written in: the importer's, as the job runs without a request.
    language = models.CharField(_("language"), max_length=10)
    check_only = models.BooleanField(_("check only"), default=False)
    # Extra input of the kind, e.g. a decision's number, title and dates, and "issue".
    options = models.JSONField(_("options"), default=dict, blank=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    # [{"row": 5, "column": "Deadline", "message": "..."}], in `language`.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("number of errors"), default=0)
    # {"created": n, "updated": n, "unchanged": n, "issued": n}
    summary = models.JSONField(_("summary"), default=dict, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.original_name}"

    @property
    def is_finished(self):
        return self.status in FINISHED
