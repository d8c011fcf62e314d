from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.mark_read, name="mark_read"),
]
