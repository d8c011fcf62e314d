from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from sixclear.admin_services import ServiceAdmin, ServiceForm
from sixclear.periods import PeriodKind

from . import services
from .models import REVIEW_KINDS, ReviewKinds, Snapshot, SnapshotSeal


class FrozenAdmin(admin.ModelAdmin):
    """Taken by the job or the command: shown for inspection, never written by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Snapshot)
class SnapshotAdmin(FrozenAdmin):
    list_display = ["unit", "period_kind", "year", "period_number", "sha256", "seal",
                    "taken_at"]
    list_filter = ["period_kind", "year"]
    search_fields = ["unit__name", "unit__code", "sha256"]
    list_select_related = ["unit", "seal"]


@admin.register(SnapshotSeal)
class SnapshotSealAdmin(FrozenAdmin):
    list_display = ["period_kind", "year", "period_number", "sha256", "signer_name",
                    "signed_at"]
    list_filter = ["period_kind", "year"]
    exclude = ["signature"]


class ReviewKindsForm(ServiceForm):
    kinds = forms.MultipleChoiceField(
        label=_("kinds of review"), widget=forms.CheckboxSelectMultiple,
        choices=[(kind, label) for kind, label in PeriodKind.choices if kind in REVIEW_KINDS])

    class Meta:
        model = ReviewKinds
        fields = ["resolution", "kinds"]


@admin.register(ReviewKinds)
class ReviewKindsAdmin(ServiceAdmin):
    form = ReviewKindsForm
    list_display = ["resolution", "kinds"]
    autocomplete_fields = ["resolution"]
    list_select_related = ["resolution"]

    def get_readonly_fields(self, request, obj=None):
        return ["resolution"] if obj else []

    def write(self, request, stored, cleaned):
        resolution = stored.resolution if stored else cleaned["resolution"]
        return services.set_review_kinds(
            actor=request.user, resolution=resolution, kinds=list(cleaned["kinds"]),
            expected_version=(cleaned.get("expected_version") or stored.version)
            if stored else None)
