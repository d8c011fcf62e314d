from django.urls import path

from . import views

app_name = "procedures"

urlpatterns = [
    path("units/<int:pk>/procedures/", views.register, name="register"),
    path("units/<int:pk>/procedures/new/", views.procedure_new, name="procedure_new"),
    path("units/<int:pk>/procedures/export/", views.register_export, name="register_export"),
    path("units/<int:pk>/procedures/import/", views.register_import, name="register_import"),
    path("units/<int:pk>/procedures/performance/", views.performance, name="performance"),
    path("units/<int:pk>/procedures/evaluation/", views.evaluation, name="evaluation"),
    path("units/<int:pk>/management-review/", views.review_propose, name="review_propose"),
    path("management-reviews/<int:pk>/", views.review, name="review"),
    path("procedures/<int:pk>/", views.procedure_detail, name="procedure"),
    path("procedures/<int:pk>/edit/", views.procedure_edit, name="procedure_edit"),
    path("procedures/<int:pk>/versions/new/", views.version_new, name="version_new"),
    path("units/<int:pk>/cases/", views.case_list, name="cases"),
    path("units/<int:pk>/cases/new/", views.case_new, name="case_new"),
    path("units/<int:pk>/cases/export/", views.cases_export, name="cases_export"),
    path("units/<int:pk>/cases/import/", views.cases_import, name="cases_import"),
    path("units/<int:pk>/nonconformities/", views.nonconformities, name="nonconformities"),
    path("nonconformities/<int:pk>/", views.nonconformity, name="nonconformity"),
    path("nonconformities/<int:pk>/<str:action>/", views.nonconformity_action,
         name="nonconformity_action"),
    path("units/<int:pk>/audits/new/", views.audit_new, name="audit_new"),
    path("audits/<int:pk>/", views.audit, name="audit"),
    path("audits/<int:pk>/checks/<int:check>/", views.audit_check, name="audit_check"),
    path("audits/<int:pk>/report/", views.audit_report, name="audit_report"),
    path("cases/mine/", views.my_cases, name="my_cases"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/<str:action>/", views.case_action, name="case_action"),
]
