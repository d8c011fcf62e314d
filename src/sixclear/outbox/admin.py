from django.contrib import admin

from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Read-only: what was requested, when it ran, and why it failed if it did."""

    list_display = ("pk", "name", "created_at", "attempts", "dispatched_at", "finished_at",
                    "worker", "last_error")
    list_filter = ("name",)
    search_fields = ("name",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
