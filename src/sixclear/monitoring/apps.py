from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "sixclear.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self):
        from sixclear import upkeep

        from .events import notify_of
        from .refresh import refresh_after_targets, refresh_after_tasks

        # Statuses come first: the rollups and everything after them count statuses.
        upkeep.on_tasks_changed(upkeep.Stage.STATUS, refresh_after_tasks)
        upkeep.on_targets_changed(upkeep.Stage.STATUS, refresh_after_targets)
        # Last: people are told once what they are told about is written.
        upkeep.on_happened(upkeep.Stage.NOTIFICATIONS, notify_of)
