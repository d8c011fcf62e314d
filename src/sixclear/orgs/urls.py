from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("units/<int:pk>/", views.unit_detail, name="unit"),
]
