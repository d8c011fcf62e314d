from django.contrib import admin
from django.urls import include, path

from sixclear.accounts.views import home

# Evidence and other uploads under MEDIA_ROOT are never routed here: they are served only by
# the access-checked download views in sixclear.web.evidence.
urlpatterns = [
    path("", home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("sixclear.accounts.urls")),
    path("", include("sixclear.web.urls")),
    path("", include("sixclear.monitoring.urls")),
    path("", include("sixclear.dashboards.urls")),
    path("", include("sixclear.evaluation.urls")),
    path("", include("sixclear.meetings.urls")),
    path("", include("sixclear.reports.urls")),
    path("", include("sixclear.snapshots.urls")),
    path("portal/", include("sixclear.portal.urls")),
    path("api/v1/", include("sixclear.api.urls")),
    path("accounts/api-tokens/", include("sixclear.api.token_urls")),
    path("", include("sixclear.exchange.urls")),
    path("", include("sixclear.procedures.urls")),
]

# A database out of reach answers 503 (API error format or a page without the database).
handler500 = "sixclear.http_security.server_error"
