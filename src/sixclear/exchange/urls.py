from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("units/<int:pk>/export/<str:kind>.<str:file_format>", views.export,
         name="export"),
    path("units/<int:pk>/export/templates/<str:kind>.xlsx", views.template, name="template"),
    path("units/<int:pk>/import/", views.import_file, name="import"),
    path("units/<int:pk>/import/decision/", views.import_decision, name="import_decision"),
    path("imports/<int:pk>/", views.import_job, name="job"),
]
