"""Entries of the audit chain, its head (the lock every append takes) and daily verifications."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One historical record, chained: `hash` = SHA-256(previous hash + canonical content).

    The content is the entry's own fields with `digest`, the SHA-256 of the historical row in
    canonical JSON; so changing, removing or inserting an entry breaks the chain after it."""

    seq = models.BigIntegerField(_("sequence"), unique=True)
    model_label = models.CharField(_("model"), max_length=100)
    object_id = models.CharField(_("object"), max_length=64)
    history_id = models.BigIntegerField(_("history record"))
    history_type = models.CharField(_("change"), max_length=1)
    user_id = models.BigIntegerField(_("user"), null=True, blank=True)
    at = models.DateTimeField(_("time"))
    digest = models.CharField(_("digest"), max_length=64)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)
    # The columns `digest` covers (an `AuditFieldSet` key); blank: every column the row has.
    fields = models.CharField(_("fields"), max_length=16, blank=True, default="", db_default="")

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["model_label", "object_id"])]

    def __str__(self):
        return f"#{self.seq} {self.model_label} {self.object_id}"


class AuditFieldSet(models.Model):
    """The columns of a historical table when entries were digested. A migration that adds a
    column to a tracked model leaves the rows written before it as they were digested: the
    check reads those rows with the columns they had. The key is the SHA-256 of the label and
    the names, and the digest covers exactly these names, so changing a set (or pointing an
    entry at another) makes the entry's digest fail rather than hide a change."""

    key = models.CharField(_("key"), max_length=16, primary_key=True)
    model_label = models.CharField(_("model"), max_length=100)
    names = models.TextField(_("columns"))

    class Meta:
        verbose_name = _("audited columns")
        verbose_name_plural = _("audited columns")

    def __str__(self):
        return f"{self.model_label} {self.key}"


class AuditVerification(models.Model):
    """The result of one walk of the chain (the daily job, or `sixclear audit verify`)."""

    at = models.DateTimeField(_("verified at"), auto_now_add=True)
    ok = models.BooleanField(_("intact"))
    entries = models.BigIntegerField(_("entries"))
    head_seq = models.BigIntegerField(_("last entry"), default=0)
    head_hash = models.CharField(_("last hash"), max_length=64, blank=True)
    problem = models.TextField(_("problem"), blank=True)
    seconds = models.FloatField(_("seconds"), default=0)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("audit trail verification")
        verbose_name_plural = _("audit trail verifications")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'TAMPERED'}"
