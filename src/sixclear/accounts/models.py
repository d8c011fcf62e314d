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

    class Meta:
        verbose_name = _("user preference")
        verbose_name_plural = _("user preferences")

    def __str__(self):
        return f"{self.user} · {self.language or '-'}"
