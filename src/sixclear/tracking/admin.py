from django.contrib import admin
from django.core.exceptions import ValidationError

from sixclear.admin_versioning import VersionedAdmin, VersionedForm

from .models import (
    SIX_CLEAR_LABELS,
    Evidence,
    Measurement,
    ProgressReport,
    Task,
    TaskState,
    TaskStep,
)


class TaskForm(VersionedForm):
    def clean(self):
        cleaned = super().clean()
        candidate = self.instance
        concrete = {field.name for field in Task._meta.concrete_fields}
        for name, value in cleaned.items():
            if name in concrete:
                setattr(candidate, name, value)
        if cleaned.get("state") == TaskState.ISSUED:
            missing = candidate.missing_clears()
            if missing:
                raise ValidationError([SIX_CLEAR_LABELS[key] for key in missing])
        return cleaned


class TaskStepInline(admin.TabularInline):
    model = TaskStep
    extra = 0
    fields = ["position", "title", "due_date", "done", "done_on"]


@admin.register(Task)
class TaskAdmin(VersionedAdmin):
    form = TaskForm
    list_display = [
        "title",
        "unit",
        "owner",
        "lead_unit",
        "deadline",
        "state",
        "percent_complete",
        "priority",
    ]
    list_filter = ["state", "priority", "unit__kind", "program__kind"]
    search_fields = ["title", "code", "description", "unit__name", "owner__username"]
    date_hierarchy = "deadline"
    autocomplete_fields = [
        "unit",
        "owner",
        "lead_unit",
        "authority",
        "resolution",
        "program",
        "parent",
    ]
    filter_horizontal = ["coordinating_units", "targets"]
    list_select_related = ["unit", "owner", "lead_unit"]
    inlines = [TaskStepInline]


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


@admin.register(ProgressReport)
class ProgressReportAdmin(VersionedAdmin):
    list_display = ["task", "report_date", "percent", "status", "has_obstacles", "reported_by"]
    list_filter = ["status", "has_obstacles", "report_date"]
    search_fields = ["task__title", "narrative", "obstacles"]
    autocomplete_fields = ["task", "reported_by", "reviewed_by"]
    list_select_related = ["task", "reported_by"]
    inlines = [EvidenceInline]


@admin.register(Measurement)
class MeasurementAdmin(VersionedAdmin):
    list_display = [
        "target",
        "period_kind",
        "year",
        "period_number",
        "value",
        "status",
        "reported_by",
    ]
    list_filter = ["status", "period_kind", "year"]
    search_fields = ["target__code", "target__name", "source"]
    autocomplete_fields = ["target", "reported_by", "reviewed_by"]
    list_select_related = ["target", "reported_by"]
