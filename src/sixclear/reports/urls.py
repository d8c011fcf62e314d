from django.urls import path, re_path

from . import conclusion_notice_views as notice
from . import evaluation_documents, procedure_evaluation, views

app_name = "reports"

urlpatterns = [
    path("units/<int:pk>/reports/", views.unit_reports, name="unit_reports"),
    path("units/<int:pk>/reports/new/", views.request_report, name="request_report"),
    path("units/<int:pk>/report-schedules/new/", views.create_schedule, name="create_schedule"),
    path("units/<int:pk>/signed-documents/", views.unit_signed, name="unit_signed"),
    path("report-schedules/<int:pk>/", views.edit_schedule, name="edit_schedule"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/progress/", views.report_progress, name="progress"),
    path("reports/<int:pk>/file/", views.report_file, name="file"),
    path("reports/<int:pk>/sign/", views.sign_report, name="sign"),
    path("reports/<int:pk>/narrative/", views.edit_narrative, name="narrative"),
    path("units/<int:pk>/report-signer/", views.designate_signer, name="designate_signer"),
    path("signed-documents/<int:pk>/file/", views.signed_file, name="signed_file"),
    path("signatures/verify/", views.verify, name="verify"),
    re_path(r"^programs/(?P<pk>[0-9]+)/appendix\.(?P<format>pdf|docx)$",
            views.decision_appendix, name="appendix"),
    # A meeting's conclusion notice (the meeting's id), its drafts and signed copies.
    path("conclusion-notices/<int:pk>/", notice.notice, name="conclusion_notice"),
    re_path(r"^conclusion-notices/(?P<pk>[0-9]+)/draft\.(?P<format>pdf|docx)$", notice.draft,
            name="conclusion_notice_draft"),
    path("conclusion-notices/<int:pk>/sign/", notice.sign, name="conclusion_notice_sign"),
    path("conclusion-notices/<int:pk>/signed/<int:document>/", notice.signed_file,
         name="conclusion_notice_file"),
    path("conclusion-notices/<int:pk>/signed/<int:document>/verify/", notice.verify,
         name="conclusion_notice_verify"),
    path("conclusion-notices/<int:pk>/signed/<int:document>/publish/", notice.publish,
         name="conclusion_notice_publish"),
    path("evaluation/rounds/<int:pk>/documents/", evaluation_documents.documents,
         name="evaluation_documents"),
    re_path(r"^evaluation/rounds/(?P<pk>[0-9]+)/documents/(?P<kind>minutes|decision)\.(?P<format>pdf|docx)$",
            evaluation_documents.document_file, name="evaluation_document"),
    path("evaluation/rounds/<int:pk>/documents/sign/", evaluation_documents.sign,
         name="evaluation_sign"),
    path("evaluation/rounds/<int:pk>/documents/signed/<int:document_pk>/",
         evaluation_documents.signed_copy, name="evaluation_signed"),
    path("evaluation/rounds/<int:pk>/documents/signed/<int:document_pk>/verify/",
         evaluation_documents.verify_copy, name="evaluation_verify"),
    # The yearly evaluation of a unit's procedures (ISO 9001), issued and signed here.
    path("units/<int:pk>/procedures/evaluation/<int:year>/report/",
         procedure_evaluation.document, name="procedure_evaluation"),
    path("units/<int:pk>/procedures/evaluation/<int:year>/report.<str:format>",
         procedure_evaluation.document_file, name="procedure_evaluation_file"),
    path("units/<int:pk>/procedures/evaluation/<int:year>/report/sign/",
         procedure_evaluation.sign, name="procedure_evaluation_sign"),
    path("units/<int:pk>/procedures/evaluation/<int:year>/report/signed/<int:document>/",
         procedure_evaluation.verify_copy, name="procedure_evaluation_verify"),
]
