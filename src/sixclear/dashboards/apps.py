from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "sixclear.dashboards"
    label = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self):
        from sixclear import upkeep

        from .upkeep import recount_after_scan, recount_after_targets, recount_after_tasks

        # Rollups count statuses: they run after the monitoring stage.
        upkeep.on_tasks_changed(upkeep.Stage.ROLLUPS, recount_after_tasks)
        upkeep.on_targets_changed(upkeep.Stage.ROLLUPS, recount_after_targets)
        upkeep.on_statuses_changed(upkeep.Stage.ROLLUPS, recount_after_scan)
