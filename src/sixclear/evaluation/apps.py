from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "sixclear.evaluation"
    label = "evaluation"
    verbose_name = _("Annual evaluation")

    def ready(self):
        # The evidence this app computes itself; apps above register theirs the same way.
        from . import measures  # noqa: F401
        # The evidence of the apps below, which cannot import this registry themselves.
        from . import obstacle_measures, procedure_measures  # noqa: F401
