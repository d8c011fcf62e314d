from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import meetings, procedures, views

app_name = "api"

router = SimpleRouter()
router.register("units", views.UnitViewSet, basename="unit")
router.register("resolutions", views.ResolutionViewSet, basename="resolution")
router.register("programs", views.ProgramViewSet, basename="program")
router.register("targets", views.TargetViewSet, basename="target")
router.register("measurements", views.MeasurementViewSet, basename="measurement")
router.register("tasks", views.TaskViewSet, basename="task")
router.register("steps", views.StepViewSet, basename="step")
router.register("progress-reports", views.ProgressReportViewSet, basename="progress-report")
router.register("change-requests", views.ChangeRequestViewSet, basename="change-request")
router.register("task-statuses", views.TaskStatusViewSet, basename="task-status")
router.register("target-statuses", views.TargetStatusViewSet, basename="target-status")
router.register("procedures", procedures.ProcedureViewSet, basename="procedure")
router.register("cases", procedures.CaseViewSet, basename="case")
router.register("obstacles", meetings.ObstacleViewSet, basename="obstacle")
router.register("meetings", meetings.MeetingViewSet, basename="meeting")
router.register("agenda-items", meetings.AgendaItemViewSet, basename="agenda-item")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(urlconf=None), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
]
