"""Snapshots of periodic reviews: what a unit's targets, tasks and obstacles were at the end of
a period, frozen as canonical JSON with its SHA-256 and sealed by a signature.

A snapshot is written once per unit and period (`one_snapshot_per_unit_period`) and never
changed; the seal signs the manifest of the snapshots taken together (each one's unit and
hash), so one signature covers a whole national run and each snapshot still verifies alone.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sixclear.orgs.models import Unit
from sixclear.periods import Period, PeriodKind
from sixclear.plans.models import Resolution
from sixclear.versioning import VersionedModel

# What a resolution freezes when nobody chose: every kind of review the sources name.
REVIEW_KINDS = ("month", "quarter", "year", "midterm", "final")


class Frozen(models.Model):
    """A row written once: saving it again is refused."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("A snapshot is never changed once taken."))
        super().save(*args, **kwargs)


class SnapshotSeal(Frozen):
    """The signature over the manifest of the snapshots taken together for one period."""

    period_kind = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    period_number = models.PositiveSmallIntegerField(_("number in the year"), default=0)
    manifest = models.TextField(_("manifest"))  # canonical JSON: period, [unit id, sha256]
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    signature = models.BinaryField(_("signature (CMS, DER)"), blank=True, default=b"")
    signer_name = models.CharField(_("signed by"), max_length=200, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("snapshot seal")
        verbose_name_plural = _("snapshot seals")

    def __str__(self):
        return f"{self.period_kind} {self.year}/{self.period_number} · {self.sha256[:12]}"


class Snapshot(Frozen):
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="snapshots")
    period_kind = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    period_number = models.PositiveSmallIntegerField(_("number in the year"), default=0)
    content = models.TextField(_("content (canonical JSON)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    taken_at = models.DateTimeField(_("taken at"))
    seal = models.ForeignKey(SnapshotSeal, verbose_name=_("seal"), on_delete=models.PROTECT,
                             null=True, blank=True, related_name="snapshots")

    class Meta:
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        ordering = ["unit", "-year", "period_kind", "-period_number"]
        constraints = [models.UniqueConstraint(
            fields=["unit", "period_kind", "year", "period_number"],
            name="one_snapshot_per_unit_period")]
        indexes = [models.Index(fields=["period_kind", "year", "period_number"],
                                name="snapshot_period")]

    def __str__(self):
        return f"{self.unit} · {self.period.label()}"

    @property
    def period(self):
        return Period(self.period_kind, self.year, self.period_number)


class ReviewKinds(VersionedModel):
    """Which period ends freeze a snapshot for the units under a resolution's issuing unit.
    Without a row, every kind does (`REVIEW_KINDS`)."""

    resolution = models.OneToOneField(Resolution, verbose_name=_("resolution"),
                                      on_delete=models.CASCADE, related_name="review_kinds")
    kinds = models.JSONField(_("kinds of review"), default=list)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("changed by"),
                                   on_delete=models.PROTECT, related_name="+", null=True,
                                   blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review kinds")
        verbose_name_plural = _("review kinds")

    def __str__(self):
        return f"{self.resolution}: {', '.join(self.kinds)}"
