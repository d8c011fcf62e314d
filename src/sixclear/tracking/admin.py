from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from sixclear.admin_services import ReadOnlyInline, ServiceAdmin, ServiceForm

from . import services
from .models import (
    Evidence,
    Measurement,
    ProgressReport,
    Task,
    TaskState,
    TaskStep,
)


class TaskForm(ServiceForm):
    cancel_reason = forms.CharField(
        label=_("Reason for cancelling"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the state is set to cancelled; kept in the history."))


class TaskStepInline(ReadOnlyInline):
    model = TaskStep
    fields = ["position", "title", "due_date", "done", "done_on"]
    readonly_fields = fields


@admin.register(Task)
class TaskAdmin(ServiceAdmin):
    """Saved through `tracking.services`: create or update the task, then issue or cancel it
    when its state is changed here."""

    form = TaskForm
    fields = ["unit", "code", "title", "description", "owner", "lead_unit",
              "coordinating_units", "start_date", "deadline", "expected_result", "authority",
              "authority_body", "resolution", "program", "task_group", "parent", "targets",
              "priority", "state", "cancel_reason", "percent_complete", "issued_at",
              "completed_on"]
    readonly_fields = ["percent_complete", "issued_at", "completed_on"]
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

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "unit"] if obj else self.readonly_fields

    def write(self, request, stored, cleaned):
        actor = request.user
        values = {name: cleaned[name] for name in (*services.TASK_FIELDS, *services.TASK_LINKS)
                  if name in cleaned}
        if stored is None:
            task = services.create_task(actor=actor, unit=cleaned["unit"], **values)
        else:
            task = services.update_task(actor=actor, task=stored, expected_version=cleaned.get(
                "expected_version") or stored.version, **values)
        return self._move(actor, task, cleaned.get("state") or task.state,
                          cleaned.get("cancel_reason", ""))

    def _move(self, actor, task, state, reason):
        if state == task.state:
            return task
        if state == TaskState.ISSUED:
            return services.issue_task(actor=actor, task=task, expected_version=task.version)
        if state == TaskState.CANCELLED:
            return services.cancel_task(actor=actor, task=task, expected_version=task.version,
                                        reason=reason)
        raise ValidationError({"state": _(
            "A task is issued or cancelled here; it is done when its final progress report is "
            "approved, and an issued task does not go back to draft.")})


class EvidenceInline(ReadOnlyInline):
    model = Evidence
    fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Reports and values are written and reviewed on the pages, through the services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ["task", "report_date", "percent", "status", "has_obstacles", "reported_by"]
    list_filter = ["status", "has_obstacles", "report_date"]
    search_fields = ["task__title", "narrative", "obstacles"]
    list_select_related = ["task", "reported_by"]
    inlines = [EvidenceInline]


@admin.register(Measurement)
class MeasurementAdmin(ReadOnlyAdmin):
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
    list_select_related = ["target", "reported_by"]
