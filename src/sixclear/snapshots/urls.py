from django.urls import path

from . import views

app_name = "snapshots"

urlpatterns = [
    path("units/<int:pk>/reviews/", views.unit_reviews, name="unit"),
    path("units/<int:pk>/reviews/compare/", views.compare_page, name="compare"),
    path("snapshots/<int:pk>/", views.snapshot_page, name="snapshot"),
    path("snapshots/<int:pk>/content.json", views.snapshot_content, name="content"),
    path("resolutions/<int:pk>/reviews/", views.review_kinds, name="review_kinds"),
]
