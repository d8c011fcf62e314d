from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class UserPreference(models.Model):
    """What a person chose for themselves, kept across devices and sign-ins."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="preference",
    )
    # No choices here: the list of languages lives in settings and may grow without a migration.
    language = models.CharField(_("language"), max_length=10, blank=True)
    # By default everything comes once a day in the digest; some want to hear at once when
    # their report is reviewed, a task is given to them or their change request is decided.
    email_at_once = models.BooleanField(
        _("e-mail me at once"), default=False,
        help_text=_("When a report or value of yours is reviewed, a task is issued or assigned "
                    "to you or your change request is decided, send an e-mail right away "
                    "instead of waiting for the daily digest."),
    )

    class Meta:
        verbose_name = _("user preference")
        verbose_name_plural = _("user preferences")

    def __str__(self):
        return f"{self.user} · {self.language or '-'}"


class SecondFactorEvent(models.Model):
    """What happened to a person's second factor: enrolled, a code accepted or refused, recovery
    codes renewed, the factor removed. Only ever appended; its history puts each event in the
    audit chain, so a removed or altered event is found by `sixclear audit verify`."""

    class Kind(models.TextChoices):
        ENROLLED = "enrolled", _("Second factor set up")
        VERIFIED = "verified", _("Code accepted")
        RECOVERY_USED = "recovery_used", _("Recovery code used")
        REFUSED = "refused", _("Wrong code")
        THROTTLED = "throttled", _("Code refused: too many wrong codes")
        CODES_RENEWED = "codes_renewed", _("Recovery codes renewed")
        REMOVED = "removed", _("Second factor removed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"),
                             on_delete=models.CASCADE, related_name="second_factor_events")
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("second factor event")
        verbose_name_plural = _("second factor events")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()}"
