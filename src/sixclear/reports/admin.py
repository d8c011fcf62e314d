from django.contrib import admin

from .models import Report, ReportSchedule, SignedDocument


@admin.register(ReportSchedule)
class ReportScheduleAdmin(admin.ModelAdmin):
    list_display = ["unit", "period_kind", "day_of_month", "format", "language", "is_active"]
    list_filter = ["period_kind", "format", "is_active"]
    raw_id_fields = ["unit", "created_by"]
    readonly_fields = ["version", "created_at"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Stored reports are read here, never edited: they are kept as generated."""

    list_display = ["unit", "period_kind", "year", "period_number", "format", "language",
                    "status", "created_at"]
    list_filter = ["status", "format", "period_kind"]
    list_select_related = ["unit"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SignedDocument)
class SignedDocumentAdmin(admin.ModelAdmin):
    """Signed documents are never changed or removed; a new signature supersedes one."""

    list_display = ["title", "unit", "signer_name", "signed_at", "supersedes"]
    list_select_related = ["unit", "supersedes"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
