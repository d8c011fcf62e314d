from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "sixclear.procedures"
    label = "procedures"
    verbose_name = _("Work procedures")
    default_auto_field = "django.db.models.BigAutoField"
