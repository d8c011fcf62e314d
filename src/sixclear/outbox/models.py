from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """One job a committed write asked for, kept until a worker has finished it."""

    name = models.CharField(_("job"), max_length=200)
    arguments = models.JSONField(_("arguments"), default=list, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    dispatched_at = models.DateTimeField(_("handed to the queue at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    worker = models.CharField(_("worker"), max_length=100, blank=True,
                              help_text=_("The machine and process of the last attempt."))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-pk"]
        indexes = [
            # The drain reads only the unfinished rows, however many finished ones are kept.
            models.Index(fields=["created_at"], name="outbox_job_unfinished",
                         condition=Q(finished_at__isnull=True)),
        ]

    def __str__(self):
        return f"{self.name}{tuple(self.arguments)!r}"
