from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sixclear.plans.models import Target
from sixclear.tracking.models import Task
from sixclear.versioning import VersionedModel


class ChangeKind(models.TextChoices):
    DEADLINE = "deadline", _("Deadline extension")
    RESULT = "result", _("Change of expected result")
    OWNER = "owner", _("Change of owner")
    REBASELINE = "rebaseline", _("Target re-baselining")


# The fields each kind may change, on the task or on the target.
CHANGEABLE_FIELDS = {
    ChangeKind.DEADLINE: ("deadline",),
    ChangeKind.RESULT: ("expected_result",),
    ChangeKind.OWNER: ("owner",),
    ChangeKind.REBASELINE: ("baseline_value", "baseline_year", "target_value", "annual_rate",
                            "annual_rate_high", "target_year"),
}


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ChangeRequest(VersionedModel):
    """A change to a commitment that only its authority may approve.

    `original` keeps the values as they were when asked, so reviews compare against them.
    """

    kind = models.CharField(_("kind"), max_length=12, choices=ChangeKind.choices)
    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="change_requests",
    )
    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="change_requests",
    )
    original = models.JSONField(_("values before"))
    proposed = models.JSONField(_("values asked for"))
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT,
        related_name="change_requests",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT,
        related_name="+", null=True, blank=True,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("decision comment"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(task__isnull=False, target__isnull=True)
                | models.Q(task__isnull=True, target__isnull=False),
                name="change_is_for_a_task_or_a_target",
            ),
            models.UniqueConstraint(
                fields=["task", "kind"], condition=models.Q(status="pending"),
                name="one_pending_change_per_task_and_kind",
            ),
            models.UniqueConstraint(
                fields=["target", "kind"], condition=models.Q(status="pending"),
                name="one_pending_change_per_target_and_kind",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.task or self.target}"
