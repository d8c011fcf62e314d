from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from sixclear.admin_versioning import VersionedAdmin

from .models import Membership, Unit


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "title"]


@admin.register(Unit)
class UnitAdmin(TreeAdmin, VersionedAdmin):
    form = movenodeform_factory(Unit, exclude=["version"])
    list_display = ["name", "code", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(VersionedAdmin):
    list_display = ["user", "unit", "role", "title"]
    list_filter = ["role", "unit__kind"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]


admin.site.site_header = _("Sixclear administration")
admin.site.site_title = _("Sixclear")
admin.site.index_title = _("Resolutions, targets and tasks")
