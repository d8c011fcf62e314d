"""Administrators see each verification of the audit trail (the daily job's and the command's)."""
from django.contrib import admin

from .models import AuditVerification


@admin.register(AuditVerification)
class AuditVerificationAdmin(admin.ModelAdmin):
    list_display = ("at", "ok", "entries", "head_seq", "problem", "seconds")
    list_filter = ("ok",)
    readonly_fields = ("at", "ok", "entries", "head_seq", "head_hash", "problem", "seconds")

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
