from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "sixclear.meetings"
    label = "meetings"
    verbose_name = _("Obstacles and meetings")

    def ready(self):
        from sixclear import upkeep
        from sixclear.monitoring.models import NotificationKind
        from sixclear.monitoring.notifications import add_email_details

        from .invitations import agenda_details
        from .services import register_reported_obstacles

        # A report's obstacles become records in the same transaction; the people who must act
        # are told through the port's notification stage, which runs after.
        upkeep.on_progress_reported(upkeep.Stage.CACHES, register_reported_obstacles)
        # The invitation's e-mail carries the agenda.
        add_email_details(NotificationKind.MEETING_INVITED, agenda_details)
