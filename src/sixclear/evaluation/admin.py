"""The evaluation in the admin: shown for inspection only. Criteria sets, rounds and their
grades change through the evaluation's pages (its services), which keep a published set and a
closed round as they are."""

from django.contrib import admin

from .models import CriteriaSet, Criterion, Round, Subject, TitleProposal


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CriterionInline(admin.TabularInline):
    model = Criterion
    fields = ["position", "code", "title", "points", "method", "measure", "citation",
              "verified"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CriteriaSet)
class CriteriaSetAdmin(ReadOnlyAdmin):
    list_display = ["name", "year", "level", "number", "unit", "status"]
    list_filter = ["year", "level", "status"]
    list_select_related = ["unit"]
    inlines = [CriterionInline]


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ["unit", "year", "level", "criteria_set", "status", "snapshot_date"]
    list_filter = ["year", "level", "status"]
    list_select_related = ["unit", "criteria_set"]


@admin.register(Subject)
class SubjectAdmin(ReadOnlyAdmin):
    list_display = ["name", "round", "state", "final_points", "final_grade", "rank"]
    list_filter = ["state", "final_grade"]
    list_select_related = ["round__unit"]
    exclude = ["vetoes"]


@admin.register(TitleProposal)
class TitleProposalAdmin(ReadOnlyAdmin):
    list_display = ["title_name", "subject", "round", "origin", "withdrawn", "changed_at"]
    list_filter = ["origin", "withdrawn"]
    list_select_related = ["subject", "round__unit"]
