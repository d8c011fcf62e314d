"""The portal's rows in the admin, for inspection only: publishing goes through the publish
buttons (portal.services, which check the role, keep history and refresh the page cache), and
comments through the moderation queue."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Follow, LeaguePublication, Publication, PublishingDefault, Rating


class InspectOnly:
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Publication)
class PublicationAdmin(InspectOnly, SimpleHistoryAdmin):
    list_display = ["__str__", "published", "changed_by", "changed_at"]
    list_filter = ["published"]
    list_select_related = ["resolution", "target", "task", "changed_by"]


@admin.register(LeaguePublication)
class LeaguePublicationAdmin(InspectOnly, SimpleHistoryAdmin):
    list_display = ["round", "published", "changed_by", "changed_at"]
    list_filter = ["published"]
    list_select_related = ["round", "round__unit", "changed_by"]


@admin.register(PublishingDefault)
class PublishingDefaultAdmin(InspectOnly, SimpleHistoryAdmin):
    list_display = ["unit", "publish", "changed_by", "changed_at"]
    list_select_related = ["unit", "changed_by"]


@admin.register(Rating)
class RatingAdmin(InspectOnly, SimpleHistoryAdmin):
    list_display = ["__str__", "score", "comment_state", "confirmed_at", "updated_at"]
    list_filter = ["comment_state", "score"]
    list_select_related = ["target", "task"]


@admin.register(Follow)
class FollowAdmin(InspectOnly, admin.ModelAdmin):
    list_display = ["__str__", "confirmed_at", "unsubscribed_at", "last_sent_at"]
    list_select_related = ["address", "target", "task"]
