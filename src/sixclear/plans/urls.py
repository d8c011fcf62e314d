from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("resolutions/<int:pk>/", views.resolution_detail, name="resolution"),
    path("targets/<int:pk>/", views.target_detail, name="target"),
    path("targets/<int:pk>/measurements/", views.record_measurement, name="record_measurement"),
]
