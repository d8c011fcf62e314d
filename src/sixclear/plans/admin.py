from django.contrib import admin
from django.core.exceptions import ValidationError

from sixclear.admin_versioning import VersionedAdmin, VersionedForm

from .models import (
    Program,
    Resolution,
    ResolutionItem,
    Target,
    TrajectoryPoint,
    target_field_errors,
)
from .services import store_trajectory


class ResolutionItemInline(admin.StackedInline):
    model = ResolutionItem
    extra = 0
    fields = ["kind", "position", "title", "text"]


@admin.register(Resolution)
class ResolutionAdmin(VersionedAdmin):
    list_display = ["number", "title", "unit", "term_start", "term_end", "adopted_on"]
    list_filter = ["term_start", "unit__kind"]
    search_fields = ["number", "title", "unit__name"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]
    inlines = [ResolutionItemInline]


@admin.register(Program)
class ProgramAdmin(VersionedAdmin):
    list_display = ["number", "title", "kind", "unit", "period_start", "period_end"]
    list_filter = ["kind", "unit__kind"]
    search_fields = ["number", "title", "unit__name"]
    autocomplete_fields = ["unit", "resolution"]
    list_select_related = ["unit"]


class TargetForm(VersionedForm):
    def clean(self):
        cleaned = super().clean()
        candidate = Target(
            **{
                k: v
                for k, v in cleaned.items()
                if k in {f.name for f in Target._meta.concrete_fields}
            }
        )
        errors = target_field_errors(candidate)
        if errors:
            raise ValidationError(errors)
        return cleaned


class TrajectoryInline(admin.TabularInline):
    model = TrajectoryPoint
    extra = 0


@admin.register(Target)
class TargetAdmin(VersionedAdmin):
    form = TargetForm
    list_display = [
        "code",
        "name",
        "unit",
        "kind",
        "baseline_value",
        "target_value",
        "annual_rate",
        "target_year",
    ]
    list_filter = ["kind", "direction", "unit__kind", "group"]
    search_fields = ["code", "name", "unit__name"]
    autocomplete_fields = ["unit", "resolution", "responsible_unit", "responsible_person"]
    filter_horizontal = ["programs"]
    list_select_related = ["unit"]
    inlines = [TrajectoryInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A path drawn by hand in the inline is kept; otherwise it follows the target's kind.
        store_trajectory(form.instance)
