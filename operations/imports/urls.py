from django.urls import path

from operations.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("template/<str:kind>.<str:fmt>", views.template_download, name="template"),
    path("<int:pk>/", views.batch_detail, name="detail"),
    path("<int:pk>/columns/", views.batch_columns, name="columns"),
    path("<int:pk>/apply/", views.batch_apply, name="apply"),
    path("<int:pk>/cancel/", views.batch_cancel, name="cancel"),
    path("<int:pk>/undo/", views.batch_undo, name="undo"),
    path("<int:pk>/problems.csv", views.problems_download, name="problems"),
]
