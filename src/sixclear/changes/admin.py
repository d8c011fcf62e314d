from django.contrib import admin

from .models import ChangeRequest


@admin.register(ChangeRequest)
class ChangeRequestAdmin(admin.ModelAdmin):
    """Decisions are taken on the pages, by the authority, through the service: read-only here."""

    list_display = ["kind", "task", "target", "status", "requested_by", "requested_at",
                    "decided_by", "decided_at"]
    list_filter = ["kind", "status"]
    search_fields = ["task__title", "target__code", "reason"]
    list_select_related = ["task", "target", "requested_by", "decided_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
