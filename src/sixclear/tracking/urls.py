from django.urls import path

from . import views

app_name = "tracking"

urlpatterns = [
    path("my-work/", views.my_work, name="my_work"),
    path("units/<int:unit_pk>/tasks/new/", views.task_create, name="task_create"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/issue/", views.task_issue, name="task_issue"),
    path("tasks/<int:pk>/reports/", views.report_progress, name="report_progress"),
    path("tasks/<int:pk>/steps/", views.step_add, name="step_add"),
    path("steps/<int:pk>/done/", views.step_done, name="step_done"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence"),
    path("measurements/<int:pk>/evidence/", views.measurement_evidence_file,
         name="measurement_evidence"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/reports/<int:pk>/", views.review_report, name="review_report"),
    path("approvals/measurements/<int:pk>/", views.review_measurement,
         name="review_measurement"),
]
