"""Optimistic concurrency: every editable row carries a version; a stale edit is refused.

A version-checked UPDATE is the check itself: it takes the row lock, so two concurrent edits of
the same version cannot both succeed on PostgreSQL or SQLite.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

STALE_MESSAGE = _(
    "This record was changed by someone else after you opened it. "
    "Reload it to see their changes, then apply yours again."
)


class StaleEdit(ValidationError):
    """Someone else saved the record after this edit was started."""


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


def claim_version(instance, expected_version):
    """Advance the stored version from `expected_version`, or refuse the edit.

    Call inside the writing transaction, before saving the changed fields.
    """
    model = type(instance)
    claimed = model.objects.filter(pk=instance.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise StaleEdit(STALE_MESSAGE, code="stale")
    instance.version = int(expected_version) + 1
