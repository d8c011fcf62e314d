from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "sixclear.meetings"
    label = "meetings"
    verbose_name = _("Obstacles and meetings")

    def ready(self):
        from sixclear import upkeep

        from .services import register_reported_obstacles

        # A report's obstacles become records in the same transaction; the people who must act
        # are told through the port's notification stage, which runs after.
        upkeep.on_progress_reported(upkeep.Stage.CACHES, register_reported_obstacles)
