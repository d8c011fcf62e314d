from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "sixclear.reports"
    label = "reports"
    verbose_name = _("Reports and signatures")

    def ready(self):
        from sixclear.accounts.services import require_second_factor_when

        from .selectors import designated_to_sign

        # Whoever signs a unit's reports must hold a second factor (when it is required).
        require_second_factor_when(designated_to_sign)
