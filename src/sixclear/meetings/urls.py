from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("units/<int:pk>/obstacles/", views.register, name="register"),
    path("obstacles/<int:pk>/", views.obstacle, name="obstacle"),
    path("obstacles/<int:pk>/<str:action>/", views.obstacle_action, name="obstacle_action"),
    path("units/<int:pk>/meetings/", views.meetings, name="meetings"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/<int:pk>/<str:action>/", views.meeting_action, name="meeting_action"),
    path("agenda-items/<int:pk>/decision/", views.item_decide, name="item_decide"),
    path("agenda-items/<int:pk>/task/", views.item_task, name="item_task"),
]
