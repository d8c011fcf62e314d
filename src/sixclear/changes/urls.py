from django.urls import path

from . import views

app_name = "changes"

urlpatterns = [
    path("tasks/<int:pk>/changes/", views.request_task_change, name="request_task_change"),
    path("targets/<int:pk>/changes/", views.request_target_change,
         name="request_target_change"),
    path("changes/<int:pk>/decision/", views.decide_change, name="decide"),
]
