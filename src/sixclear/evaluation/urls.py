from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("units/<int:pk>/evaluation/", views.unit_evaluation, name="unit"),
    path("evaluation/rounds/<int:pk>/", views.round_page, name="round"),
    path("evaluation/rounds/<int:pk>/action/", views.round_action, name="round_action"),
    path("evaluation/rounds/<int:pk>/export.xlsx", views.round_export, name="round_export"),
    path("evaluation/rounds/<int:pk>/titles/", views.proposals, name="proposals"),
    path("evaluation/rounds/<int:pk>/titles.xlsx", views.proposals_export,
         name="proposals_export"),
    path("evaluation/subjects/<int:pk>/", views.subject_page, name="subject"),
    path("evaluation/subjects/<int:pk>/self-assessment/", views.self_assessment,
         name="self_assessment"),
    path("evaluation/subjects/<int:pk>/review/", views.review, name="review"),
    path("evaluation/subjects/<int:pk>/reply/", views.reply, name="reply"),
    path("evaluation/subjects/<int:pk>/initiative/", views.initiative, name="initiative"),
    path("evaluation/criteria/", views.criteria_sets, name="criteria_sets"),
    path("evaluation/criteria/<int:pk>/", views.criteria_set_page, name="criteria_set"),
    path("evaluation/criteria/<int:pk>/criteria/new/", views.criterion_new,
         name="criterion_new"),
    path("evaluation/criteria/<int:pk>/criteria/<int:criterion_pk>/", views.criterion_edit,
         name="criterion"),
]
