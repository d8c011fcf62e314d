from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "sixclear.reports"
    label = "reports"
    verbose_name = _("Reports and signatures")

    def ready(self):
        from sixclear.accounts.services import require_second_factor_when
        from sixclear.snapshots import sealing

        from . import conclusion_notice
        from .selectors import designated_to_sign
        from .signing import seal_data, verify_sealed_data

        # Periodic snapshots are sealed with the seal's key and checked against our roots.
        sealing.register(seal_data, verify_sealed_data)

        # Whoever signs a unit's reports must hold a second factor (when it is required).
        require_second_factor_when(designated_to_sign)

        # A published conclusion notice's e-mail carries the link to the signed copy.
        conclusion_notice.register()
