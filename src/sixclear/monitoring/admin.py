from django.contrib import admin

from sixclear.admin_versioning import VersionedAdmin

from .models import (
    MonitoringPolicy,
    MonitoringRun,
    Notification,
    TargetHealth,
    TaskEscalation,
    TaskHealth,
)


@admin.register(MonitoringPolicy)
class MonitoringPolicyAdmin(VersionedAdmin):
    list_display = ["unit", "tolerance_percent", "at_risk_window_days", "reporting_period_days",
                    "reminder_days", "escalation_days", "late_reminder_every_days"]
    search_fields = ["unit__name", "unit__code"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]


class ComputedAdmin(admin.ModelAdmin):
    """Computed by the scan: shown for inspection, never edited by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TaskHealth)
class TaskHealthAdmin(ComputedAdmin):
    list_display = ["task", "status", "stale", "last_report_date", "last_percent",
                    "has_open_obstacle", "late_steps", "changed_on"]
    list_filter = ["status", "stale", "has_open_obstacle"]
    search_fields = ["task__title", "task__code"]
    list_select_related = ["task"]


@admin.register(TargetHealth)
class TargetHealthAdmin(ComputedAdmin):
    list_display = ["target", "status", "year", "actual", "expected", "gap", "gap_percent",
                    "changed_on"]
    list_filter = ["status", "year"]
    search_fields = ["target__code", "target__name"]
    list_select_related = ["target"]


@admin.register(MonitoringRun)
class MonitoringRunAdmin(ComputedAdmin):
    list_display = ["started_at", "finished_at", "today", "tasks_changed", "targets_changed"]
    date_hierarchy = "started_at"


@admin.register(Notification)
class NotificationAdmin(ComputedAdmin):
    list_display = ["recipient", "kind", "task", "target", "step", "created_at", "read_at",
                    "emailed_at"]
    list_filter = ["kind", "step"]
    search_fields = ["recipient__username", "task__title"]
    list_select_related = ["recipient", "task", "target"]


@admin.register(TaskEscalation)
class TaskEscalationAdmin(ComputedAdmin):
    list_display = ["task", "deadline", "step", "reached_on"]
    list_filter = ["step"]
    search_fields = ["task__title", "task__code"]
    list_select_related = ["task"]
