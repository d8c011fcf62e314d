from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "sixclear.portal"
    label = "portal"
    verbose_name = _("Public portal")

    def ready(self):
        # Citizens' satisfaction is evidence for the annual evaluation (a registered measure).
        from . import evaluation_measures  # noqa: F401
