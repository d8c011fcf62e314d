from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "sixclear.outbox"
    label = "outbox"
    verbose_name = _("Jobs")
    default_auto_field = "django.db.models.BigAutoField"
