from django.urls import path

from operations.evaluation import views
from operations.evaluation.pooled import views as pooled_views

app_name = "evaluation"
urlpatterns = [
    path("", views.project_list, name="project-list"),
    path("projects/<int:pk>/", views.project_detail, name="project-detail"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project-edit"),
    path("exports/<int:pk>/", views.export_detail, name="export-detail"),
    path("exports/<int:pk>/cancel/", views.export_cancel, name="export-cancel"),
    path("exports/<int:pk>/discard/", views.export_discard, name="export-discard"),
    path("download/<str:token>/", views.download, name="download"),
    # A member's manager opts in to a federation's pooled project (its officers' pages: /federation/evaluation/).
    path("pooled/<int:pk>/", pooled_views.participation, name="pooled-participation"),
]
