from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import WorkingDayOverride


@admin.register(WorkingDayOverride)
class WorkingDayOverrideAdmin(SimpleHistoryAdmin):
    """The swap days the government announces each year: an administrator enters them here,
    and every deadline counted afterwards follows them."""

    list_display = ("day", "is_working_day", "reason")
    list_filter = ("is_working_day",)
    date_hierarchy = "day"
    search_fields = ("reason",)
