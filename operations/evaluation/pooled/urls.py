"""Pooled evaluation for a federation's officers, under /federation/evaluation/."""

from django.urls import path

from operations.evaluation.pooled import views

app_name = "pooled"
urlpatterns = [
    path("", views.project_list, name="project-list"),
    path("projects/<int:pk>/", views.project_detail, name="project-detail"),
    path("exports/<int:pk>/", views.export_detail, name="export-detail"),
    path("exports/<int:pk>/cancel/", views.export_cancel, name="export-cancel"),
    path("download/<str:token>/", views.download, name="download"),
]
