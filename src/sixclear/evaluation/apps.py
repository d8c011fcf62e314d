from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "sixclear.evaluation"
    label = "evaluation"
    verbose_name = _("Annual evaluation")

    def ready(self):
        # The evidence this app computes itself, and that of the apps below it (procedures'
        # cases, meetings' obstacles), which cannot import this registry themselves; apps above
        # register theirs the same way from their own `ready`.
        from . import measures, obstacle_measures, procedure_measures  # noqa: F401
