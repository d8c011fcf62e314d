from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("dashboard/", views.my_dashboard, name="mine"),
    path("units/<int:pk>/dashboard/", views.unit_dashboard, name="unit"),
    path("units/<int:pk>/dashboard/targets/", views.unit_targets, name="targets"),
    path("units/<int:pk>/dashboard/sub-units/", views.sub_units, name="sub_units"),
    path("units/<int:pk>/indicators/", views.indicator_list, name="indicators"),
    path("units/<int:pk>/indicators/<str:indicator>/", views.indicator_compare,
         name="indicator"),
]
