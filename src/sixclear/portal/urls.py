from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.index, name="index"),
    path("units/<int:pk>/", views.unit, name="unit"),
    path("resolutions/<int:pk>/", views.resolution, name="resolution"),
    path("targets/<int:pk>/", views.target, name="target"),
    path("tasks/<int:pk>/", views.task, name="task"),
    path("evaluation/<int:pk>/", views.league, name="league"),
    path("evaluation/<int:pk>/publish/", views.publish_league, name="publish_league"),
    path("<str:kind>/<int:pk>/follow/", views.follow, name="follow"),
    path("<str:kind>/<int:pk>/rate/", views.rate, name="rate"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/<str:dataset>.<str:fmt>", views.download, name="download"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/<int:pk>/", views.moderate, name="moderate"),
    path("publish/<str:kind>/<int:pk>/", views.publish, name="publish"),
    path("units/<int:pk>/publishing-default/", views.publishing_default,
         name="publishing_default"),
]
