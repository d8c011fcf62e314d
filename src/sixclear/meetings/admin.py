from django.contrib import admin

from sixclear.admin_versioning import VersionedAdmin

from .models import Meeting, Obstacle, ObstaclePolicy


@admin.register(ObstaclePolicy)
class ObstaclePolicyAdmin(VersionedAdmin):
    list_display = ["unit", "answer_within_days"]
    search_fields = ["unit__name", "unit__code"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written on the pages through the services (routing, answers, decisions): read-only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Obstacle)
class ObstacleAdmin(ReadOnlyAdmin):
    list_display = ["description", "unit", "must_act", "state", "reported_by", "reported_at"]
    list_filter = ["state"]
    search_fields = ["description", "unit__name"]
    list_select_related = ["unit", "must_act", "reported_by"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["title", "unit", "kind", "held_on", "state", "organiser"]
    list_filter = ["kind", "state"]
    search_fields = ["title", "unit__name"]
    list_select_related = ["unit", "organiser"]
