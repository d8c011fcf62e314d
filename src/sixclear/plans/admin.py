"""Resolutions, programs and targets in the admin, saved through `plans.services`."""

from django.contrib import admin

from sixclear.admin_services import ReadOnlyInline, ServiceAdmin

from . import services
from .models import (
    Area,
    Program,
    ProgramSection,
    Resolution,
    ResolutionItem,
    Target,
    TrajectoryPoint,
)


def _values(cleaned, names):
    return {name: cleaned[name] for name in names if name in cleaned}


def _version(cleaned, stored):
    return cleaned.get("expected_version") or stored.version


class ResolutionItemInline(ReadOnlyInline):
    model = ResolutionItem
    fields = ["kind", "position", "title", "text"]
    readonly_fields = fields


@admin.register(Resolution)
class ResolutionAdmin(ServiceAdmin):
    fields = ["unit", "number", "title", "issuing_body", "term_start", "term_end", "status",
              "adopted_on", "summary"]
    list_display = ["number", "title", "unit", "term_start", "term_end", "status", "adopted_on"]
    list_filter = ["status", "term_start", "unit__kind"]
    search_fields = ["number", "title", "unit__name"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]
    inlines = [ResolutionItemInline]

    def get_readonly_fields(self, request, obj=None):
        return ["unit"] if obj else []

    def write(self, request, stored, cleaned):
        values = _values(cleaned, services.RESOLUTION_FIELDS)
        if stored is None:
            return services.create_resolution(actor=request.user, unit=cleaned["unit"],
                                              **values)
        return services.update_resolution(actor=request.user, resolution=stored,
                                          expected_version=_version(cleaned, stored), **values)


class ProgramSectionInline(ReadOnlyInline):
    """Sections are written, ordered and filled on the program's own pages."""

    model = ProgramSection
    fields = ["position", "code", "title", "summary"]
    readonly_fields = fields


@admin.register(Program)
class ProgramAdmin(ServiceAdmin):
    fields = ["unit", "resolution", "kind", "number", "title", "issuing_body", "period_start",
              "period_end", "issued_on", "summary"]
    list_display = ["number", "title", "kind", "unit", "period_start", "period_end"]
    list_filter = ["kind", "unit__kind"]
    search_fields = ["number", "title", "unit__name"]
    autocomplete_fields = ["unit", "resolution"]
    list_select_related = ["unit"]
    inlines = [ProgramSectionInline]

    def get_readonly_fields(self, request, obj=None):
        return ["unit"] if obj else []

    def write(self, request, stored, cleaned):
        values = _values(cleaned, services.PROGRAM_FIELDS)
        if stored is None:
            return services.create_program(actor=request.user, unit=cleaned["unit"], **values)
        return services.update_program(actor=request.user, program=stored,
                                       expected_version=_version(cleaned, stored), **values)


class TrajectoryInline(ReadOnlyInline):
    model = TrajectoryPoint
    fields = ["year", "expected_value", "expected_high"]
    readonly_fields = fields


@admin.register(Target)
class TargetAdmin(ServiceAdmin):
    """A path is drawn by hand on the target's page; here it follows the target's figures."""

    fields = ["unit", "code", "name", "resolution", "programs", "group", "indicator", "kind",
              "direction", "unit_of_measure", "baseline_value", "baseline_year",
              "target_value", "annual_rate", "annual_rate_high", "target_year",
              "responsible_unit", "responsible_person"]
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

    def get_readonly_fields(self, request, obj=None):
        return ["unit"] if obj else []

    def write(self, request, stored, cleaned):
        values = _values(cleaned, services.TARGET_EDITABLE_FIELDS)
        programs = list(cleaned.get("programs") or [])
        if stored is None:
            return services.create_target(actor=request.user, unit=cleaned["unit"],
                                          programs=programs, **values)
        return services.update_target(actor=request.user, target=stored,
                                      expected_version=_version(cleaned, stored),
                                      programs=programs, **values)


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    """The shared list of areas: an administrator adds one, names it in each language and
    lists the other names imports may use; an area in use is retired (not active), not
    deleted."""

    list_display = ["name", "name_en", "name_ar", "code", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name", "name_en", "name_ar", "code", "synonyms"]
    list_filter = ["is_active"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
