from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
